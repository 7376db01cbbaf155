"""Demo data never overwrites users' data: loaded into an empty workspace only, never again at the next
start; on request with `powermap demo load`; off by default, and off in the Docker image."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.entrypoints.app import create_app
from service.entrypoints.cli import main
from service.graph.database import Database
from service.rules.access import Role
from service.settings import Settings
from service.usecases.identity import provision_key
from tests.conftest import GraphQLClient, Neo4jServer

ROOT = Path(__file__).resolve().parent.parent
CANON = 'accountByExternalId(source: "demo", id: "acc-canon-zh")'
TANG_JUN = (
    "query { " + CANON + " { id stakeholders(first: 100) { nodes { id name stance notes version } } } "
    "accounts { totalCount } }"
)
SET_MENTOR = """
mutation($input: StakeholderUpdateInput!) { stakeholderUpdate(input: $input) { userErrors { code } } }
"""


async def started(settings: Settings, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """Start the app (its start-up included), run one query, stop it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        key = await provision_key(app.state.services, settings.workspace_id, Role.ADMIN, "demo test")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:
            body = await GraphQLClient(http, key.secret).data(query, variables)
    return body


def tang_jun(data: dict[str, Any]) -> dict[str, Any]:
    [person] = [p for p in data[CANON.split("(")[0]]["stakeholders"]["nodes"] if p["name"] == "唐军"]
    return dict(person)


async def test_demo_loads_into_an_empty_workspace_once_and_a_restart_keeps_edits(
    db: Database, settings: Settings
) -> None:
    demo = settings.model_copy(update={"load_demo": True})
    first = await started(demo, TANG_JUN)
    assert first["accounts"]["totalCount"] == 2
    person = tang_jun(first)
    assert person["stance"] == "SUPPORTER"
    edit = {"input": {"id": person["id"], "stance": "MENTOR", "notes": "Met him twice; he backs us now."}}
    await started(demo, SET_MENTOR, edit)
    again = await started(demo, TANG_JUN)
    assert (again["accounts"]["totalCount"], tang_jun(again)["stance"], tang_jun(again)["notes"]) == (
        2,
        "MENTOR",
        "Met him twice; he backs us now.",
    )


async def test_demo_stays_out_of_a_workspace_with_accounts(client: GraphQLClient, settings: Settings) -> None:
    await client.data('mutation { accountCreate(input: {name: "Ours"}) { userErrors { code } } }')
    data = await started(settings.model_copy(update={"load_demo": True}), "{ accounts { nodes { name } } }")
    assert data == {"accounts": {"nodes": [{"name": "Ours"}]}}


def test_demo_load_on_request(neo4j_server: Neo4jServer, workspace: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERMAP_NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("POWERMAP_NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("POWERMAP_NEO4J_PASSWORD", neo4j_server.password)
    monkeypatch.setenv("POWERMAP_WORKSPACE_ID", workspace)
    assert main(["demo", "load"]) == 0
    data = asyncio.run(started(Settings(workspace_id=workspace), "{ accounts { totalCount } }"))
    assert data == {"accounts": {"totalCount": 2}}


def test_demo_is_off_by_default_and_in_the_image(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POWERMAP_LOAD_DEMO", raising=False)
    assert Settings(_env_file=None).load_demo is False  # type: ignore[call-arg]
    assert "POWERMAP_LOAD_DEMO=false" in (ROOT / "Dockerfile").read_text()
    assert "POWERMAP_LOAD_DEMO=${POWERMAP_LOAD_DEMO:-true}" in (ROOT / "scripts" / "run").read_text()
