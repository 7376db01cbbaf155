"""Importing a whole account document from one source system: all or nothing, in bounded batches.

Up to the document cap (10,000 stakeholders, 100,000 links of each kind) an import writes in batches of
`BATCH_ROWS` rows, each its own transaction, so no transaction outgrows the database's memory:

1. **begin** (one small transaction): an `ImportJob` takes the lease on the account's key and on the
   account itself. From then on every other write to the account is refused (CONFLICT), and the account
   has no clock, so no reader caches a snapshot of it. A second import of the same account gets CONFLICT;
   a job found abandoned (its process died) is rolled back first.
2. **plan**: read what is stored (it cannot change under the lease), diff it off the event loop.
3. **batches**: the plan's steps (`import_steps`, then the change log) cut into batches; each batch
   transaction writes its rows, stores their inverse and renews the lease.
4. **finish** (one small transaction): the clock ticks, the lease and the stored inverses go.

Any failure after begin rolls back: the stored inverses are applied last batch first, each in its own
transaction, then the job's change-log entries are deleted, so the account is exactly as before and the
log holds nothing of the import. A process that dies mid-import leaves the job behind; it is rolled back
at the next start of any process (`recover_abandoned_imports`), by the next import of that account, or by
any process once the lease has lapsed.

A reader during the import sees the batches committed so far (and their log entries); analytics are
computed afresh on every read (nothing cached) until the import ends. The change feed, though, shows
none of the import's log entries until its last transaction commits, then all of them at that
transaction's place in the feed (and none at all when it rolls back).

The import runs to its end (or its rollback) even when the caller stops waiting (a request timeout, a
client gone): the client's outcome is then found by re-importing, which finds nothing left to write.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from service.graph.database import Scope, Write
from service.graph.writes import import_jobs as jobs
from service.graph.writes.account_import import import_steps, load_stored_state
from service.graph.writes.import_jobs import WriteStep
from service.rules.access import Permission, Principal
from service.rules.account_import import (
    AccountDocument,
    ImportPlan,
    StoredAccountState,
    effective_at_problems,
    plan_import,
    validate_document,
)
from service.rules.account_import.plan import Counts
from service.rules.changes import EntityChange
from service.rules.deals import validate_deal_section
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.imports import ImportJob, ImportProgress, Slice, abandoned, account_busy, pack
from service.usecases.auditing import audited_scope, record_refusal
from service.usecases.authorization import require
from service.usecases.deals.imports import import_deals
from service.usecases.errors import ImportTakenOver
from service.usecases.ids import new_id
from service.usecases.services import Services

CHANGES_PER_DELETE = 5_000


async def import_account_graph(services: Services, principal: Principal, document: AccountDocument) -> ImportPlan:
    """Validate the document, then write the difference to what is stored; `Rejected` with every problem
    found when the document is invalid or conflicts with what is stored (nothing written)."""
    try:
        require(principal, Permission.SYNC)
        stakeholders = [s.external_id for s in document.stakeholders]
        problems = [
            *validate_document(document),
            *validate_deal_section(document.deals, stakeholders),
            *effective_at_problems(document.effective_at, services.db.clock()),
        ]
        if problems:
            raise Rejected(problems)
        task = asyncio.ensure_future(_import(services, principal, document))
        _keep(task)
        return await asyncio.shield(task)
    except Rejected as rejected:
        await record_refusal(services, principal, "import", rejected.problems)
        raise


_TASKS: set[asyncio.Future[Any]] = set()


def _keep(task: asyncio.Future[Any]) -> None:
    """Hold the task until it ends: it runs on when its caller is cancelled (its outcome is then only
    in the database, and its failure already rolled back)."""
    _TASKS.add(task)
    task.add_done_callback(_forget)


def _forget(task: asyncio.Future[Any]) -> None:
    _TASKS.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: a caller that stopped waiting leaves no "never retrieved" warning


async def _import(services: Services, principal: Principal, document: AccountDocument) -> ImportPlan:
    scope = Scope(principal.workspace_id, principal.id)
    job = new_id()
    started = document.effective_at or services.db.clock()
    account = await _begin(services, scope, job, document)
    services.running_imports.add(job)
    try:
        stored = await services.db.read(load_stored_state, scope.ws, document)
        plan = await asyncio.to_thread(plan_import, document, stored, new_id)
        reject_if(plan.problems)
        steps, changes = import_steps(plan), plan.changes
        written = Written(plan.account_id, document.account.name, document.source, started)
        deals = DealStep(document, stored, plan)
        more = await _write(services, audited_scope(principal, "import"), job, written, steps, changes, deals)
        counts = plan.counts
        counts.created += more.created
        counts.updated += more.updated
        counts.unchanged += more.unchanged
        counts.removed += more.removed
        return plan
    except BaseException:
        await _roll_back(services, scope.ws, job, account)
        raise
    finally:
        services.running_imports.discard(job)


async def _begin(services: Services, scope: Scope, job: str, document: AccountDocument) -> str:
    """Take the lease; roll back an abandoned job of the same account first. The account's name for
    progress reports."""
    while True:
        begun = await services.db.write(scope, _take_lease, job, document, services)
        if begun.ours:
            return document.account.name
        if not _abandoned(services, begun.job):
            raise Rejected([account_busy()])
        await roll_back_job(services, scope.ws, begun.job)


async def _take_lease(w: Write, job: str, document: AccountDocument, services: Services) -> jobs.Begun:
    source, key = document.source, document.account.external_id
    begun = await jobs.begin_job(w.tx, w.ws, job, source, key, services.owner, w.by, w.now)
    if begun.ours and begun.account_job is not None:
        raise Rejected([account_busy()])  # another source's import holds the account: rolls back our job
    if begun.ours and begun.account_id is not None:
        await jobs.lease_account(w.tx, w.ws, job, begun.account_id)
    return begun


def _abandoned(services: Services, job: ImportJob) -> bool:
    return abandoned(
        job,
        services.owner,
        datetime.now(UTC),
        owner_alive=_alive(job.owner.pid),
        running_here=job.id in services.running_imports,
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True, slots=True)
class DealStep:
    """The document's deal sections, written with the import's last transaction (they are small), planned
    against what is stored and the people the import created."""

    document: AccountDocument
    stored: StoredAccountState
    plan: ImportPlan


@dataclass(frozen=True, slots=True)
class Written:
    """What the batches write into: the account (its id and name), the document's source, the import's time."""

    account_id: str
    account: str
    source: str
    started: datetime


async def _write(
    services: Services,
    scope: Scope,
    job: str,
    into: Written,
    steps: Sequence[WriteStep],
    changes: Sequence[EntityChange],
    deals: DealStep,
) -> Counts:
    """The steps in order, then the change log, cut into batches; then the deal sections, and the job
    ends, in one last transaction (the one the audit log records). The deal sections' counts."""
    batches = pack([*(len(step.rows) for step in steps), len(changes)])
    params = {"ws": scope.ws, "source": into.source, "accountId": into.account_id, "now": into.started}
    first_seq = 0
    batch_scope = dataclasses.replace(scope, audit=None)  # the audit entry goes with the last transaction
    for seq, batch in enumerate(batches):
        parts = [(steps[s.step], s.start, s.end) for s in batch if s.step < len(steps)]
        logged = [changes[i] for s in batch if s.step == len(steps) for i in range(s.start, s.end)]
        await services.db.write(
            batch_scope, _batch, job, services, seq, len(batches), into, parts, logged, first_seq, params
        )
        first_seq += len(logged)
        _tell(services, ImportProgress(into.account, "writing", seq + 1, len(batches), _rows(batch)))
    counts = await services.db.write(scope, _end_with_deals, job, services, bool(batches), into, deals, first_seq)
    _tell(services, ImportProgress(into.account, "done", len(batches), len(batches)))
    return counts


async def _batch(
    w: Write,
    job: str,
    services: Services,
    seq: int,
    total: int,
    into: Written,
    parts: Sequence[tuple[WriteStep, int, int]],
    changes: Sequence[EntityChange],
    first_seq: int,
    params: dict[str, Any],
) -> None:
    await _claim(w, job, services, seq, total)
    w.under_lease(job, into.started, first_seq)
    await jobs.write_batch(w.tx, w.ws, job, seq, into.account_id, parts, params)
    w.record(changes)


async def _end_with_deals(
    w: Write, job: str, services: Services, changed: bool, into: Written, deals: DealStep, first_seq: int
) -> Counts:
    await _claim(w, job, services)
    w.under_lease(job, into.started, first_seq)
    w.commit_job()
    counts, deals_changed = await import_deals(w, deals.document, deals.stored, deals.plan)
    await jobs.end_job(w.tx, w.ws, job, changed or deals_changed)
    w.released.add(into.account_id)
    return counts


async def _end(w: Write, job: str, services: Services, changed: bool) -> None:
    await _claim(w, job, services)
    await jobs.end_job(w.tx, w.ws, job, changed)


async def _claim(w: Write, job: str, services: Services, done: int = 0, total: int = 0) -> None:
    """Renew this process's hold on `job` and lock it for the transaction; `ImportTakenOver` when lost."""
    if not await jobs.claim_job(w.tx, w.ws, job, services.owner, datetime.now(UTC), done, total):
        raise ImportTakenOver()


def _rows(batch: Sequence[Slice]) -> int:
    return sum(s.end - s.start for s in batch)


def _tell(services: Services, progress: ImportProgress) -> None:
    for listener in services.import_listeners:
        listener(progress)


async def _roll_back(services: Services, ws: str, job: str, account: str) -> None:
    """Undo what this process wrote of `job`; shielded, so that a cancelled import still rolls back.
    When the database is gone too, the job stays behind for recovery."""
    await asyncio.shield(_undo(services, ws, job, account))


async def roll_back_job(services: Services, ws: str, job: ImportJob) -> None:
    """Take over an abandoned job and roll it back (nothing, when someone else took it over first)."""
    scope = Scope(ws, "import-recovery")
    if await services.db.write(scope, _take_over, job, services):
        await _undo(services, ws, job.id, job.external_id)


async def _take_over(w: Write, job: ImportJob, services: Services) -> bool:
    return await jobs.take_over_job(w.tx, w.ws, job, services.owner, datetime.now(UTC))


async def _undo(services: Services, ws: str, job: str, account: str) -> None:
    """Undo the job's stored batches, last first, then drop its change-log entries and end it; stops when
    another process took the job over."""
    scope = Scope(ws, "import-rollback")
    total = await services.db.read(jobs.stored_batches, ws, job)
    done = 0
    try:
        while await services.db.write(scope, _undo_batch, job, services, done, total):
            done += 1
            _tell(services, ImportProgress(account, "rolling back", done, total))
        while await services.db.write(scope, _drop_changes, job, services):
            pass
        await services.db.write(scope, _end, job, services, done > 0)
    except ImportTakenOver:
        return
    _tell(services, ImportProgress(account, "rolled back", done, total))


async def _undo_batch(w: Write, job: str, services: Services, done: int, total: int) -> bool:
    await _claim(w, job, services, done, total)
    return await jobs.undo_last_batch(w.tx, w.ws, job)


async def _drop_changes(w: Write, job: str, services: Services) -> bool:
    await _claim(w, job, services)
    return await jobs.drop_changes(w.tx, w.ws, job, CHANGES_PER_DELETE) > 0


async def recover_abandoned_imports(services: Services) -> int:
    """Roll back every import job whose process is gone (at start-up, and now and then); how many."""
    recovered = 0
    for ws, job in await services.db.read(jobs.abandoned_candidates):
        if _abandoned(services, job):
            await roll_back_job(services, ws, job)
            recovered += 1
    return recovered
