"""The Docker-free Neo4j: one pinned version everywhere, and readiness that follows the process."""

from __future__ import annotations

import re
import stat
import time
from pathlib import Path

import httpx
import pytest

from service.entrypoints.app import create_app
from service.local_neo4j import NEO4J_VERSION, POM, LocalNeo4j, free_port
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_one_neo4j_version_in_pom_compose_and_code() -> None:
    pom_version = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", POM.read_text())
    compose_tag = re.search(r"image: neo4j:([\d.]+)-community", (ROOT / "docker-compose.yml").read_text())
    assert pom_version is not None
    assert compose_tag is not None
    assert (pom_version.group(1), compose_tag.group(1)) == (NEO4J_VERSION, NEO4J_VERSION)
    assert NEO4J_VERSION.startswith("5.26.")


async def test_readyz_turns_503_within_two_seconds_of_neo4j_dying() -> None:
    with LocalNeo4j(port=free_port()) as server:
        settings = Settings(neo4j_uri=server.uri, neo4j_password=server.password, load_demo=False)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:
                assert (await http.get("/readyz")).status_code == 200
                server.kill()
                began = time.monotonic()
                response = await http.get("/readyz")
                elapsed = time.monotonic() - began
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})
    assert elapsed < 2.0


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
