"""An opportunity's buying centre and the competitors involved in it, by hand: set and remove."""

from __future__ import annotations

from service.graph.database import Write
from service.graph.writes import deals
from service.graph.writes.lookup import lock_and_read
from service.rules.access import Permission, Principal
from service.rules.deals.changes import involvement_change, member_change
from service.rules.deals.import_plan import StoredOpportunity
from service.rules.deals.model import BuyingCentreMember, Involvement
from service.rules.deals.stored import member_props
from service.rules.deals.validation import validate_buying_centre_member
from service.rules.entity_changes.refs import IdArg, known, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.deals.support import found, in_account
from service.usecases.services import Services
from service.usecases.writing import write

Member = tuple[str, BuyingCentreMember]
"""The opportunity's id and the member."""
Involved = tuple[str, Involvement]


async def set_member(
    services: Services, principal: Principal, opportunity: IdArg, stakeholder: IdArg, member: BuyingCentreMember
) -> Member:
    """The stakeholder is in the opportunity's buying centre exactly as `member` says (its `stakeholder`
    is ignored): per-deal roles and types (None: the account's), handler and project-lead flags."""
    return await write(
        services, principal, Permission.WRITE_INTELLIGENCE, _set_member, opportunity, stakeholder, member
    )


async def remove_member(services: Services, principal: Principal, opportunity: IdArg, stakeholder: IdArg) -> str:
    """Returns the opportunity's id."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_member, opportunity, stakeholder)


async def set_involvement(
    services: Services, principal: Principal, opportunity: IdArg, competitor: IdArg, incumbent: bool
) -> Involved:
    """The competitor competes for the opportunity, as its incumbent or not."""
    return await write(
        services, principal, Permission.WRITE_INTELLIGENCE, _set_involvement, opportunity, competitor, incumbent
    )


async def remove_involvement(services: Services, principal: Principal, opportunity: IdArg, competitor: IdArg) -> str:
    """CONFLICT while the opportunity's scorecard scores the competitor."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_involvement, opportunity, competitor)


async def _state(w: Write, opportunity_id: str) -> StoredOpportunity:
    state = await deals.opportunity_state(w.tx, w.ws, opportunity_id)
    assert state is not None, "the opportunity was locked"
    return state


async def _set_member(w: Write, opportunity: IdArg, stakeholder: IdArg, member: BuyingCentreMember) -> Member:
    refs = await lock_and_read(w.tx, w.ws, [opportunity, stakeholder])
    reject_if(
        [
            *unknown([opportunity, stakeholder], refs),
            *in_account([stakeholder], refs, opportunity, "`opportunity`"),
            *validate_buying_centre_member(member),
        ]
    )
    node, person = found(refs, opportunity), known(stakeholder)
    state = await _state(w, node.id)
    new = member_props(member)
    logged = member_change(node.id, person, state.members.get(person), new, _account(node.account_id))
    if logged is not None:
        await deals.set_members(w.tx, w.ws, [{"opportunityId": node.id, "stakeholderId": person, "props": new}], w.now)
        w.record([logged])
    return node.id, BuyingCentreMember(
        person, member.buying_roles, member.buyer_types, member.handler, member.project_lead
    )


async def _remove_member(w: Write, opportunity: IdArg, stakeholder: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [opportunity, stakeholder])
    reject_if(unknown([opportunity, stakeholder], refs))
    node, person = found(refs, opportunity), known(stakeholder)
    old = (await _state(w, node.id)).members.get(person)
    if old is None:
        message = "the stakeholder is not in the opportunity's buying centre."
        raise Rejected([Problem(("stakeholder",), message, ErrorCode.NOT_FOUND)])
    await deals.remove_members(w.tx, w.ws, [{"opportunityId": node.id, "stakeholderId": person}])
    logged = member_change(node.id, person, old, None, _account(node.account_id))
    w.record([] if logged is None else [logged])
    return node.id


async def _set_involvement(w: Write, opportunity: IdArg, competitor: IdArg, incumbent: bool) -> Involved:
    refs = await lock_and_read(w.tx, w.ws, [opportunity, competitor])
    reject_if(unknown([opportunity, competitor], refs))
    node, competitor_id = found(refs, opportunity), known(competitor)
    state = await _state(w, node.id)
    new = {"incumbent": incumbent}
    logged = involvement_change(
        node.id, competitor_id, state.involved.get(competitor_id), new, _account(node.account_id)
    )
    if logged is not None:
        row = {"opportunityId": node.id, "competitorId": competitor_id, "props": new}
        await deals.set_involvements(w.tx, w.ws, [row], w.now)
        w.record([logged])
    return node.id, Involvement(competitor_id, incumbent)


async def _remove_involvement(w: Write, opportunity: IdArg, competitor: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [opportunity, competitor])
    reject_if(unknown([opportunity, competitor], refs))
    node, competitor_id = found(refs, opportunity), known(competitor)
    state = await _state(w, node.id)
    old = state.involved.get(competitor_id)
    if old is None:
        message = "the competitor is not involved in the opportunity."
        raise Rejected([Problem(("competitor",), message, ErrorCode.NOT_FOUND)])
    card = state.scorecard
    if card is not None and any(s.competitor == competitor_id for c in card.criteria for s in c.competitor_scores):
        message = "the opportunity's scorecard scores this competitor; set the scorecard without it first."
        raise Rejected([Problem(("competitor",), message, ErrorCode.CONFLICT)])
    await deals.remove_involvements(w.tx, w.ws, [{"opportunityId": node.id, "competitorId": competitor_id}])
    logged = involvement_change(node.id, competitor_id, old, None, _account(node.account_id))
    w.record([] if logged is None else [logged])
    return node.id


def _account(account_id: str | None) -> str:
    assert account_id is not None, "an opportunity belongs to an account"
    return account_id
