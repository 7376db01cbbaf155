"""Stakeholders by hand: create, update (guarded by the version the client read), archive and restore,
and merging a duplicate into its survivor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.graph import records
from service.graph.database import Write
from service.graph.writes import merge as merging
from service.graph.writes.lookup import lock_and_read
from service.graph.writes.stakeholders import Edited, reporting, set_manager, stakeholder_edit
from service.graph.writes.stakeholders import create_stakeholder as store_stakeholder
from service.graph.writes.stakeholders import update_stakeholder as store_update
from service.rules import models
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp
from service.rules.entity_changes.diff import (
    assigned,
    change,
    created,
    new_values,
    stakeholder_change,
    stale,
    updated,
)
from service.rules.entity_changes.fields import reporting_problems, stakeholder_problems
from service.rules.entity_changes.refs import IdArg, Refs, outside, unknown
from service.rules.entity_changes.rejected import reject_if
from service.rules.enums import ErrorCode
from service.rules.merge import MergePlan, check_merge, merge_changes, plan_merge
from service.rules.validation import Problem
from service.usecases.deals.merging import merge_deals
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write, write_one_query


@dataclass(frozen=True, slots=True)
class ManagerChange:
    """A new reporting line: `manager` None reports to nobody."""

    manager: IdArg | None


@dataclass(frozen=True, slots=True)
class StakeholderEdit:
    person: IdArg
    values: dict[str, Any]
    """Stored field name -> new value (None clears) of every field the client gave."""
    version: int | None = None
    """The version the edit is based on: a different stored version is STALE."""
    reports_to: ManagerChange | None = None
    """None: the reporting line stays as it is."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    survivor_id: str
    duplicate_id: str
    plan: MergePlan


async def create_stakeholder(
    services: Services, principal: Principal, account: IdArg, manager: IdArg | None, values: dict[str, Any]
) -> models.Stakeholder:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _create, account, manager, values)


async def update_stakeholder(services: Services, principal: Principal, edit: StakeholderEdit) -> models.Stakeholder:
    if edit.reports_to is None and not stakeholder_problems(edit.values):
        edited = await _edit_at_once(services, principal, "update", edit.person, edit.values, edit.version)
        if edited is not None:
            return edited
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _update, edit)


async def set_archived(services: Services, principal: Principal, person: IdArg, archived: bool) -> models.Stakeholder:
    """Archive (soft-delete) or restore a person; already so: nothing changes."""
    edited = await _edit_at_once(services, principal, "set_archived", person, {"archived": archived}, None)
    if edited is not None:
        return edited
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_archived, person, archived)


async def merge_stakeholders(
    services: Services, principal: Principal, survivor: IdArg, duplicate: IdArg
) -> MergeResult:
    """Fold `duplicate` into `survivor` (see `service.rules.merge`), in one transaction."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _merge, survivor, duplicate)


async def _create(w: Write, account: IdArg, manager: IdArg | None, values: dict[str, Any]) -> models.Stakeholder:
    refs = await lock_and_read(w.tx, w.ws, [account, manager])
    reject_if(
        [
            *unknown([account, manager], refs),
            *outside(manager, refs, account.raw, "`account`"),
            *stakeholder_problems(values),
        ]
    )
    assert account.raw is not None
    props, changed = created(values)
    props.setdefault("stance", "UNKNOWN")
    props.setdefault("buyingRoles", [])
    props.setdefault("buyerTypes", [])
    person = new_id()
    manager_id = None if manager is None else manager.raw
    stakeholder = await store_stakeholder(w.tx, w.ws, person, account.raw, props, manager_id, w.now)
    logged = {name: (None, value) for name, value in props.items()}
    if manager_id is not None:
        logged["reportsTo"] = (None, manager_id)
    w.record([change("Stakeholder", person, ChangeOp.CREATED, logged, account.raw, [person])])
    return stakeholder


async def _edit_at_once(
    services: Services, principal: Principal, operation: str, person: IdArg, values: dict[str, Any], version: int | None
) -> models.Stakeholder | None:
    """The common edit of a person's own fields (valid values, the reporting line left alone) as a write that is
    one query (`stakeholder_edit`): the same checks, changes and log as `_update`. None when it takes
    that longer way instead (nothing written then)."""
    if person.raw is None:
        return None
    one = stakeholder_edit(person.raw, assigned(values), version)
    if one is None:
        return None

    def conclude(edited: Edited) -> models.Stakeholder | None:
        if not edited.found:
            reject_if(unknown([person], Refs()))
        assert edited.version is not None
        reject_if(stale(version, edited.version))
        return edited.stakeholder if edited.finished else None

    return await write_one_query(services, principal, Permission.WRITE_INTELLIGENCE, operation, one, conclude)


async def _update(w: Write, edit: StakeholderEdit) -> models.Stakeholder:
    """Any edit: lock and read, check, set the reporting line and the fields, each its own round trip
    (`_edit_at_once` makes the common edit in one)."""
    new_manager = None if edit.reports_to is None else edit.reports_to.manager
    refs = await lock_and_read(w.tx, w.ws, [edit.person, new_manager])
    found = refs.get(edit.person)
    problems = unknown([edit.person, new_manager], refs)
    if found is not None:
        problems = [
            *stale(edit.version, found.props["version"]),
            *problems,
            *outside(new_manager, refs, found.account_id, "the stakeholder"),
        ]
    problems += stakeholder_problems(edit.values)
    manager_move: tuple[str | None, str | None] | None = None
    if found is not None and edit.reports_to is not None:
        manager_id = None if new_manager is None else new_manager.raw
        known = new_manager is None or refs.get(new_manager) is not None
        current, cycle = await reporting(w.tx, w.ws, found.id, manager_id) if known else (None, False)
        problems += reporting_problems(found.id, manager_id, cycle)
        if known and current != manager_id:
            manager_move = (current, manager_id)
    reject_if(problems)
    assert found is not None
    assert found.account_id is not None
    changed = updated(found.props, edit.values)
    if not changed and manager_move is None:
        return records.stakeholder_from(found.props)
    if manager_move is not None:
        await set_manager(w.tx, w.ws, found.id, manager_move[1])
    stakeholder = await store_update(w.tx, w.ws, found.id, new_values(changed), w.now)
    logged = dict(changed) if manager_move is None else {**changed, "reportsTo": manager_move}
    w.record([stakeholder_change(found.id, found.account_id, logged)])
    return stakeholder


async def _set_archived(w: Write, person: IdArg, archived: bool) -> models.Stakeholder:
    refs = await lock_and_read(w.tx, w.ws, [person])
    reject_if(unknown([person], refs))
    found = refs.get(person)
    assert found is not None
    assert found.account_id is not None
    changed = updated(found.props, {"archived": archived})
    if not changed:
        return records.stakeholder_from(found.props)
    stakeholder = await store_update(w.tx, w.ws, found.id, new_values(changed), w.now)
    w.record([stakeholder_change(found.id, found.account_id, changed)])
    return stakeholder


async def _merge(w: Write, survivor: IdArg, duplicate: IdArg) -> MergeResult:
    malformed = [
        Problem(arg.path, "not a stakeholder id.", ErrorCode.NOT_FOUND)
        for arg in (survivor, duplicate)
        if arg.raw is None
    ]
    reject_if(malformed)
    assert survivor.raw is not None
    assert duplicate.raw is not None
    ids = [survivor.raw, duplicate.raw]
    found = await merging.lock_pair(w.tx, w.ws, ids)
    reject_if(check_merge(found.get(survivor.raw), found.get(duplicate.raw), survivor.raw, duplicate.raw))
    kept, folded = await merging.merge_sides(w.tx, w.ws, survivor.raw, duplicate.raw, found)
    plan = plan_merge(kept, folded)
    if not plan.already_merged:
        await merging.apply_merge(w.tx, w.ws, survivor.raw, duplicate.raw, plan, w.now)
        w.record(merge_changes(plan, kept, folded))
        await merge_deals(w, survivor.raw, duplicate.raw, kept.props.get("accountId"))
    await merging.unlock_pair(w.tx, w.ws, ids)
    return MergeResult(survivor.raw, duplicate.raw, plan)
