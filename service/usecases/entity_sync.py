"""Bulk upserts and removals by external id for interactions, team members and coverage (issue 18).

The semantics of contact sync (`service.usecases.contacts`) for the rest of what a CRM holds: integration
jobs (and admins) send up to 1,000 items a call, each gets its own outcome in input order, and the batch
is one write transaction and one Cypher round trip (plus the closing query of `Database.write`, which
logs the changes, ticks the clocks of the accounts they touch and writes the audit entry; the interaction
upsert logs its changes in its own query). The batch is
idempotent, so the driver may retry it and a client may replay it: a replay reports UNCHANGED and writes
nothing (no change, no clock). When the database does not confirm the batch, the call raises
`OutcomeUnknown` and the client replays it.

Every change is logged as the hand-made mutations log it (`service.usecases.team`,
`service.usecases.interactions`): a creation with every stored value, an update with what changed, a
removal with every stored value, under the same entity names and ids.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Concatenate, ParamSpec

from service.graph.database import Scope, Write
from service.graph.records import native_datetime
from service.graph.writes import entity_sync as graph
from service.graph.writes.contacts import SYNC_RETRY_SECONDS
from service.rules import entity_sync as rules
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp, EntityChange, team_assignment_change
from service.rules.entity_changes.diff import change, creation, removal
from service.rules.entity_changes.props import coverage_id
from service.rules.entity_changes.rejected import Rejected
from service.rules.entity_sync import (
    CoverageItem,
    CoverageKey,
    InteractionItem,
    ItemsCheck,
    ItemsSummary,
    ItemsWrite,
    StoredItem,
    TeamMemberItem,
    summarize_items,
    unknown_reference,
)
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.auditing import audited_scope, record_refusal
from service.usecases.authorization import Forbidden, require
from service.usecases.batches import with_batch_retries
from service.usecases.services import Services

P = ParamSpec("P")
Row = dict[str, Any]


async def upsert_interactions(
    services: Services, principal: Principal, source: str, account: str, items: Sequence[InteractionItem]
) -> ItemsSummary:
    """Interactions of the account the source knows as `account`, by their keys."""
    check = rules.validate_interactions(source, account, items)
    rows = rules.interaction_rows(items, check.items.keys())
    written = await _run(services, principal, "upsert_interactions", check, _upsert_interactions, source, account, rows)
    return _summary(len(items), check, written, source)


async def remove_interactions(
    services: Services, principal: Principal, source: str, account: str, keys: Sequence[str]
) -> ItemsSummary:
    check = rules.validate_removals(source, account, keys, "externalIds")
    rows = rules.removal_rows(keys, check.items.keys())
    written = await _run(services, principal, "remove_interactions", check, _remove_interactions, source, account, rows)
    return _summary(len(keys), check, written, source)


async def upsert_team_members(
    services: Services, principal: Principal, source: str, items: Sequence[TeamMemberItem]
) -> ItemsSummary:
    """Team members of the workspace, by their keys."""
    check = rules.validate_team_members(source, items)
    rows = rules.team_member_rows(items, check.items.keys())
    written = await _run(services, principal, "upsert_team_members", check, _upsert_team_members, source, rows)
    return _summary(len(items), check, written, source)


async def remove_team_members(
    services: Services, principal: Principal, source: str, keys: Sequence[str]
) -> ItemsSummary:
    """Team members with their assignments, coverage and external ids; the visits they logged stay."""
    check = rules.validate_removals(source, None, keys, "externalIds")
    rows = rules.removal_rows(keys, check.items.keys())
    written = await _run(services, principal, "remove_team_members", check, _remove_team_members, source, rows)
    return _summary(len(keys), check, written, source)


async def upsert_coverage(
    services: Services, principal: Principal, source: str, items: Sequence[CoverageItem]
) -> ItemsSummary:
    check = rules.validate_coverage(source, items)
    rows = rules.coverage_rows(items, check.items.keys())
    written = await _run(services, principal, "upsert_coverage", check, _upsert_coverage, source, rows)
    return _summary(len(items), check, written, source)


async def remove_coverage(
    services: Services, principal: Principal, source: str, keys: Sequence[CoverageKey]
) -> ItemsSummary:
    check = rules.validate_coverage_removals(source, keys)
    rows = rules.coverage_removal_rows(keys, check.items.keys())
    written = await _run(services, principal, "remove_coverage", check, _remove_coverage, source, rows)
    return _summary(len(keys), check, written, source)


def _summary(count: int, check: ItemsCheck, written: ItemsWrite | list[Problem] | None, source: str) -> ItemsSummary:
    if isinstance(written, list):  # an import holds an account the batch touches: the whole call was refused
        return ItemsSummary(problems=written)
    return summarize_items(count, check, written, source)


# --- running a batch -----------------------------------------------------------------------------


async def _run(
    services: Services,
    principal: Principal,
    operation: str,
    check: ItemsCheck,
    work: Callable[Concatenate[Write, P], Awaitable[ItemsWrite]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> ItemsWrite | list[Problem] | None:
    """The batch in one transaction, retried as contact sync retries; None when the call was refused whole,
    the problems when an import holds an account it touches."""
    try:
        require(principal, Permission.SYNC)
    except Forbidden as refused:
        await record_refusal(services, principal, operation, refused.problems)
        raise
    if check.batch:
        await record_refusal(services, principal, operation, check.batch)
        return None
    scope = audited_scope(principal, operation, SYNC_RETRY_SECONDS)
    try:
        return await with_batch_retries(lambda: commit_batch(services, scope, work, *args, **kwargs))
    except Rejected as rejected:  # an account is being imported: nothing written
        problems = [p.under("account") if not p.path else p for p in rejected.problems]
        await record_refusal(services, principal, operation, problems)
        return problems


async def commit_batch(
    services: Services,
    scope: Scope,
    work: Callable[Concatenate[Write, P], Awaitable[ItemsWrite]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> ItemsWrite:
    """One transaction for the batch; `with_batch_retries` decides what a failure means."""
    return await services.db.write(scope, work, *args, **kwargs)


def _not_found(w: Write) -> None:
    if w.audit is not None:
        w.audit = replace(w.audit, outcome=ErrorCode.NOT_FOUND.value)


# --- interactions --------------------------------------------------------------------------------


async def _upsert_interactions(w: Write, source: str, account: str, rows: list[Row]) -> ItemsWrite:
    """The query logs its changes itself (see `graph.UPSERT_INTERACTIONS`)."""
    account_id, done = await graph.upsert_interactions(w, source, account, rows)
    if account_id is None:
        _not_found(w)
        return ItemsWrite(False, {})
    by_index = {row["index"]: row for row in rows}
    stored: dict[int, StoredItem] = {}
    for d in done:
        status = d["status"]
        if status == "REFUSED":
            stored[d["index"]] = StoredItem("FAILED", None, _interaction_refusal(d, by_index[d["index"]], source))
        else:
            stored[d["index"]] = StoredItem(status, d["id"])
    return ItemsWrite(True, stored)


def _interaction_refusal(d: Mapping[str, Any], row: Row, source: str) -> tuple[Problem, ...]:
    path = ("interactions", str(row["index"]))
    problems = []
    if d["unknownMember"]:
        problems.append(unknown_reference((*path, "teamMember"), "team member", row["teamMember"], source))
    for position in d["unknownMet"]:
        key = row["stakeholders"][position]
        where = " in this account"
        problems.append(unknown_reference((*path, "stakeholders", str(position)), "stakeholder", key, source, where))
    return tuple(problems)


def _interaction_values(props: Mapping[str, Any] | None) -> dict[str, Any]:
    values = dict(props or {})
    values.pop("id", None)
    if values.get("at") is not None:
        values["at"] = native_datetime(values["at"])
    return values


async def _remove_interactions(w: Write, source: str, account: str, rows: list[Row]) -> ItemsWrite:
    account_id, done = await graph.remove_interactions(w.tx, w.ws, source, account, rows)
    if account_id is None:
        _not_found(w)
        return ItemsWrite(False, {})
    changes = []
    for d in done:
        if d["status"] == rules.REMOVED:
            met = sorted(d["met"])
            values = {**_interaction_values(d["before"]), "teamMemberId": d["member"], "stakeholderIds": met}
            changes.append(removal("Interaction", d["id"], values, account_id, met))
    w.record(changes)
    return ItemsWrite(True, {d["index"]: StoredItem(d["status"], d["id"]) for d in done})


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


# --- team members --------------------------------------------------------------------------------


async def _upsert_team_members(w: Write, source: str, rows: list[Row]) -> ItemsWrite:
    done = await graph.upsert_team_members(w.tx, w.ws, source, rows, w.now)
    changes = []
    for d in done:
        after = {k: v for k, v in (d["after"] or {}).items() if k != "id"}
        if d["status"] == "CREATED":
            changes.append(creation("TeamMember", d["id"], after, None))
        elif d["status"] == "UPDATED":
            before = {k: v for k, v in d["before"].items() if k != "id"}
            changes.append(change("TeamMember", d["id"], ChangeOp.UPDATED, _diff(before, after), None))
            w.touch(*sorted(set(d["accounts"])))
    w.record(changes)
    return ItemsWrite(True, {d["index"]: StoredItem(d["status"], d["id"]) for d in done})


async def _remove_team_members(w: Write, source: str, rows: list[Row]) -> ItemsWrite:
    done = await graph.remove_team_members(w.tx, w.ws, source, rows)
    for d in done:
        if d["status"] == rules.REMOVED:
            w.record(_team_member_removal(d))
    return ItemsWrite(True, {d["index"]: StoredItem(d["status"], d["id"]) for d in done})


def _team_member_removal(d: Mapping[str, Any]) -> list[EntityChange]:
    """What `teamMemberDelete` logs: assignments and coverage removed, interactions without them, the member."""
    member = d["id"]
    changes = []
    for account in sorted(d["assigned"]):
        entity, entity_id, op, fields = team_assignment_change(member, account, assigned=False)
        changes.append(change(entity, entity_id, op, fields, account))
    for c in d["coverage"]:
        values = {
            "teamMemberId": member,
            "stakeholderId": c["stakeholder"],
            "relationshipStep": c.get("relationshipStep"),
            "relationshipType": c.get("relationshipType"),
        }
        changes.append(
            removal("Coverage", coverage_id(member, c["stakeholder"]), values, c["accountId"], [c["stakeholder"]])
        )
    changes += [
        change("Interaction", i["id"], ChangeOp.UPDATED, {"teamMemberId": (member, None)}, i["accountId"])
        for i in d["interactions"]
    ]
    values = {k: v for k, v in d["before"].items() if k != "id"}
    changes.append(removal("TeamMember", member, values, None))
    return changes


# --- coverage ------------------------------------------------------------------------------------


async def _upsert_coverage(w: Write, source: str, rows: list[Row]) -> ItemsWrite:
    done = await graph.upsert_coverage(w.tx, w.ws, source, rows, w.now)
    by_index = {row["index"]: row for row in rows}
    stored: dict[int, StoredItem] = {}
    changes = []
    for d in done:
        status, index = d["status"], d["index"]
        if status == "REFUSED":
            stored[index] = StoredItem("FAILED", None, _coverage_refusal(d, by_index[index], source))
            continue
        entity_id = coverage_id(d["teamMemberId"], d["stakeholderId"])
        stored[index] = StoredItem(status, entity_id)
        keys = {"teamMemberId": d["teamMemberId"], "stakeholderId": d["stakeholderId"]}
        person = [d["stakeholderId"]]
        if status == "CREATED":
            changes.append(creation("Coverage", entity_id, {**keys, **d["after"]}, d["accountId"], person))
        elif status == "UPDATED":
            changed = _diff(d["before"], d["after"])
            changes.append(change("Coverage", entity_id, ChangeOp.UPDATED, changed, d["accountId"], person))
    w.record(changes)
    return ItemsWrite(True, stored)


def _coverage_refusal(d: Mapping[str, Any], row: Row, source: str) -> tuple[Problem, ...]:
    path = ("coverage", str(row["index"]))
    problems = []
    if d["unknownMember"]:
        problems.append(unknown_reference((*path, "teamMember"), "team member", row["teamMember"], source))
    if d["unknownStakeholder"]:
        problems.append(unknown_reference((*path, "stakeholder"), "stakeholder", row["stakeholder"], source))
    return tuple(problems)


async def _remove_coverage(w: Write, source: str, rows: list[Row]) -> ItemsWrite:
    done = await graph.remove_coverage(w.tx, w.ws, source, rows)
    stored: dict[int, StoredItem] = {}
    changes = []
    for d in done:
        if d["status"] != rules.REMOVED:
            stored[d["index"]] = StoredItem(d["status"])
            continue
        entity_id = coverage_id(d["teamMemberId"], d["stakeholderId"])
        stored[d["index"]] = StoredItem(d["status"], entity_id)
        values = {"teamMemberId": d["teamMemberId"], "stakeholderId": d["stakeholderId"], **d["before"]}
        changes.append(removal("Coverage", entity_id, values, d["accountId"], [d["stakeholderId"]]))
    w.record(changes)
    return ItemsWrite(True, stored)
