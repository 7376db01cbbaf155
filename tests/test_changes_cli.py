"""`powermap changes`: one page of the change feed (or, with --all, every page) as JSON Lines, then the cursor
to resume from."""

from __future__ import annotations

import asyncio
import io
import json
from argparse import Namespace
from typing import Any

import pytest

import service.schema.operations as operations
from service.entrypoints.changes_command import run_changes
from service.entrypoints.cli import database_for
from service.settings import Settings
from tests.conftest import GraphQLClient
from tests.failing_calls import failing, without_waits
from tests.schema.factories import import_account


async def changes(settings: Settings, **arguments: Any) -> tuple[int, list[dict[str, Any]]]:
    """Exit status and the printed lines, parsed."""
    out = io.StringIO()
    defaults = {"after": None, "first": 100, "all": False, "entity_types": None, "account": None}
    args = Namespace(**{**defaults, **arguments})
    status = await asyncio.to_thread(run_changes, settings, args, database_for, out)
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


async def test_prints_entries_then_the_cursor_and_resumes_from_it(
    client: GraphQLClient, cli_settings: Settings
) -> None:
    acc = await import_account(client, people=["p1", "p2"])
    status, lines = await changes(cli_settings, first=2)
    assert status == 0
    assert [(line["entityType"], line["operation"]) for line in lines[:-1]] == [
        ("Account", "CREATED"),
        ("Stakeholder", "CREATED"),
    ]
    assert lines[1]["externalIds"] == [{"source": "crm", "id": "p1"}]
    assert lines[1]["fields"] == [{"name": "name", "old": None, "new": '"Person p1"'}]  # an integration key's view
    assert lines[-1]["hasMore"] is True
    status, rest = await changes(cli_settings, after=lines[-1]["endCursor"], entity_types=["Stakeholder"])
    assert (status, [line.get("entityId") for line in rest[:-1]]) == (0, [acc["p2"]])
    assert rest[-1]["hasMore"] is False
    status, nothing = await changes(cli_settings, after=rest[-1]["endCursor"])
    assert (status, [set(line) for line in nothing]) == (0, [{"endCursor", "hasMore"}])


async def test_a_bad_cursor_exits_two_with_the_reason(
    cli_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines = await changes(cli_settings, after="nonsense")
    assert (status, lines) == (2, [])
    assert capsys.readouterr().err == "error: `after` is not a change feed cursor.\n"


async def test_a_read_the_database_did_not_answer_is_sent_again(
    client: GraphQLClient, cli_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await import_account(client, people=["p1"])
    calls = without_waits(monkeypatch)
    failures = [("before", "SERVICE_UNAVAILABLE"), ("before", "ANALYTICS_TIMEOUT")]
    monkeypatch.setattr(operations, "execute_operation", failing(calls, operations.execute_operation, failures))

    status, lines = await changes(cli_settings)

    assert (status, calls) == (0, ["before SERVICE_UNAVAILABLE", "before ANALYTICS_TIMEOUT", "ok"])
    assert [line.get("entityType") for line in lines] == ["Account", "Stakeholder", None]
    assert capsys.readouterr().err == "waiting for the database (1)\nwaiting for the database (2)\n"


async def test_a_read_that_failed_for_good_is_not_sent_again(
    cli_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = without_waits(monkeypatch)
    failures = [("before", "INTERNAL_SERVER_ERROR")]
    monkeypatch.setattr(operations, "execute_operation", failing(calls, operations.execute_operation, failures))

    status, lines = await changes(cli_settings)

    assert (status, lines, calls) == (2, [], ["before INTERNAL_SERVER_ERROR"])
    assert capsys.readouterr().err == "error: The database is not answering.\n"


def without_cursors(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in line.items() if key not in ("cursor", "endCursor")} for line in lines]


async def test_all_reads_page_after_page_to_the_end(client: GraphQLClient, cli_settings: Settings) -> None:
    await import_account(client, people=["p1", "p2", "p3"])
    one_page = await changes(cli_settings, first=100)
    status, lines = await changes(cli_settings, first=1, all=True)
    assert (status, without_cursors(lines)) == (
        one_page[0],
        without_cursors(one_page[1]),
    )  # a cursor holds when it was read
    assert [line.get("entityType") for line in lines] == ["Account", "Stakeholder", "Stakeholder", "Stakeholder", None]
    assert lines[-1]["hasMore"] is False


async def test_all_failing_after_some_pages_ends_with_the_cursor_after_them(
    client: GraphQLClient, cli_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await import_account(client, people=["p1", "p2"])
    calls = without_waits(monkeypatch)
    execute = operations.execute_operation

    async def second_page_fails(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append("call")
        if len(calls) == 2:
            raise operations.OperationError("Unexpected error.", frozenset({"INTERNAL_SERVER_ERROR"}))
        return await execute(*args, **kwargs)

    monkeypatch.setattr(operations, "execute_operation", second_page_fails)
    status, lines = await changes(cli_settings, first=1, all=True)

    assert (status, [line.get("entityType") for line in lines], lines[-1]["hasMore"]) == (2, ["Account", None], True)
    assert capsys.readouterr().err == "error: Unexpected error.\n"
    monkeypatch.setattr(operations, "execute_operation", execute)
    status, rest = await changes(cli_settings, after=lines[-1]["endCursor"], all=True)
    assert (status, [line.get("entityType") for line in rest]) == (0, ["Stakeholder", "Stakeholder", None])


async def test_all_with_pages_of_none_is_refused(cli_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert await changes(cli_settings, first=0, all=True) == (2, [])
    assert capsys.readouterr().err == "error: --all reads pages of --first N entries, N at least 1.\n"
