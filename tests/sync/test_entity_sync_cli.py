"""`powermap sync --entity interactions|team-members|coverage`: files through the sync mutations, with
summary, report and exit status, like contacts."""

from __future__ import annotations

import csv
import json
from argparse import Namespace
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase

from service.entrypoints.cli import database_for
from service.entrypoints.sync_command import run_sync
from service.graph.database import Database
from service.settings import Settings


@pytest.fixture
def settings(cli_settings: Settings) -> Settings:
    """The command runs as an integration key, like any client."""
    return cli_settings


@pytest.fixture
def graph(db: Database, settings: Settings, workspace: str) -> Iterator[Driver]:
    """A synchronous driver, with the account `ACME` of source `hr` and its people a1, a2, a3."""
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value()) if settings.neo4j_password else None
    assert settings.neo4j_uri is not None
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=auth)
    driver.execute_query(
        """
        CREATE (:AccountRef {workspaceId: $ws, source: 'hr', externalId: 'ACME'})
               -[:IDENTIFIES {workspaceId: $ws}]->(a:Account {workspaceId: $ws, id: 'acme', name: 'Acme'})
        WITH a
        UNWIND ['a1', 'a2', 'a3'] AS key
        CREATE (:StakeholderRef {workspaceId: $ws, source: 'hr', externalId: key})-[:IDENTIFIES {workspaceId: $ws}]->
               (:Stakeholder {workspaceId: $ws, id: key, accountId: a.id, name: key, stance: 'UNKNOWN', archived: false,
                              version: 1})
        """,
        ws=workspace,
    )
    yield driver
    driver.close()


def sync(settings: Settings, entity: str, file: Path, account: str | None = None, report: Path | None = None) -> int:
    args = Namespace(entity=entity, source="hr", account=account, dry_run=False, report=report, file=file)
    return run_sync(settings, args, database_for)


def report(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def stored(driver: Driver, workspace: str) -> dict[str, Any]:
    records, _, _ = driver.execute_query(
        """
        CALL () {
          MATCH (r:TeamMemberRef {workspaceId: $ws})-[:IDENTIFIES]->(t)
          RETURN collect([r.externalId, t.name, t.role]) AS team
        }
        CALL () {
          MATCH (:TeamMemberRef {workspaceId: $ws})-[:IDENTIFIES]->(t)-[c:COVERS]->(s)
          RETURN collect([t.name, s.id, c.relationshipStep]) AS coverage
        }
        CALL () {
          MATCH (i:Interaction {workspaceId: $ws})
          RETURN collect([i.externalId, i.type, [(i)-[:MET]->(s) | s.id], [(i)-[:BY]->(t) | t.name]]) AS visits
        }
        RETURN team, coverage, visits
        """,
        ws=workspace,
    )
    row = records[0]
    return {
        "team": sorted(row["team"]),
        "coverage": sorted(row["coverage"]),
        "visits": sorted([key, kind, sorted(met), by] for key, kind, met, by in row["visits"]),
    }


def test_team_coverage_and_interaction_files_sync_and_replays_change_nothing(
    graph: Driver, settings: Settings, tmp_path: Path, workspace: str
) -> None:
    team = tmp_path / "team.csv"
    team.write_text(
        "externalId,name,role,email\nu1,Una,sales,una@x.test\nu2,Ugo,PRESALES,\nu3,Bad,JESTER,\nu1,Again,SALES,\n",
        encoding="utf-8",
    )
    cover = tmp_path / "coverage.jsonl"
    cover.write_text(
        "\n".join(
            json.dumps(line)
            for line in [
                {"teamMember": "u1", "stakeholder": "a1", "relationshipStep": 3, "relationshipType": "friend"},
                {"teamMember": "u2", "stakeholder": "a9"},
                {"teamMember": "u2", "stakeholder": "a2", "relationshipStep": "two"},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    visits = tmp_path / "visits.csv"
    visits.write_text(
        "externalId,at,type,stakeholders,teamMember,summary\n"
        "v1,2026-11-02T10:00:00+08:00,visit,a1;a2,u1,Kick-off\n"
        "v2,2026-11-03T10:00:00Z,PHONE,a3,,\n"
        "v3,yesterday,PHONE,a3,,\n"
        "v4,2026-11-03T10:00:00Z,PHONE,a3;a9,u2,\n",
        encoding="utf-8",
    )
    rejected = tmp_path / "rejected.csv"

    codes = [
        sync(settings, "team-members", team),
        sync(settings, "coverage", cover),
        sync(settings, "interactions", visits, account="ACME", report=rejected),
    ]

    assert codes == [1, 1, 1]  # each file has rejected rows
    expected = {
        "team": [["u1", "Una", "SALES"], ["u2", "Ugo", "PRESALES"]],
        "coverage": [["Una", "a1", 3]],
        "visits": [["v1", "VISIT", ["a1", "a2"], ["Una"]], ["v2", "PHONE", ["a3"], []]],
    }
    assert stored(graph, workspace) == expected
    assert [(r["line"], r["externalId"], r["field"]) for r in report(rejected)] == [
        ("4", "v3", "at"),
        ("5", "v4", "stakeholders.1"),
    ]

    team.write_text("externalId,name,role\nu1,Una,SALES\nu2,Ugo,PRESALES\n", encoding="utf-8")
    cover.write_text(json.dumps({"teamMember": "u1", "stakeholder": "a1"}) + "\n", encoding="utf-8")
    visits.write_text(
        "externalId,at,type,stakeholders\nv1,2026-11-02T02:00:00Z,VISIT,a2;a1\nv2,2026-11-03T10:00:00Z,PHONE,a3\n",
        encoding="utf-8",
    )
    replays = [
        sync(settings, "team-members", team),
        sync(settings, "coverage", cover),
        sync(settings, "interactions", visits, account="ACME"),
    ]

    assert replays == [0, 0, 0]
    assert stored(graph, workspace) == expected


def test_interactions_need_an_account_and_a_bad_header_stops_the_file(
    graph: Driver, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], workspace: str
) -> None:
    visits = tmp_path / "visits.csv"
    visits.write_text("externalId,at,type,stakeholders\nv1,2026-11-02T10:00:00Z,VISIT,a1\n", encoding="utf-8")
    bad = tmp_path / "team.csv"
    bad.write_text("id,name\n1,Una\n", encoding="utf-8")

    no_account = sync(settings, "interactions", visits)
    no_account_output = capsys.readouterr().err
    unknown = sync(settings, "interactions", visits, account="NOPE")
    unknown_output = capsys.readouterr().err
    header = sync(settings, "team-members", bad)
    header_output = capsys.readouterr().err

    assert (no_account, unknown, header) == (2, 2, 2)
    assert "--account is needed" in no_account_output
    assert "has no account with this id" in unknown_output
    assert "unknown column 'id'" in header_output
    assert stored(graph, workspace) == {"team": [], "coverage": [], "visits": []}
