"""Kill the database in the middle of a sync, restart it, replay: nothing lost, nothing duplicated.

A dedicated Neo4j (own port, own home that survives the kill) so the crash touches no other test.
The sync job loads batches through the app one after another. During one call the server is killed
(SIGKILL) at a chosen point: the batch's query has run, so its writes are in the database, but the
transaction is not committed. That call gets OUTCOME_UNKNOWN once the driver's bounded retries are
spent, and readiness (/readyz) turns 503. The server restarts on the same home and port, the app's
same driver reconnects, and replaying every batch (again while its outcome is unknown, as a sync job
does) converges; readiness is back.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from powermap_devtools.local_neo4j import LocalNeo4j, LocalNeo4jError, free_port

from service.entrypoints.app import create_app
from service.rules.access import Role
from service.settings import Settings
from service.usecases import contacts
from service.usecases.identity import provision_key
from tests.conftest import GraphQLClient, unavailable
from tests.sync.helpers import UPSERT, contact, statuses

BATCHES = 3
PER_BATCH = 250
KILL_DURING = 1
"""The batch during whose call the server dies (earlier ones are acknowledged, later ones never sent)."""

ACCOUNT = """
CREATE (:AccountRef {workspaceId: $ws, source: 'crm', externalId: 'acc-1'})-[:IDENTIFIES {workspaceId: $ws}]->
       (:Account {workspaceId: $ws, id: 'acc-1', name: 'Account acc-1'})
"""


def batch(number: int) -> list[dict[str, Any]]:
    return [
        contact(
            f"b{number:02d}-{i:03d}",
            f"Person {number}-{i}",
            title="Engineer",
            reportsTo=f"b{number:02d}-000" if i else None,
        )
        for i in range(PER_BATCH)
    ]


async def load_until_failure(
    client: GraphQLClient, batches: list[list[dict[str, Any]]], calling: asyncio.Event
) -> dict[int, Any]:
    """Send batches in order; the outcome of each sent one: its payload, or the errors that ended the run."""
    outcomes: dict[int, Any] = {}
    for number, contacts_batch in enumerate(batches):
        if number == KILL_DURING:
            calling.set()
        body = await client.execute(
            UPSERT, {"input": {"source": "crm", "account": "acc-1", "contacts": contacts_batch}}
        )
        if body.get("errors"):
            outcomes[number] = body["errors"]
            return outcomes
        outcomes[number] = body["data"]["stakeholdersUpsert"]
    return outcomes


async def replay(client: GraphQLClient, contacts_batch: list[dict[str, Any]], attempts: int = 5) -> dict[str, Any]:
    """Send the batch until the database acknowledges it: what a sync job does after OUTCOME_UNKNOWN (a
    server just restarted on a loaded machine may not answer the first connection in time). A request
    refused before it runs, because the key cannot be checked yet (503 SERVICE_UNAVAILABLE, "try again"), is
    sent again after a second, as a sync job would."""
    for _ in range(attempts):
        variables = {"input": {"source": "crm", "account": "acc-1", "contacts": contacts_batch}}
        response = await client.http.post("/graphql", json={"query": UPSERT, "variables": variables})
        if response.status_code == 503:
            codes = [e["extensions"]["code"] for e in response.json()["errors"]]
            assert codes == ["SERVICE_UNAVAILABLE"], response.text
            await asyncio.sleep(1)
            continue
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if not body.get("errors"):
            payload: dict[str, Any] = body["data"]["stakeholdersUpsert"]
            return payload
        assert [e["extensions"]["code"] for e in body["errors"]] == ["OUTCOME_UNKNOWN"], body["errors"]
    raise AssertionError(f"the batch was not acknowledged in {attempts} attempts")


def kill_before_commit(server: LocalNeo4j, calling: asyncio.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once `calling` is set, the next batch's write kills the server after its query has run: the batch is
    in the database, not committed."""
    upsert_contacts = contacts.upsert_contacts

    async def upsert_then_die(*args: Any, **kwargs: Any) -> Any:
        written = await upsert_contacts(*args, **kwargs)
        if calling.is_set():  # kill() is idempotent: retries find the server dead already
            await asyncio.to_thread(server.kill)
        return written

    monkeypatch.setattr(contacts, "upsert_contacts", upsert_then_die)


@pytest.mark.slow
async def test_killed_database_mid_sync_gives_outcome_unknown_and_a_replay_converges(
    tmp_path: Path, workspace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = LocalNeo4j(port=free_port(), home=tmp_path / "neo4j")
    try:
        await asyncio.to_thread(server.start)
    except LocalNeo4jError as error:
        unavailable(f"no local Neo4j: {error}")
    try:
        settings = Settings(
            neo4j_uri=server.uri,
            neo4j_password=server.password,
            workspace_id=workspace,
            load_demo=False,
            readiness_timeout_seconds=10,
        )
        app = create_app(settings.model_copy(update={"rate_limit": "100000/minute"}))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:
                created = await provision_key(app.state.services, workspace, Role.INTEGRATION, "crash test")
                client = GraphQLClient(http, created.secret)
                assert (await http.get("/readyz")).json() == {"status": "ready"}
                driver = app.state.services.db.driver
                await driver.execute_query(ACCOUNT, ws=workspace)
                batches = [batch(number) for number in range(BATCHES)]

                calling = asyncio.Event()
                with monkeypatch.context() as patched:
                    kill_before_commit(server, calling, patched)
                    outcomes = await load_until_failure(client, batches, calling)

                *acked, last = sorted(outcomes)
                assert (acked, last) == (list(range(KILL_DURING)), KILL_DURING)
                assert all(outcomes[n]["failed"] == 0 for n in acked)
                [error] = outcomes[last]
                assert error["extensions"]["code"] == "OUTCOME_UNKNOWN"
                assert "Replay the same batch" in error["message"]
                assert (await http.get("/readyz")).json() == {"status": "unavailable"}

                await asyncio.to_thread(server.start)  # same home, same port: the data survived the kill
                killed = [c["externalId"] for c in batches[KILL_DURING]]
                kept, _, _ = await driver.execute_query(  # retried while the restarted server warms up
                    "MATCH (r:StakeholderRef {workspaceId: $ws, source: 'crm'}) WHERE r.externalId IN $keys RETURN count(r) AS n",
                    ws=workspace,
                    keys=killed,
                )
                assert kept[0]["n"] == 0  # the uncommitted batch was rolled back
                replays = [await replay(client, contacts_batch) for contacts_batch in batches]
                assert app.state.services.db.driver is driver  # the app's own driver reconnected
                assert (await http.get("/readyz")).json() == {"status": "ready"}

                assert all(p["failed"] == 0 and p["userErrors"] == [] for p in replays)
                for number in acked:
                    assert set(statuses(replays[number])) == {"UNCHANGED"}  # acknowledged writes were kept
                records, _, _ = await app.state.services.db.driver.execute_query(
                    """
                    MATCH (r:StakeholderRef {workspaceId: $ws, source: 'crm'})-[:IDENTIFIES]->(s:Stakeholder)
                    RETURN r.externalId AS key, collect(s.name) AS names, collect([(s)-[:REPORTS_TO]->(m) | m.name]) AS managers
                    """,
                    ws=workspace,
                )
                stored = {record["key"]: (record["names"], record["managers"]) for record in records}
                expected = {
                    c["externalId"]: ([c["name"]], [[] if c["reportsTo"] is None else [f"Person {n}-0"]])
                    for n, contacts_batch in enumerate(batches)
                    for c in contacts_batch
                }
                assert stored == expected
                totals, _, _ = await app.state.services.db.driver.execute_query(
                    "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN count(s) AS n", ws=workspace
                )
                assert totals[0]["n"] == BATCHES * PER_BATCH
    finally:
        await asyncio.to_thread(server.kill)  # the data is thrown away: no need to wait for a clean shutdown
        await asyncio.to_thread(server.stop)
        shutil.rmtree(tmp_path / "neo4j", ignore_errors=True)
