"""Batched imports against the real database: batches, all-or-nothing rollback, crash recovery, the lease
on the account, the change log and the clock. Batches are made small so that small documents take many."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from service.graph.clock import read_account_clock
from service.graph.database import Database
from service.graph.writes import import_jobs
from service.rules import imports as import_rules
from service.rules.access import Principal, Role
from service.rules.contacts import Contact
from service.rules.entity_changes.refs import IdArg
from service.rules.entity_changes.rejected import Rejected
from service.rules.entity_sync import InteractionItem
from service.rules.imports import ImportProgress
from service.schema.operations import IMPORT_MUTATION, OperationError, execute_operation
from service.usecases import imports
from service.usecases.contacts import upsert_contacts_batch
from service.usecases.entity_sync import upsert_interactions
from service.usecases.imports import recover_abandoned_imports
from service.usecases.services import Services
from service.usecases.stakeholders import StakeholderEdit, update_stakeholder
from tests.import_factory import account_document, changed_document, record_count

BATCH = 100
Dump = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]

NODES = """
MATCH (n {workspaceId: $ws})
WHERE NOT n:Change AND NOT n:ImportJob AND NOT n:ImportUndo AND NOT n:AuditEntry AND NOT n:ApiKey AND NOT n:Workspace
RETURN labels(n) AS labels, properties(n) AS props
"""
RELS = """
MATCH (a {workspaceId: $ws})-[r]->(b)
WHERE NOT a:Change AND NOT a:AuditEntry AND NOT a:ApiKey AND NOT a:Workspace
RETURN type(r) AS type, coalesce(a.id, a.externalId) AS a, coalesce(b.id, b.externalId) AS b, properties(r) AS props
"""
LEFTOVERS = """
OPTIONAL MATCH (j:ImportJob {workspaceId: $ws}) WITH count(j) AS jobs
OPTIONAL MATCH (u:ImportUndo {workspaceId: $ws}) WITH jobs, count(u) AS undos
OPTIONAL MATCH (a:Account {workspaceId: $ws}) WHERE a.importJob IS NOT NULL
RETURN jobs, undos, count(a) AS leased
"""
ACCOUNT_OF_JOB = "MATCH (j:ImportJob {workspaceId: $ws, id: $job}) RETURN j.accountId AS id"
CHANGES = "MATCH (c:Change {workspaceId: $ws}) RETURN count(c) AS n, count(DISTINCT c.txId) AS txs"


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_rules.pack, "__defaults__", (BATCH,))


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db)


@pytest.fixture
def principal(workspace: str) -> Principal:
    return Principal(workspace_id=workspace, role=Role.ADMIN, id="tester")


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items() if k != "clock"))
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return str(value) if hasattr(value, "iso_format") else value


async def dump(db: Database, ws: str) -> Dump:
    """Every node and relationship of the workspace but the change log, the import jobs, the audit log and
    identity (a key's last use changes with every command-line run), sorted."""
    nodes, _, _ = await db.driver.execute_query(NODES, ws=ws)
    rels, _, _ = await db.driver.execute_query(RELS, ws=ws)
    return (
        sorted((tuple(sorted(r["labels"])), _frozen(r["props"])) for r in nodes),
        sorted((r["type"], r["a"], r["b"], _frozen(r["props"])) for r in rels),
    )


async def leftovers(db: Database, ws: str) -> tuple[int, int, int]:
    records, _, _ = await db.driver.execute_query(LEFTOVERS, ws=ws)
    return records[0]["jobs"], records[0]["undos"], records[0]["leased"]


async def change_log(db: Database, ws: str) -> tuple[int, int]:
    records, _, _ = await db.driver.execute_query(CHANGES, ws=ws)
    return records[0]["n"], records[0]["txs"]


async def run(services: Services, principal: Principal, document: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = (await execute_operation(services, principal, IMPORT_MUTATION, document))[
        "accountGraphImport"
    ]
    assert payload["userErrors"] == []
    return payload


def failing_at(batch: int, real: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """`write_batch` that writes batches before `batch`, then fails as a lost database would."""

    async def write_batch(tx: Any, ws: str, job: str, seq: int, *args: Any, **kwargs: Any) -> None:
        if seq == batch:
            raise ConnectionError("database gone")
        await real(tx, ws, job, seq, *args, **kwargs)

    return write_batch


async def test_a_large_import_runs_in_batches_and_logs_each_change_once(
    services: Services, principal: Principal, db: Database, workspace: str
) -> None:
    document = account_document(120)
    reports: list[ImportProgress] = []
    services.import_listeners.append(reports.append)
    first = await run(services, principal, document)
    again = await run(services, principal, document)
    batches = [r for r in reports if r.phase == "writing"]
    assert (first["created"], again["unchanged"], again["created"] + again["updated"]) == (
        record_count(document),
        record_count(document),
        0,
    )
    assert len(batches) > 5
    assert [r.done for r in batches] == list(range(1, len(batches) + 1))
    assert all(r.rows <= BATCH for r in batches)
    logged, transactions = await change_log(db, workspace)
    assert (transactions, await leftovers(db, workspace)) == (1, (0, 0, 0))
    data = document["input"]
    memberships = sum(len(c["members"]) for c in data["circles"])
    relations = sum(len(c["rivals"]) for c in data["circles"])
    assert logged == record_count(document) + len(data["team"]) + memberships + relations  # + assignments


async def test_an_unchanged_reimport_keeps_the_clock(services: Services, principal: Principal, db: Database) -> None:
    document = account_document(40)
    await run(services, principal, document)
    clock_before = await db.read(_clock_of_named, principal.workspace_id, "Account BIG-1")
    await run(services, principal, document)
    assert clock_before is not None
    assert await db.read(_clock_of_named, principal.workspace_id, "Account BIG-1") == clock_before


async def _clock_of_named(tx: Any, ws: str, name: str) -> str | None:
    result = await tx.run("MATCH (a:Account {workspaceId: $ws, name: $name}) RETURN a.id AS id", ws=ws, name=name)
    record = await result.single()
    return await read_account_clock(tx, ws, record["id"])


@pytest.mark.parametrize("failing_batch", [0, 2])
async def test_a_failed_replace_leaves_the_account_fully_old(
    services: Services,
    principal: Principal,
    db: Database,
    workspace: str,
    monkeypatch: pytest.MonkeyPatch,
    failing_batch: int,
) -> None:
    document = account_document(80)
    await run(services, principal, document)
    before, log_before = await dump(db, workspace), await change_log(db, workspace)
    monkeypatch.setattr(import_jobs, "write_batch", failing_at(failing_batch, import_jobs.write_batch))
    with pytest.raises(OperationError, match="Unexpected error"):
        await execute_operation(services, principal, IMPORT_MUTATION, changed_document(document))
    assert await dump(db, workspace) == before
    assert await change_log(db, workspace) == log_before
    assert await leftovers(db, workspace) == (0, 0, 0)


async def test_a_failed_first_import_leaves_nothing(
    services: Services, principal: Principal, db: Database, workspace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_jobs, "write_batch", failing_at(3, import_jobs.write_batch))
    with pytest.raises(OperationError, match="Unexpected error"):
        await execute_operation(services, principal, IMPORT_MUTATION, account_document(60))
    assert await dump(db, workspace) == ([], [])
    assert (await change_log(db, workspace), await leftovers(db, workspace)) == ((0, 0), (0, 0, 0))


async def test_an_import_whose_process_died_is_rolled_back_at_the_next_start(
    services: Services, principal: Principal, db: Database, workspace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process "dies" after three batches: no rollback runs, the job stays behind with its owner's
    pid (not alive any more); the next start (`recover_abandoned_imports`) rolls it back."""
    document = account_document(80)
    await run(services, principal, document)
    before = await dump(db, workspace)

    async def die(*args: Any) -> None:
        return None

    monkeypatch.setattr(imports, "_roll_back", die)
    monkeypatch.setattr(import_jobs, "write_batch", failing_at(2, import_jobs.write_batch))
    with pytest.raises(OperationError, match="Unexpected error"):
        await execute_operation(services, principal, IMPORT_MUTATION, changed_document(document))
    assert (await leftovers(db, workspace))[:2] == (1, 2)
    assert await dump(db, workspace) != before
    await db.driver.execute_query(
        "MATCH (j:ImportJob {workspaceId: $ws}) SET j.owner = 'dead', j.pid = $pid", ws=workspace, pid=dead_pid()
    )
    restarted = Services(db)
    assert await recover_abandoned_imports(restarted) == 1
    assert await dump(db, workspace) == before
    assert await leftovers(db, workspace) == (0, 0, 0)


def dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


async def test_other_writes_get_conflict_and_readers_cache_nothing_while_an_import_runs(
    services: Services, principal: Principal, db: Database, workspace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = account_document(80)
    await run(services, principal, document)
    person = (
        await db.driver.execute_query(
            "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN s.id AS id LIMIT 1", ws=workspace
        )
    )[0][0]["id"]
    seen: list[Any] = []
    real = import_jobs.claim_job

    async def claim_job(tx: Any, ws: str, job: str, owner: Any, now: Any, done: int, total: int) -> bool:
        """Before the third batch takes its lock: a reader, a hand-made edit and a second import."""
        if done == 2 and total > 0 and not seen:
            account = (await db.driver.execute_query(ACCOUNT_OF_JOB, ws=ws, job=job))[0][0]["id"]
            seen.append(await db.read(read_account_clock, ws, account))
            try:
                await update_stakeholder(services, principal, _edit(person))
            except Rejected as rejected:
                seen.extend((p.code.value, p.message) for p in rejected.problems)
            synced = await upsert_contacts_batch(services, principal, "crm", "BIG-1", [Contact("BIG-1-P00001", "N")])
            seen.extend((p.path, p.code.value) for p in synced.problems)
            visit = InteractionItem("visit-1", datetime(2026, 11, 2, tzinfo=UTC), "VISIT", ("BIG-1-P00001",))
            logged = await upsert_interactions(services, principal, "crm", "BIG-1", [visit])
            seen.extend((p.path, p.code.value) for p in logged.problems)
            second = await execute_operation(services, principal, IMPORT_MUTATION, document)
            seen.extend(error["code"] for error in second["accountGraphImport"]["userErrors"])
        return await real(tx, ws, job, owner, now, done, total)

    monkeypatch.setattr(import_jobs, "claim_job", claim_job)
    await run(services, principal, changed_document(document))
    busy = "this account is being imported; try again when the import has finished."
    assert seen == [None, ("CONFLICT", busy), (("account",), "CONFLICT"), (("account",), "CONFLICT"), "CONFLICT"]
    assert await leftovers(db, workspace) == (0, 0, 0)


def _edit(person: str) -> StakeholderEdit:
    return StakeholderEdit(IdArg(("id",), "Stakeholder", person, person), {"title": "edited meanwhile"})
