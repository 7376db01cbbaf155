"""Our side by hand: team members (who belong to the workspace), their assignment to accounts, and
whom they cover. A write to a team member ticks the clocks of every account that shows them."""

from __future__ import annotations

from typing import Any

from service.graph import records
from service.graph.database import Write
from service.graph.writes import team
from service.graph.writes.lookup import lock_and_read
from service.rules import models
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp, EntityChange, team_assignment_change
from service.rules.entity_changes.diff import change, created, creation, new_values, removal, updated
from service.rules.entity_changes.fields import coverage_problems, external_id_problems, team_member_problems
from service.rules.entity_changes.props import coverage_id, coverage_props
from service.rules.entity_changes.refs import IdArg, known, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write

Pair = tuple[str, str]


async def create_team_member(
    services: Services,
    principal: Principal,
    values: dict[str, Any],
    ref: tuple[str, str] | None,
    account: IdArg | None,
) -> models.TeamMember:
    """A new team member, optionally under a source's external id and assigned to an account."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _create, values, ref, account)


async def update_team_member(
    services: Services, principal: Principal, member: IdArg, values: dict[str, Any]
) -> models.TeamMember:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _update, member, values)


async def delete_team_member(services: Services, principal: Principal, member: IdArg) -> str:
    """The member with their assignments and coverage; the visits they logged stay, without them."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _delete, member)


async def set_assigned(services: Services, principal: Principal, member: IdArg, account: IdArg, assigned: bool) -> Pair:
    """Put a team member on an account's team, or take them off (NOT_FOUND when they were not on it)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_assigned, member, account, assigned)


async def set_coverage(
    services: Services, principal: Principal, member: IdArg, person: IdArg, values: dict[str, Any]
) -> models.Coverage:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_coverage, member, person, values)


async def remove_coverage(services: Services, principal: Principal, member: IdArg, person: IdArg) -> Pair:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_coverage, member, person)


async def _create(
    w: Write, values: dict[str, Any], ref: tuple[str, str] | None, account: IdArg | None
) -> models.TeamMember:
    refs = await lock_and_read(w.tx, w.ws, [account])
    problems = [*team_member_problems(values), *unknown([account], refs)]
    if ref is not None:
        ref_problems = external_id_problems(*ref)
        if not ref_problems and not await team.claim_team_member_ref(w.tx, w.ws, *ref):
            message = f"a team member with id {ref[1]!r} of source {ref[0]!r} already exists."
            ref_problems = [Problem(("externalId",), message, ErrorCode.CONFLICT)]
        problems += ref_problems
    reject_if(problems)
    props, _ = created(values)
    member = await team.create_team_member(w.tx, w.ws, new_id(), props, ref, w.now)
    w.record([creation("TeamMember", member.id, props, None)])
    if account is not None and account.raw is not None:
        await team.assign(w.tx, w.ws, member.id, account.raw, w.now)
        w.record([_assignment(member.id, account.raw, assigned=True)])
    return member


async def _update(w: Write, member: IdArg, values: dict[str, Any]) -> models.TeamMember:
    refs = await lock_and_read(w.tx, w.ws, [member])
    reject_if([*unknown([member], refs), *team_member_problems(values)])
    found = refs.get(member)
    assert found is not None
    changed = updated(found.props, values)
    if not changed:
        return records.team_member_from(found.props)
    w.touch(*await team.team_member_accounts(w.tx, w.ws, found.id))
    w.record([change("TeamMember", found.id, ChangeOp.UPDATED, changed, None)])
    return await team.update_team_member(w.tx, w.ws, found.id, new_values(changed), w.now)


async def _delete(w: Write, member: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [member])
    reject_if(unknown([member], refs))
    found = refs.get(member)
    assert found is not None
    links = await team.team_member_links(w.tx, w.ws, found.id)
    await team.delete_team_member(w.tx, w.ws, found.id)
    w.record([_assignment(found.id, account, assigned=False) for account in links.assigned])
    w.record(
        removal(
            "Coverage",
            coverage_id(found.id, c["stakeholder"]),
            _coverage_values(found.id, c),
            c["accountId"],
            [c["stakeholder"]],
        )
        for c in links.coverage
    )
    w.record(
        change("Interaction", interaction, ChangeOp.UPDATED, {"teamMemberId": (found.id, None)}, account)
        for interaction, account in links.interactions
    )
    w.record([removal("TeamMember", found.id, found.props, None)])
    return found.id


def _coverage_values(member_id: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "teamMemberId": member_id,
        "stakeholderId": row["stakeholder"],
        "relationshipStep": row.get("relationshipStep"),
        "relationshipType": row.get("relationshipType"),
    }


def _assignment(member_id: str, account_id: str, *, assigned: bool) -> EntityChange:
    entity, entity_id, op, fields = team_assignment_change(member_id, account_id, assigned=assigned)
    return change(entity, entity_id, op, fields, account_id)


async def _set_assigned(w: Write, member: IdArg, account: IdArg, assigned: bool) -> Pair:
    refs = await lock_and_read(w.tx, w.ws, [member, account])
    reject_if(unknown([member, account], refs))
    member_id, account_id = known(member), known(account)
    already = await team.is_assigned(w.tx, w.ws, member_id, account_id)
    if assigned and not already:
        await team.assign(w.tx, w.ws, member_id, account_id, w.now)
        w.record([_assignment(member_id, account_id, assigned=True)])
    elif not assigned and already:
        await team.unassign(w.tx, w.ws, member_id, account_id)
        w.record([_assignment(member_id, account_id, assigned=False)])
    elif not assigned:
        message = "the team member is not assigned to this account."
        raise Rejected([Problem(("account",), message, ErrorCode.NOT_FOUND)])
    return member_id, account_id


async def _set_coverage(w: Write, member: IdArg, person: IdArg, values: dict[str, Any]) -> models.Coverage:
    refs = await lock_and_read(w.tx, w.ws, [member, person])
    reject_if([*unknown([member, person], refs), *coverage_problems(values["relationshipStep"])])
    member_id, person_id = known(member), known(person)
    found = refs.get(person)
    account_id = None if found is None else found.account_id
    existing = await team.coverage(w.tx, w.ws, member_id, person_id)
    entity_id = coverage_id(member_id, person_id)
    if existing is None:
        props, changed = created(values)
        logged = {"teamMemberId": (None, member_id), "stakeholderId": (None, person_id), **changed}
        w.record([change("Coverage", entity_id, ChangeOp.CREATED, logged, account_id, [person_id])])
    else:
        changed = updated(coverage_props(existing), values)
        if not changed:
            return existing
        props = new_values(changed)
        w.record([change("Coverage", entity_id, ChangeOp.UPDATED, changed, account_id, [person_id])])
    return await team.set_coverage(w.tx, w.ws, member_id, person_id, props, w.now)


async def _remove_coverage(w: Write, member: IdArg, person: IdArg) -> Pair:
    refs = await lock_and_read(w.tx, w.ws, [member, person])
    reject_if(unknown([member, person], refs))
    member_id, person_id = known(member), known(person)
    existing = await team.coverage(w.tx, w.ws, member_id, person_id)
    if existing is None:
        message = "the team member does not cover this stakeholder."
        raise Rejected([Problem(("stakeholder",), message, ErrorCode.NOT_FOUND)])
    await team.remove_coverage(w.tx, w.ws, member_id, person_id)
    found = refs.get(person)
    values = {"teamMemberId": member_id, "stakeholderId": person_id, **coverage_props(existing)}
    account_id = None if found is None else found.account_id
    w.record([removal("Coverage", coverage_id(member_id, person_id), values, account_id, [person_id])])
    return member_id, person_id
