"""A competitor's rep working a stakeholder (contacts), and a stakeholder favouring a competitor, by hand."""

from __future__ import annotations

from service.graph.database import Write
from service.graph.writes import competitors
from service.graph.writes.lookup import lock_and_read
from service.rules.access import Permission, Principal
from service.rules.deals.changes import contact_change, favour_change
from service.rules.deals.model import Favour, RepContact
from service.rules.deals.stored import contact_props, favour_props
from service.rules.deals.validation import validate_favour, validate_rep_contact
from service.rules.entity_changes.refs import IdArg, known, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.deals.support import archived, found
from service.usecases.services import Services
from service.usecases.writing import write

Pair = tuple[str, str]


async def set_contact(
    services: Services, principal: Principal, rep: IdArg, stakeholder: IdArg, contact: RepContact
) -> RepContact:
    """The rep's contact with the stakeholder becomes exactly `contact` (its ids are ignored)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_contact, rep, stakeholder, contact)


async def remove_contact(services: Services, principal: Principal, rep: IdArg, stakeholder: IdArg) -> Pair:
    """Returns (rep id, stakeholder id)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_contact, rep, stakeholder)


async def set_favour(
    services: Services, principal: Principal, stakeholder: IdArg, competitor: IdArg, note: str | None
) -> Favour:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_favour, stakeholder, competitor, note)


async def remove_favour(services: Services, principal: Principal, stakeholder: IdArg, competitor: IdArg) -> Pair:
    """Returns (stakeholder id, competitor id)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_favour, stakeholder, competitor)


def _account(refs_account: str | None) -> str:
    assert refs_account is not None, "a stakeholder belongs to an account"
    return refs_account


async def _set_contact(w: Write, rep: IdArg, stakeholder: IdArg, contact: RepContact) -> RepContact:
    refs = await lock_and_read(w.tx, w.ws, [rep, stakeholder])
    reject_if([*unknown([rep, stakeholder], refs), *archived([stakeholder], refs), *validate_rep_contact(contact)])
    rep_id, person = known(rep), known(stakeholder)
    account = _account(found(refs, stakeholder).account_id)
    result = RepContact(
        rep_id,
        person,
        contact.visits_per_month,
        contact.typical_minutes,
        contact.form,
        contact.topics,
        contact.strength,
    )
    new = contact_props(result)
    logged = contact_change(rep_id, person, await competitors.contact(w.tx, w.ws, rep_id, person), new, account)
    if logged is not None:
        await competitors.set_contacts(w.tx, w.ws, [{"repId": rep_id, "stakeholderId": person, "props": new}], w.now)
        w.record([logged])
    return result


async def _remove_contact(w: Write, rep: IdArg, stakeholder: IdArg) -> Pair:
    refs = await lock_and_read(w.tx, w.ws, [rep, stakeholder])
    reject_if(unknown([rep, stakeholder], refs))
    rep_id, person = known(rep), known(stakeholder)
    old = await competitors.contact(w.tx, w.ws, rep_id, person)
    if old is None:
        raise Rejected(
            [Problem(("stakeholder",), "the rep has no contact with this stakeholder.", ErrorCode.NOT_FOUND)]
        )
    await competitors.remove_contacts(w.tx, w.ws, [{"repId": rep_id, "stakeholderId": person}])
    logged = contact_change(rep_id, person, old, None, _account(found(refs, stakeholder).account_id))
    w.record([] if logged is None else [logged])
    return rep_id, person


async def _set_favour(w: Write, stakeholder: IdArg, competitor: IdArg, note: str | None) -> Favour:
    refs = await lock_and_read(w.tx, w.ws, [stakeholder, competitor])
    person, competitor_id = stakeholder.raw or "", competitor.raw or ""
    favour = Favour(person, competitor_id, note)
    reject_if([*unknown([stakeholder, competitor], refs), *archived([stakeholder], refs), *validate_favour(favour)])
    account = _account(found(refs, stakeholder).account_id)
    new = favour_props(favour)
    logged = favour_change(
        person, competitor_id, await competitors.favour(w.tx, w.ws, person, competitor_id), new, account
    )
    if logged is not None:
        row = {"stakeholderId": person, "competitorId": competitor_id, "props": new}
        await competitors.set_favours(w.tx, w.ws, [row], w.now)
        w.record([logged])
    return favour


async def _remove_favour(w: Write, stakeholder: IdArg, competitor: IdArg) -> Pair:
    refs = await lock_and_read(w.tx, w.ws, [stakeholder, competitor])
    reject_if(unknown([stakeholder, competitor], refs))
    person, competitor_id = known(stakeholder), known(competitor)
    old = await competitors.favour(w.tx, w.ws, person, competitor_id)
    if old is None:
        message = "the stakeholder is not recorded as favouring this competitor."
        raise Rejected([Problem(("competitor",), message, ErrorCode.NOT_FOUND)])
    await competitors.remove_favours(w.tx, w.ws, [{"stakeholderId": person, "competitorId": competitor_id}])
    logged = favour_change(person, competitor_id, old, None, _account(found(refs, stakeholder).account_id))
    w.record([] if logged is None else [logged])
    return person, competitor_id
