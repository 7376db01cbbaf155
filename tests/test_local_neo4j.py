"""The Docker-free Neo4j (development tooling, tools/devtools): one pinned version everywhere, and the
commands that need it when it is not installed. Starting, killing and restarting it, and readiness
following the process, are exercised by tests/sync/test_database_crash.py (one server start less)."""

from __future__ import annotations

import re
import signal
import stat
import sys
from pathlib import Path

import pytest
from powermap_devtools.local_neo4j import NEO4J_VERSION, POM, LocalNeo4j, free_port

from service.entrypoints.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_one_neo4j_version_in_pom_compose_and_code() -> None:
    pom_version = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", POM.read_text())
    compose_tag = re.search(r"image: neo4j:([\d.]+)-community", (ROOT / "docker-compose.yml").read_text())
    assert pom_version is not None
    assert compose_tag is not None
    assert (pom_version.group(1), compose_tag.group(1)) == (NEO4J_VERSION, NEO4J_VERSION)
    assert NEO4J_VERSION.startswith("5.26.")


@pytest.mark.parametrize("command", ["serve", "neo4j"])
def test_without_the_launcher_the_commands_that_need_it_say_to_set_the_uri(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As in the Docker image, which `pip install .` builds without the development tooling."""
    monkeypatch.setitem(sys.modules, "powermap_devtools", None)  # makes `import powermap_devtools` fail
    monkeypatch.delenv("POWERMAP_NEO4J_URI", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file
    sigterm = signal.getsignal(signal.SIGTERM)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    try:
        status = main([command])
    finally:
        signal.signal(signal.SIGTERM, sigterm)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    assert status == 1
    error = capsys.readouterr().err
    assert error.startswith("error: POWERMAP_NEO4J_URI is not set and the local Neo4j launcher")
    assert error.rstrip().endswith("set POWERMAP_NEO4J_URI")


def test_the_local_neo4j_runs_with_authentication_and_keeps_its_password_private(tmp_path: Path) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    home = tmp_path / "neo4j"
    with LocalNeo4j(port=free_port(), home=home) as server:
        password = server.password
        assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
        with GraphDatabase.driver(server.uri, auth=(server.user, password)) as driver:
            driver.verify_connectivity()
        for wrong in (None, ("neo4j", "neo4j"), ("neo4j", "guess")):
            with GraphDatabase.driver(server.uri, auth=wrong) as driver, pytest.raises(AuthError):
                driver.verify_connectivity()
    with LocalNeo4j(port=free_port(), home=home) as again:  # a restart reads the same password back
        assert again.password == password
        with GraphDatabase.driver(again.uri, auth=(again.user, password)) as driver:
            driver.verify_connectivity()
