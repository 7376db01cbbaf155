"""`powermap import FILE...`: the command line goes through the import mutation and sums up."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.entrypoints import import_command
from service.entrypoints.import_command import import_files
from service.graph.database import Database
from service.settings import Settings
from tests.failing_calls import failing, without_waits
from tests.test_account_import import canon


@contextlib.contextmanager
def same_database(settings: Settings) -> Iterator[Settings]:
    yield settings


async def test_import_command_loads_files_and_prints_a_summary(
    db: Database,
    cli_settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    workspace: str,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    document = tmp_path / "canon.json"
    document.write_text(json.dumps(canon()["input"], ensure_ascii=False), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"input": {"source": "demo"}}', encoding="utf-8")

    status = await asyncio.to_thread(import_files, cli_settings, [document, broken], same_database)

    records, _, _ = await db.driver.execute_query(
        "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN count(s) AS n", ws=workspace
    )
    assert (status, records[0]["n"]) == (1, 16)
    output = capsys.readouterr().err
    assert "canon.json" in output
    assert "72" in output  # every record of the demo account, its deal included
    assert "broken.json" in output


async def test_import_command_needs_a_key(
    db: Database, settings: Settings, workspace: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "canon.json"
    document.write_text(json.dumps(canon()["input"], ensure_ascii=False), encoding="utf-8")
    status = await asyncio.to_thread(import_files, settings, [document], same_database)
    assert status == 2
    assert "POWERMAP_API_KEY" in capsys.readouterr().err
    records, _, _ = await db.driver.execute_query(
        "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN count(s) AS n", ws=workspace
    )
    assert records[0]["n"] == 0


async def test_an_import_the_database_did_not_confirm_is_sent_again_and_loads_once(
    db: Database, cli_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workspace: str
) -> None:
    document = tmp_path / "canon.json"
    document.write_text(json.dumps(canon()["input"], ensure_ascii=False), encoding="utf-8")
    calls = without_waits(monkeypatch)
    failures = [("after", "SERVICE_UNAVAILABLE"), ("before", "OUTCOME_UNKNOWN")]
    execute = failing(calls, import_command.execute_operation, failures)
    monkeypatch.setattr(import_command, "execute_operation", execute)

    status = await asyncio.to_thread(import_files, cli_settings, [document], same_database)

    records, _, _ = await db.driver.execute_query(
        "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN count(s) AS n", ws=workspace
    )
    assert (status, calls, records[0]["n"]) == (0, ["after SERVICE_UNAVAILABLE", "before OUTCOME_UNKNOWN", "ok"], 16)
