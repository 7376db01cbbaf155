"""Checkpoints of the map (DOMAIN.md rule 18, `service.graph.checkpoints`): a read of the past that starts
from one gives what undoing every change since gives, on any log, backfilled ones too; writes retire those
they could make wrong; the process stores them in the background once enough changes accrued."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, example, given, settings

from service.graph.as_of import account_states, map_reads
from service.graph.database import Committed, Database
from service.rules.access import Principal, Role
from service.rules.account_graph import AccountGraph
from service.rules.account_import.document import AccountDoc, AccountDocument, InfluenceDoc, StakeholderDoc
from service.rules.entity_changes.rejected import Rejected
from service.rules.enums import Stance
from service.rules.history import MIN_CHANGES_BETWEEN_CHECKPOINTS, Deferral
from service.usecases import accounts, stakeholders
from service.usecases.checkpoints import checkpoint_account, start_checkpoints
from service.usecases.imports import import_account_graph
from service.usecases.services import Services
from service.usecases.stakeholders import StakeholderEdit
from tests.history.test_as_of_properties import START, Clock, _setup, canonical, edits, ref

CHECKPOINTS = """
MATCH (k:Checkpoint {workspaceId: $ws})
RETURN k.at AS at, k.entities AS entities
ORDER BY k.at
"""

DROP_CHECKPOINTS = "MATCH (k:Checkpoint {workspaceId: $ws}) DETACH DELETE k"


async def stored(db: Database, ws: str) -> list[datetime]:
    records, _, _ = await db.driver.execute_query(CHECKPOINTS, ws=ws)
    return [r["at"].to_native() for r in records]


async def read(db: Database, ws: str, account: str, instants: list[datetime]) -> list[AccountGraph]:
    found = await db.read(account_states, ws, account, instants)
    assert found is not None
    return found


def same(a: AccountGraph, b: AccountGraph) -> None:
    """The same snapshot, the same records and the same reads (which the state behind it gives)."""
    assert canonical(a) == canonical(b)
    assert dict(a.records) == dict(b.records)
    assert map_reads(a) == map_reads(b)


back_dated = st.none() | st.integers(1, 300)
"""How many seconds before now an edit is recorded at (a backfill), or None: now."""

crowded = st.one_of(
    st.tuples(st.just("stance"), st.integers(0, 1), st.sampled_from(list(Stance))),
    st.tuples(st.just("influence"), st.integers(0, 1), st.none() | st.integers(1, 5)),
    st.tuples(st.just("checkpoint")),
)
"""Edits of few fields, so that backfills land before changes of the same field, around checkpoints."""


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(script=st.lists(st.tuples(st.one_of(edits, crowded, crowded), st.integers(0, 3), back_dated), max_size=14))
@example(  # two changes of one field at one instant (a backfill onto the instant of the other): undone in commit order
    script=[(("stance", 0, Stance.MENTOR), 1, None), (("stance", 0, Stance.ENEMY), 0, 1)]
)
@example(script=[(("stance", 0, Stance.ENEMY), 1, None), (("stance", 0, Stance.MENTOR), 0, 1)])
@example(  # a backfill before a later change of the same value, after the checkpoint: it has to go
    script=[(("stance", 0, Stance.MENTOR), 1, None), (("stance", 0, Stance.ENEMY), 0, 30)]
)
async def test_reading_from_checkpoints_equals_undoing_every_change_on_any_log(
    db: Database, workspace: str, script: list[tuple[tuple[Any, ...], int, int | None]]
) -> None:
    clock = Clock()
    edited = await _setup(db, workspace, clock)
    await checkpoint_account(db, workspace, edited.account, force=True)
    instants = [START, clock.now]
    for edit, minutes, back in script:
        clock.now += timedelta(minutes=minutes, seconds=1)
        now = clock.now
        if back is not None:
            clock.now = max(START, now - timedelta(seconds=back))
        with contextlib.suppress(Rejected):
            await edited.apply(edit)
        instants += [clock.now, clock.now + timedelta(milliseconds=1)]
        clock.now = now
    instants.append(clock.now)
    from_checkpoints = await read(db, workspace, edited.account, instants)
    await db.driver.execute_query(DROP_CHECKPOINTS, ws=workspace)
    undoing_all = await read(db, workspace, edited.account, instants)
    for checkpointed, undone in zip(from_checkpoints, undoing_all, strict=True):
        same(checkpointed, undone)


async def _stance_edits(db: Database, workspace: str) -> tuple[Any, Clock, list[datetime]]:
    """The test map with three stance changes, one a minute, checkpointed after each: their instants."""
    clock = Clock()
    edited = await _setup(db, workspace, clock)
    instants = []
    for stance in (Stance.MENTOR, Stance.ENEMY, Stance.NEUTRAL):
        clock.now += timedelta(minutes=1)
        await edited.apply(("stance", 0, stance))
        instants.append(clock.now)
        done = await checkpoint_account(db, workspace, edited.account, force=True)
        assert done.saved == clock.now
    return edited, clock, instants


def stance_of(graph: AccountGraph, person: str) -> Stance:
    return {p.id: p.stance for p in graph.people}[person]


async def test_a_write_keeps_the_checkpoints_before_it_and_a_backfill_retires_all(db: Database, workspace: str) -> None:
    edited, clock, (first, second, third) = await _stance_edits(db, workspace)
    assert await stored(db, workspace) == [first, second, third]
    person = edited.people[0]
    before = [stance_of(g, person) for g in await read(db, workspace, edited.account, [first, second, third])]
    assert before == [Stance.MENTOR, Stance.ENEMY, Stance.NEUTRAL]

    clock.now = third  # at the instant of the latest checkpoint: that one would miss it
    await edited.apply(("stance", 2, Stance.MENTOR))
    assert await stored(db, workspace) == [first, second]

    clock.now += timedelta(minutes=1)
    await edited.apply(("stance", 1, Stance.ENEMY))  # later than every change: the checkpoints still hold
    assert await stored(db, workspace) == [first, second]

    clock.now = first + timedelta(seconds=10)  # before changes already logged: any checkpoint may mislead
    await edited.apply(("influence", 0, 5))
    assert await stored(db, workspace) == []
    after = [stance_of(g, person) for g in await read(db, workspace, edited.account, [first, second, third])]
    assert after == before


async def test_a_checkpoint_waits_for_enough_changes_unless_forced(db: Database, workspace: str) -> None:
    edited, clock, (first, second, third) = await _stance_edits(db, workspace)
    unforced = await checkpoint_account(db, workspace, edited.account)
    assert unforced.saved is None
    assert unforced.changes_to_go == MIN_CHANGES_BETWEEN_CHECKPOINTS + 1  # none logged since the last
    clock.now += timedelta(minutes=1)
    await edited.apply(("stance", 1, Stance.ENEMY))
    assert (await checkpoint_account(db, workspace, edited.account)).changes_to_go == MIN_CHANGES_BETWEEN_CHECKPOINTS
    assert await stored(db, workspace) == [first, second, third]


async def test_no_checkpoint_while_an_import_holds_the_account(db: Database, workspace: str) -> None:
    edited, _, _ = await _stance_edits(db, workspace)
    await db.driver.execute_query(
        "MATCH (a:Account {workspaceId: $ws, id: $id}) SET a.importJob = 'elsewhere'", ws=workspace, id=edited.account
    )
    held = await checkpoint_account(db, workspace, edited.account, force=True)
    assert (held.saved, held.changes_to_go) == (None, None)


async def test_deleting_an_account_deletes_its_checkpoints(db: Database, workspace: str) -> None:
    edited, clock, _ = await _stance_edits(db, workspace)
    for index in range(len(edited.people)):
        clock.now += timedelta(minutes=1)
        await edited.apply(("archive", index, True))
    await accounts.delete_account(edited.services, edited.principal, ref("Account", edited.account))
    assert await stored(db, workspace) == []


def _document(people: int, version: int) -> AccountDocument:
    return AccountDocument(
        source="test",
        account=AccountDoc("acc", "Checkpointed"),
        stakeholders=tuple(
            StakeholderDoc(external_id=f"p{i}", name=f"Person {i}", stance=list(Stance)[(i + version) % len(Stance)])
            for i in range(people)
        ),
        influences=tuple(InfluenceDoc(f"p{i}", f"p{(i + 1) % people}", 3) for i in range(people)),
        effective_at=START + timedelta(days=version),
    )


async def test_the_service_stores_checkpoints_in_the_background_once_due(db: Database, workspace: str) -> None:
    services = Services(Database(db.driver, db.database))
    checkpointer = start_checkpoints(services)
    principal = Principal(workspace, Role.ADMIN, "tester")
    await import_account_graph(services, principal, _document(400, 0))  # 800 changes: not due yet
    await checkpointer.settle()
    assert await stored(db, workspace) == []
    plan = await import_account_graph(services, principal, _document(400, 1))  # 400 more: due
    await checkpointer.settle()
    assert await stored(db, workspace) == [START + timedelta(days=1)]
    past = await read(db, workspace, plan.account_id, [START + timedelta(hours=1)])
    assert sorted(p.stance.value for p in past[0].people) == sorted(
        list(Stance)[i % len(Stance)].value for i in range(400)
    )
    await checkpointer.close()


NEVER = 3600.0
"""A wait no test outlasts."""


async def _import_until_due(services: Services, workspace: str) -> str:
    """Two imports of 400 people: 1,200 changes, a checkpoint due (as in the test above); the account's id."""
    principal = Principal(workspace, Role.ADMIN, "tester")
    await import_account_graph(services, principal, _document(400, 0))
    plan = await import_account_graph(services, principal, _document(400, 1))
    return plan.account_id


async def _until_stored(db: Database, ws: str, attempts: int = 600) -> list[datetime]:
    for _ in range(attempts):
        if found := await stored(db, ws):
            return found
        await asyncio.sleep(0.1)
    return []


async def test_a_due_checkpoint_waits_while_the_account_is_being_written(db: Database, workspace: str) -> None:
    services = Services(Database(db.driver, db.database))
    checkpointer = start_checkpoints(services, Deferral(quiet=NEVER, longest=NEVER))
    await _import_until_due(services, workspace)
    await asyncio.sleep(1.0)  # time enough to store it, were it not waiting
    assert await stored(db, workspace) == []
    await checkpointer.settle()  # stores what is due without waiting
    assert await stored(db, workspace) == [START + timedelta(days=1)]
    await checkpointer.close()


async def test_a_due_checkpoint_is_stored_once_the_account_is_quiet(db: Database, workspace: str) -> None:
    services = Services(Database(db.driver, db.database))
    checkpointer = start_checkpoints(services, Deferral(quiet=0.2, longest=NEVER))
    await _import_until_due(services, workspace)
    assert await _until_stored(db, workspace) == [START + timedelta(days=1)]
    await checkpointer.close()


async def test_writes_that_never_pause_still_get_a_checkpoint(db: Database, workspace: str) -> None:
    """Edits one after another, never a pause as long as `quiet`: the checkpoint is stored after `longest`. (Edits,
    not imports: an import holds the account while it runs, and no checkpoint is stored then, so back-to-back
    imports would leave the checkpointer only the moments between them.)"""
    services = Services(Database(db.driver, db.database))
    checkpointer = start_checkpoints(services, Deferral(quiet=NEVER, longest=0.5))
    principal = Principal(workspace, Role.ADMIN, "tester")
    account = await _import_until_due(services, workspace)
    records, _, _ = await db.driver.execute_query(
        "MATCH (s:Stakeholder {workspaceId: $ws, accountId: $account}) RETURN s.id AS id LIMIT 1",
        ws=workspace,
        account=account,
    )
    person = ref("Stakeholder", records[0]["id"])
    edits = 0
    while not await stored(db, workspace) and edits < 20_000:  # a bound, never reached: 0.5 s of edits stores it
        notes = f"edit {edits}"
        await stakeholders.update_stakeholder(services, principal, StakeholderEdit(person, {"notes": notes}))
        edits += 1
    assert len(await stored(db, workspace)) == 1
    await checkpointer.close()


async def test_a_failing_listener_of_committed_writes_does_not_fail_the_write(db: Database, workspace: str) -> None:
    services = Services(Database(db.driver, db.database))
    heard: list[Committed] = []

    def failing(committed: Committed) -> None:
        heard.append(committed)
        raise RuntimeError("listener down")

    services.db.committed.append(failing)
    principal = Principal(workspace, Role.ADMIN, "tester")
    made = await accounts.create_account(services, principal, {"name": "Heard"}, None)
    assert [(c.ws, c.accounts) for c in heard] == [(workspace, frozenset({made.id}))]


async def test_checkpoints_stored_among_concurrent_writes_give_exact_answers(db: Database, workspace: str) -> None:
    """Writers on the wall clock commit in an order of their own, not always their instants' (a backfill for the
    log), while checkpoints are stored between their writes: every answer still equals undoing every change."""
    clock = Clock()
    edited = await _setup(db, workspace, clock)
    services = Services(Database(db.driver, db.database))  # the wall clock, after the test clock's start
    instants: list[datetime] = []

    async def writer(person: int) -> None:
        for step in range(8):
            stance = list(Stance)[(person + step) % len(Stance)]
            edit = StakeholderEdit(ref("Stakeholder", edited.people[person]), {"stance": stance.value})
            await stakeholders.update_stakeholder(services, edited.principal, edit)
            instants.append(datetime.now(UTC))

    saved: list[datetime] = []

    async def checkpointer() -> None:
        for _ in range(8):
            done = await checkpoint_account(db, workspace, edited.account, force=True)
            saved.extend([done.saved] if done.saved else [])
            await asyncio.sleep(0)

    await asyncio.gather(*(writer(person) for person in range(len(edited.people))), checkpointer())
    assert saved  # the first at least: the setup's changes had none
    instants.sort()
    from_checkpoints = await read(db, workspace, edited.account, instants)
    await db.driver.execute_query(DROP_CHECKPOINTS, ws=workspace)
    undoing_all = await read(db, workspace, edited.account, instants)
    for checkpointed, undone in zip(from_checkpoints, undoing_all, strict=True):
        same(checkpointed, undone)
