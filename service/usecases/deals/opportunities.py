"""Opportunities by hand: create (optionally under a source's external id), update, delete, and set or
remove their burning issue and UCV."""

from __future__ import annotations

from typing import Any

from service.graph.database import Write
from service.graph.deal_snapshots import native_props
from service.graph.writes import deals
from service.graph.writes.lookup import lock_and_read
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp
from service.rules.deals.changes import involvement_change, member_change, present, scorecard_change
from service.rules.deals.model import BurningIssue, Opportunity, OpportunityRecord, Ucv
from service.rules.deals.stored import (
    BURNING_ISSUE_FIELDS,
    OPPORTUNITY_FIELDS,
    UCV_FIELDS,
    Props,
    all_opportunity_props,
    burning_issue_props,
    opportunity_from_props,
    scorecard_matrix,
    scorecard_people,
    stored_values,
    ucv_props,
)
from service.rules.deals.validation import validate_burning_issue, validate_opportunity, validate_ucv
from service.rules.entity_changes.diff import change, creation, new_values, removal, updated
from service.rules.entity_changes.fields import external_id_problems
from service.rules.entity_changes.refs import Found, IdArg, known, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.deals.support import found, in_account
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write

REQUIRED = ("name", "status", "salesStage")
"""Fields an update cannot clear."""


async def create_opportunity(
    services: Services, principal: Principal, account: IdArg, opportunity: Opportunity, ref: tuple[str, str] | None
) -> OpportunityRecord:
    """A new opportunity on `account` (its id is ignored; no burning issue or UCV yet)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _create, account, opportunity, ref)


async def update_opportunity(
    services: Services, principal: Principal, opportunity: IdArg, values: dict[str, Any]
) -> OpportunityRecord:
    """`values`: stored name -> domain value of each field given (`stored.OPPORTUNITY_FIELDS`); None clears."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _update, opportunity, values)


async def delete_opportunity(services: Services, principal: Principal, opportunity: IdArg) -> str:
    """The opportunity with its buying centre, competitors involved and scorecard."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _delete, opportunity)


async def set_burning_issue(
    services: Services, principal: Principal, opportunity: IdArg, owner: IdArg | None, issue: BurningIssue
) -> OpportunityRecord:
    """The opportunity's B.I. becomes exactly `issue` (its owner: `owner`, a stakeholder of the account)."""
    return await write(
        services, principal, Permission.WRITE_INTELLIGENCE, _set_burning_issue, opportunity, owner, issue
    )


async def remove_burning_issue(services: Services, principal: Principal, opportunity: IdArg) -> OpportunityRecord:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_part, opportunity, BURNING_ISSUE_FIELDS)


async def set_ucv(services: Services, principal: Principal, opportunity: IdArg, ucv: Ucv) -> OpportunityRecord:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_ucv, opportunity, ucv)


async def remove_ucv(services: Services, principal: Principal, opportunity: IdArg) -> OpportunityRecord:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_part, opportunity, UCV_FIELDS)


async def _create(w: Write, account: IdArg, opportunity: Opportunity, ref: tuple[str, str] | None) -> OpportunityRecord:
    refs = await lock_and_read(w.tx, w.ws, [account])
    problems = [*unknown([account], refs), *validate_opportunity(opportunity)]
    if ref is not None:
        ref_problems = external_id_problems(*ref)
        if not ref_problems and not problems and await deals.opportunity_with_key(w.tx, w.ws, known(account), *ref):
            message = f"the account already has opportunity {ref[1]!r} of source {ref[0]!r}."
            ref_problems = [Problem(("externalId",), message, ErrorCode.CONFLICT)]
        problems += ref_problems
    reject_if(problems)
    account_id = known(account)
    opportunity_id = new_id()
    props = {name: value for name, value in all_opportunity_props(opportunity).items() if value is not None}
    source, external_id = ref if ref else (None, None)
    row = {"id": opportunity_id, "accountId": account_id, "source": source, "externalId": external_id, "props": props}
    await deals.create_opportunities(w.tx, w.ws, [row], w.now)
    w.record([creation("Opportunity", opportunity_id, props, account_id)])
    return await deals.read_opportunity(w.tx, w.ws, opportunity_id)


async def _update(w: Write, opportunity: IdArg, values: dict[str, Any]) -> OpportunityRecord:
    refs = await lock_and_read(w.tx, w.ws, [opportunity])
    reject_if(unknown([opportunity], refs))
    node = found(refs, opportunity)
    stored = native_props(node.props)
    given = stored_values(values)
    reject_if([Problem((name,), f"`{name}` cannot be cleared.") for name in REQUIRED if _cleared(given, name)])
    reject_if(validate_opportunity(opportunity_from_props(node.id, {**stored, **given})))
    changed = updated({name: stored.get(name) for name in OPPORTUNITY_FIELDS}, given)
    if changed:
        await deals.update_opportunities(w.tx, w.ws, [{"id": node.id, "props": new_values(changed)}], w.now)
        w.record([change("Opportunity", node.id, ChangeOp.UPDATED, changed, node.account_id)])
    return await deals.read_opportunity(w.tx, w.ws, node.id)


def _cleared(given: Props, name: str) -> bool:
    return name in given and given[name] is None


async def _delete(w: Write, opportunity: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [opportunity])
    reject_if(unknown([opportunity], refs))
    node = found(refs, opportunity)
    state = await deals.opportunity_state(w.tx, w.ws, node.id)
    assert state is not None
    account = node.account_id
    assert account is not None
    await deals.delete_opportunities(w.tx, w.ws, [node.id])
    card = state.scorecard
    w.record(
        present(
            [
                *[member_change(node.id, p, props, None, account) for p, props in sorted(state.members.items())],
                *[involvement_change(node.id, c, x, None, account) for c, x in sorted(state.involved.items())],
                scorecard_change(node.id, scorecard_matrix(card), None, account, scorecard_people(card)),
                removal("Opportunity", node.id, state.props, account),
            ]
        )
    )
    return node.id


async def _set_burning_issue(
    w: Write, opportunity: IdArg, owner: IdArg | None, issue: BurningIssue
) -> OpportunityRecord:
    refs = await lock_and_read(w.tx, w.ws, [opportunity, owner])
    reject_if(
        [
            *unknown([opportunity, owner], refs),
            *in_account([owner], refs, opportunity, "`opportunity`"),
            *validate_burning_issue(issue),
        ]
    )
    about = [] if owner is None else [known(owner)]
    given = BurningIssue(issue.text, None if owner is None else known(owner), *_flags(issue))
    return await _replace(w, found(refs, opportunity), burning_issue_props(given), about)


def _flags(issue: BurningIssue) -> tuple[bool | None, bool | None, bool | None]:
    return issue.personal, issue.time_immediate, issue.certain


async def _set_ucv(w: Write, opportunity: IdArg, ucv: Ucv) -> OpportunityRecord:
    refs = await lock_and_read(w.tx, w.ws, [opportunity])
    reject_if([*unknown([opportunity], refs), *validate_ucv(ucv)])
    return await _replace(w, found(refs, opportunity), ucv_props(ucv), [])


async def _set_part(w: Write, opportunity: IdArg, fields: tuple[str, ...]) -> OpportunityRecord:
    """Remove the burning issue or the UCV (their `fields`); NOT_FOUND when there is none."""
    refs = await lock_and_read(w.tx, w.ws, [opportunity])
    reject_if(unknown([opportunity], refs))
    node = found(refs, opportunity)
    if node.props.get(fields[0]) is None:
        what = "burning issue" if fields is BURNING_ISSUE_FIELDS else "UCV"
        raise Rejected([Problem(("opportunity",), f"the opportunity has no {what}.", ErrorCode.NOT_FOUND)])
    owner = node.props.get("burningIssueOwnerId") if fields is BURNING_ISSUE_FIELDS else None
    return await _replace(w, node, dict.fromkeys(fields), [owner] if owner else [])


async def _replace(w: Write, node: Found, props: Props, about: list[str]) -> OpportunityRecord:
    """Set the burning issue's or the UCV's fields to exactly `props`; log what changed."""
    stored = native_props(node.props)
    changed = updated({name: stored.get(name) for name in props}, props)
    if changed:
        await deals.update_opportunities(w.tx, w.ws, [{"id": node.id, "props": new_values(changed)}], w.now)
        w.record([change("Opportunity", node.id, ChangeOp.UPDATED, changed, node.account_id, about)])
    return await deals.read_opportunity(w.tx, w.ws, node.id)
