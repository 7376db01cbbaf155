"""The change feed while writes commit: batched imports show whole at their end (never when rolled back),
and pollers reading during concurrent writes see every committed change exactly once, in commit order,
and nothing that did not commit."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest

from service.graph.database import Database, Scope, Write, finish
from service.graph.writes import import_jobs
from service.rules import imports as import_rules
from service.rules.access import Principal, Role
from service.rules.change_feed import decode_cursor
from service.rules.changes import ChangeOp, EntityChange
from service.schema.operations import IMPORT_MUTATION, OperationError, execute_operation
from service.usecases.change_feed import FeedRequest, read_changes
from service.usecases.services import Services
from tests.conftest import ClientFactory, GraphQLClient
from tests.import_factory import account_document
from tests.schema.factories import USER_ERRORS, import_account, mutate
from tests.test_batched_import import failing_at

BATCH = 100

TRUTH = """
MATCH (k:ChangeCommit {workspaceId: $ws})
MATCH (c:Change {workspaceId: $ws, txId: k.txId})
RETURN k.number AS number, c.seq AS seq, c.entity AS entity, c.entityId AS id, c.fields AS fields, c.new AS new
ORDER BY number, seq
"""
"""Every committed change the feed should show, in feed order."""

JOB_CHANGES = "MATCH (c:Change {workspaceId: $ws, txId: $job}) RETURN count(c) AS n"

FEED = """query($after: String) {
  changes(after: $after, first: 7) { entries { entityType entityId fields { name new } cursor } endCursor hasMore } }"""

Key = tuple[int, int, str, str, tuple[str, ...], tuple[str, ...]]


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_rules.pack, "__defaults__", (BATCH,))


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db)


@pytest.fixture
def principal(workspace: str) -> Principal:
    return Principal(workspace_id=workspace, role=Role.ADMIN, id="tester")


async def everything(services: Services, principal: Principal) -> list[Any]:
    page, _ = await read_changes(services, principal, FeedRequest(1_000))
    assert not page.has_more
    return list(page.entries)


async def import_document(services: Services, principal: Principal, document: dict[str, Any]) -> None:
    payload = (await execute_operation(services, principal, IMPORT_MUTATION, document))["accountGraphImport"]
    assert payload["userErrors"] == []


async def test_an_import_shows_whole_once_finished_and_not_while_it_runs(
    services: Services, principal: Principal, db: Database, workspace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_meanwhile: list[int] = []
    jobs: list[str] = []
    real = import_jobs.claim_job

    async def claim_job(tx: Any, ws: str, job: str, owner: Any, now: Any, done: int, total: int) -> bool:
        if total == 0 and not jobs:  # the last transaction's claim: every batch has committed
            jobs.append(job)
            logged, _, _ = await db.driver.execute_query(JOB_CHANGES, ws=ws, job=job)
            seen_meanwhile.extend([logged[0]["n"], len(await everything(services, principal))])
        return await real(tx, ws, job, owner, now, done, total)

    monkeypatch.setattr(import_jobs, "claim_job", claim_job)
    await import_document(services, principal, account_document(30))
    entries = await everything(services, principal)
    logged, _, _ = await db.driver.execute_query(JOB_CHANGES, ws=workspace, job=jobs[0])
    assert seen_meanwhile[0] > 0  # the batches so far had logged changes ...
    assert seen_meanwhile[1] == 0  # ... that the feed did not show
    assert len(entries) == logged[0]["n"] > BATCH
    assert {entry.position.number for entry in entries} == {1}  # one commit: the import's last transaction
    assert [entry.position.seq for entry in entries] == sorted(entry.position.seq for entry in entries)


async def test_a_rolled_back_import_never_shows(
    services: Services, principal: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_document(services, principal, account_document(12, key="SMALL-1"))
    before = await everything(services, principal)
    monkeypatch.setattr(import_jobs, "write_batch", failing_at(2, import_jobs.write_batch))
    with pytest.raises(OperationError, match="Unexpected error"):
        await import_document(services, principal, account_document(30))
    assert await everything(services, principal) == before
    monkeypatch.undo()
    await import_document(services, principal, account_document(12, key="SMALL-2"))
    numbers = sorted({entry.position.number for entry in await everything(services, principal)})
    assert numbers == [1, 2]  # the rolled-back import took no number


class Doomed(Exception):
    """Raised by a write after it recorded its changes and took its number: it rolls back."""


async def doomed_write(w: Write, person: str, account: str, index: int) -> None:
    w.record([EntityChange("Stakeholder", person, ChangeOp.UPDATED, {"title": (None, f"doomed {index}")}, account)])
    await finish(w)
    raise Doomed()


async def test_pollers_see_every_committed_change_once_in_order_while_writers_commit(
    clients: ClientFactory, services: Services, principal: Principal, db: Database, workspace: str
) -> None:
    admin = await clients(Role.ADMIN)
    one = await import_account(admin, "acc-1", people=["p1", "p2", "p3"])
    two = await import_account(admin, "acc-2", people=["q1", "q2", "q3"])
    people = [(one.account, one[p]) for p in ("p1", "p2", "p3")] + [(two.account, two[q]) for q in ("q1", "q2")]
    done = asyncio.Event()
    committed: list[str] = []

    async def updater(index: int) -> None:
        strategist = await clients(Role.STRATEGIST)
        account, person = people[index]
        for step in range(8):
            title = f"writer {index} step {step}"
            payload = await mutate(strategist, "stakeholderUpdate", {"id": person, "title": title}, USER_ERRORS)
            assert payload["userErrors"] == []
            committed.append(title)

    async def refused() -> None:
        viewer = await clients(Role.VIEWER)
        for step in range(4):
            update = {"id": one["p1"], "title": f"refused {step}"}
            assert (await mutate(viewer, "stakeholderUpdate", update, USER_ERRORS))["userErrors"][0]["code"] == (
                "FORBIDDEN"
            )
            invalid = {"id": one["p2"], "title": f"invalid {step}", "influence": 9}
            assert (await mutate(admin, "stakeholderUpdate", invalid, USER_ERRORS))["userErrors"][0]["code"] == (
                "INVALID"
            )

    async def doomed(index: int) -> None:
        account, person = people[index]
        for step in range(6):
            with pytest.raises(Doomed):
                await db.write(Scope(workspace, "doomed"), doomed_write, person, account, step)
            await asyncio.sleep(0)

    async def importer() -> None:
        await import_document(services, principal, account_document(25, key="BIG-2"))

    async def writers() -> None:
        try:
            await asyncio.gather(*(updater(i) for i in range(4)), refused(), doomed(4), doomed(0), importer())
        finally:
            done.set()

    meanwhile: list[int] = []

    async def poller(client: GraphQLClient) -> list[Key]:
        seen: list[Key] = []
        after = None
        while True:
            finished = done.is_set()
            page = (await client.data(FEED, {"after": after}))["changes"]
            seen += [_key(entry) for entry in page["entries"]]
            if not finished:
                meanwhile.append(sum('"writer' in value for entry in page["entries"] for value in _key(entry)[5]))
            after = page["endCursor"]
            if not page["hasMore"]:
                if finished:
                    return seen
                await asyncio.sleep(0.005)

    _, first, second = await asyncio.gather(writers(), poller(admin), poller(await clients(Role.VIEWER)))
    truth = await _truth(db, workspace)
    assert first == truth
    assert second == truth
    assert sum(meanwhile) > 0  # the pollers read the writers' changes while others were still committing
    titles = {value for entry in truth for value in entry[5]}
    assert {f'"{title}"' for title in committed} <= titles
    assert not any("doomed" in value or "refused" in value or "invalid" in value for value in titles)
    assert len(committed) == 32


def _key(entry: dict[str, Any]) -> Key:
    cursor = decode_cursor(entry["cursor"])
    assert cursor is not None
    padded = entry["entityId"] + "=" * (-len(entry["entityId"]) % 4)
    _, _, raw = base64.urlsafe_b64decode(padded).decode().partition(":")
    fields = tuple(f["name"] for f in entry["fields"])
    values = tuple("null" if f["new"] is None else f["new"] for f in entry["fields"])
    return cursor.position.number, cursor.position.seq, entry["entityType"], raw, fields, values


async def _truth(db: Database, ws: str) -> list[Key]:
    records, _, _ = await db.driver.execute_query(TRUTH, ws=ws)
    return [(r["number"], r["seq"], r["entity"], r["id"], tuple(r["fields"]), tuple(r["new"])) for r in records]
