"""`powermap sync`: a file of contacts through the mutation, with dry run, summary, report, exit status and resent calls."""

from __future__ import annotations

import csv
import json
import signal
from argparse import Namespace
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase

import service.schema.operations as operations
from service.entrypoints.cli import database_for, main
from service.entrypoints.sync_command import run_sync
from service.graph.database import Database
from service.settings import Settings
from tests.failing_calls import failing, without_waits

HEADER = "externalId,name,title,department,email,phone,level,reportsTo"


@pytest.fixture
def settings(cli_settings: Settings) -> Settings:
    """The command runs as an integration key, like any client."""
    return cli_settings


@pytest.fixture
def graph(db: Database, settings: Settings, workspace: str) -> Iterator[Driver]:
    """A synchronous driver (the command runs its own event loop), with the account `ACME` of source `hr`."""
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value()) if settings.neo4j_password else None
    assert settings.neo4j_uri is not None
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=auth)
    driver.execute_query(
        "CREATE (:AccountRef {workspaceId: $ws, source: 'hr', externalId: 'ACME'})"
        "-[:IDENTIFIES {workspaceId: $ws}]->(:Account {workspaceId: $ws, id: 'acme', name: 'Acme'})",
        ws=workspace,
    )
    yield driver
    driver.close()


@pytest.fixture
def environment(settings: Settings, workspace: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`main()` reads its settings from the environment: point it at the test database and workspace.
    It also sets a SIGTERM handler, which is put back afterwards."""
    assert settings.neo4j_uri is not None
    monkeypatch.setenv("POWERMAP_NEO4J_URI", settings.neo4j_uri)
    monkeypatch.setenv("POWERMAP_NEO4J_USER", settings.neo4j_user)
    monkeypatch.setenv("POWERMAP_NEO4J_PASSWORD", settings.neo4j_password.get_secret_value())
    monkeypatch.setenv("POWERMAP_WORKSPACE_ID", workspace)
    # As patient with a slow ping as the suite's other apps (`settings`): a loaded machine is no outage.
    monkeypatch.setenv("POWERMAP_READINESS_TIMEOUT_SECONDS", str(settings.readiness_timeout_seconds))
    assert settings.api_key is not None
    monkeypatch.setenv("POWERMAP_API_KEY", settings.api_key.get_secret_value())
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, previous)


def stored(driver: Driver, workspace: str) -> dict[str, tuple[str, str | None, list[str]]]:
    records, _, _ = driver.execute_query(
        "MATCH (r:StakeholderRef {workspaceId: $ws, source: 'hr'})-[:IDENTIFIES]->(s:Stakeholder) "
        "RETURN r.externalId AS key, s.name AS name, s.title AS title, [(s)-[:REPORTS_TO]->(m) | m.name] AS managers",
        ws=workspace,
    )
    return {r["key"]: (r["name"], r["title"], r["managers"]) for r in records}


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def report(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.usefixtures("environment")
def test_dry_run_writes_nothing_then_sync_writes_and_reports_rejected_rows(
    graph: Driver, tmp_path: Path, capsys: pytest.CaptureFixture[str], workspace: str
) -> None:
    contacts = write_csv(
        tmp_path / "contacts.csv",
        [
            "m1,Manager One,Director,Sales,m1@acme.test,,senior,",
            "e1,Employee One,,Sales,e1@acme.test,+86 1,OPERATIONAL,m1",
            "e2,Employee Two,,,not-an-email,,,m1",
            ",Nobody,,,,,,",
            "e3,Employee Three,,,,,BOSS,",
            "e1,Employee One Again,,,,,,",
            "e4,Employee Four,,,,,,m9",
        ],
    )
    rejected = tmp_path / "rejected.csv"

    dry = main(["sync", "--source", "hr", "--account", "ACME", "--dry-run", str(contacts)])
    dry_output = capsys.readouterr().err
    nothing = stored(graph, workspace)
    real = main(["sync", "--source", "hr", "--account", "ACME", "--report", str(rejected), str(contacts)])
    real_output = capsys.readouterr().err

    assert (dry, real) == (1, 1)  # some rows were rejected
    assert nothing == {}
    assert "dry run: nothing written" in dry_output
    assert "would be created: m1, e1, e4" in dry_output
    assert "created" in real_output
    assert stored(graph, workspace) == {
        "m1": ("Manager One", "Director", []),
        "e1": ("Employee One", None, ["Manager One"]),
        "e4": ("Employee Four", None, []),
    }
    assert [(r["line"], r["externalId"], r["field"]) for r in report(rejected)] == [
        ("4", "e2", "email"),
        ("5", "", "externalId"),
        ("6", "e3", "level"),
        ("7", "e1", "externalId"),
    ]
    assert "duplicates line 3" in report(rejected)[-1]["message"]


@pytest.mark.usefixtures("environment")
def test_replaying_a_file_changes_nothing_and_exits_zero(graph: Driver, tmp_path: Path, workspace: str) -> None:
    contacts = tmp_path / "contacts.jsonl"
    lines = [
        {"externalId": f"p{n}", "name": f"Person {n}", "reportsTo": f"p{n // 2}" if n else None}
        for n in range(1, 2_101)
    ]  # three calls of at most 1,000
    contacts.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    rejected = tmp_path / "rejected.csv"

    first = main(["sync", "--source", "hr", "--account", "ACME", str(contacts)])
    after_first = stored(graph, workspace)
    second = main(["sync", "--source", "hr", "--account", "ACME", "--report", str(rejected), str(contacts)])

    assert (first, second) == (0, 0)
    assert len(after_first) == 2_100
    assert after_first["p2000"] == ("Person 2000", None, ["Person 1000"])
    assert after_first["p1"] == ("Person 1", None, [])  # reports to p0, never synced: pending
    assert stored(graph, workspace) == after_first
    assert report(rejected) == []


def test_unknown_account_or_unreadable_file_exit_two(
    graph: Driver, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], workspace: str
) -> None:
    contacts = write_csv(tmp_path / "contacts.csv", ["a,Ann,,,,,,"])
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("id,fullName\n1,Ann\n", encoding="utf-8")
    arguments = {"source": "hr", "dry_run": False, "report": None}

    unknown = run_sync(settings, Namespace(account="NOPE", file=contacts, **arguments), database_for)
    unknown_output = capsys.readouterr().err
    header = run_sync(settings, Namespace(account="ACME", file=bad_header, **arguments), database_for)
    header_output = capsys.readouterr().err
    missing = run_sync(settings, Namespace(account="ACME", file=tmp_path / "missing.csv", **arguments), database_for)

    assert (unknown, header, missing) == (2, 2, 2)
    assert "has no account with this id" in unknown_output
    assert "unknown column 'id'" in header_output
    assert stored(graph, workspace) == {}


# A call that failed for a passing reason (the database did not confirm it) is sent again, and only such a call.

RETRY_ROWS = ["a,Ann,,,,,,", "b,Bo,,,,,,a", "c,Cy,,,,,,a"]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each call of the sync mutation did; no wait between tries."""
    return without_waits(monkeypatch)


def sync_failing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: list[str], failures: list[tuple[str, str]]
) -> int:
    """`powermap sync` of `RETRY_ROWS`, its calls failing first as `failures` say; its exit status."""
    monkeypatch.setattr(operations, "execute_operation", failing(calls, operations.execute_operation, failures))
    return main(["sync", "--source", "hr", "--account", "ACME", str(write_csv(tmp_path / "c.csv", RETRY_ROWS))])


@pytest.mark.usefixtures("environment")
def test_a_call_the_database_did_not_confirm_is_sent_again_and_converges(
    graph: Driver, tmp_path: Path, workspace: str, calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = [("after", "SERVICE_UNAVAILABLE"), ("before", "SERVICE_UNAVAILABLE")]

    status = sync_failing(tmp_path, monkeypatch, calls, failures)

    assert status == 0
    assert calls == ["after SERVICE_UNAVAILABLE", "before SERVICE_UNAVAILABLE", "ok"]
    assert stored(graph, workspace) == {
        "a": ("Ann", None, []),
        "b": ("Bo", None, ["Ann"]),
        "c": ("Cy", None, ["Ann"]),
    }


@pytest.mark.usefixtures("environment")
def test_a_call_that_stays_unconfirmed_exits_one_and_says_to_run_again(
    graph: Driver,
    tmp_path: Path,
    workspace: str,
    calls: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    failures = [("before", "SERVICE_UNAVAILABLE")] * (operations.PASSING_RETRIES + 1)

    status = sync_failing(tmp_path, monkeypatch, calls, failures)

    assert status == 1
    assert len(calls) == operations.PASSING_RETRIES + 1
    assert "run the same command again" in " ".join(capsys.readouterr().err.split())
    assert stored(graph, workspace) == {}


@pytest.mark.usefixtures("environment")
def test_a_call_that_crashed_is_not_sent_again(
    graph: Driver, tmp_path: Path, workspace: str, calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = [("before", "INTERNAL_SERVER_ERROR")]

    status = sync_failing(tmp_path, monkeypatch, calls, failures)

    assert status == 1
    assert calls == ["before INTERNAL_SERVER_ERROR"]
    assert stored(graph, workspace) == {}
