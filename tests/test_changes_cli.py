"""`powermap changes`: one page of the change feed as JSON Lines, then the cursor to resume from."""

from __future__ import annotations

import asyncio
import io
import json
from argparse import Namespace
from typing import Any

import pytest

from service.entrypoints.changes_command import run_changes
from service.entrypoints.cli import database_for
from service.settings import Settings
from tests.conftest import GraphQLClient
from tests.schema.factories import import_account


async def changes(settings: Settings, **arguments: Any) -> tuple[int, list[dict[str, Any]]]:
    """Exit status and the printed lines, parsed."""
    out = io.StringIO()
    args = Namespace(**{"after": None, "first": 100, "entity_types": None, "account": None, **arguments})
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
