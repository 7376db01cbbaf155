"""Competitors and their reps by hand. Both belong to the workspace (like team members): a change ticks the
clocks of every account that shows them (`service.graph.writes.competitors`)."""

from __future__ import annotations

from typing import Any

from service.graph.database import Write
from service.graph.writes import competitors
from service.graph.writes.lookup import lock_and_read
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp, EntityChange
from service.rules.deals.changes import contact_change, favour_change, present
from service.rules.deals.model import Competitor, CompetitorRep
from service.rules.deals.validation import validate_competitor, validate_competitor_rep
from service.rules.entity_changes.diff import change, created, creation, new_values, removal, updated
from service.rules.entity_changes.fields import external_id_problems
from service.rules.entity_changes.refs import IdArg, known, unknown
from service.rules.entity_changes.rejected import reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.deals.support import found
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write

Ref = tuple[str, str]


async def create_competitor(
    services: Services, principal: Principal, competitor: Competitor, ref: Ref | None
) -> Competitor:
    """A new competitor (its id is ignored), optionally under a source's external id."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _create, competitor, ref)


async def update_competitor(
    services: Services, principal: Principal, competitor: IdArg, values: dict[str, Any]
) -> Competitor:
    """`values`: name and/or origin as given (None clears the origin)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _update, competitor, values)


async def delete_competitor(services: Services, principal: Principal, competitor: IdArg) -> str:
    """The competitor with its reps (and their contacts) and the favours for it; CONFLICT while it competes
    for an opportunity."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _delete, competitor)


async def create_rep(
    services: Services, principal: Principal, competitor: IdArg, name: str, ref: Ref | None
) -> CompetitorRep:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _create_rep, competitor, name, ref)


async def update_rep(
    services: Services, principal: Principal, rep: IdArg, values: dict[str, Any], competitor: IdArg | None
) -> CompetitorRep:
    """`values`: the name if given; `competitor`: the competitor they now work for (None: unchanged)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _update_rep, rep, values, competitor)


async def delete_rep(services: Services, principal: Principal, rep: IdArg) -> str:
    """The rep with their contacts."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _delete_rep, rep)


async def _claimed(w: Write, ref: Ref | None, claim: Any, what: str) -> list[Problem]:
    if ref is None:
        return []
    problems = external_id_problems(*ref)
    if not problems and not await claim(w.tx, w.ws, *ref):
        message = f"a {what} with id {ref[1]!r} of source {ref[0]!r} already exists."
        problems = [Problem(("externalId",), message, ErrorCode.CONFLICT)]
    return problems


def _row(node_id: str, props: dict[str, Any], ref: Ref | None, **more: Any) -> dict[str, Any]:
    source, external_id = ref if ref else (None, None)
    return {"id": node_id, "props": props, "source": source, "externalId": external_id, **more}


async def _create(w: Write, competitor: Competitor, ref: Ref | None) -> Competitor:
    problems = validate_competitor(competitor)
    reject_if([*problems, *await _claimed(w, ref, competitors.claim_competitor_ref, "competitor")])
    props, _ = created({"name": competitor.name, "origin": competitor.origin})
    competitor_id = new_id()
    await competitors.create_competitors(w.tx, w.ws, [_row(competitor_id, props, ref)], w.now)
    w.record([creation("Competitor", competitor_id, props, None)])
    return Competitor(competitor_id, competitor.name, competitor.origin)


async def _update(w: Write, competitor: IdArg, values: dict[str, Any]) -> Competitor:
    refs = await lock_and_read(w.tx, w.ws, [competitor])
    reject_if(unknown([competitor], refs))
    node = found(refs, competitor)
    after = {"name": node.props.get("name"), "origin": node.props.get("origin"), **values}
    reject_if(validate_competitor(Competitor(node.id, after["name"], after["origin"])))
    changed = updated({"name": node.props["name"], "origin": node.props.get("origin")}, values)
    if changed:
        await competitors.update_competitors(w.tx, w.ws, [{"id": node.id, "props": new_values(changed)}], w.now)
        w.touch(*await competitors.competitor_accounts(w.tx, w.ws, node.id))
        w.record([change("Competitor", node.id, ChangeOp.UPDATED, changed, None)])
    return Competitor(node.id, after["name"], after["origin"])


async def _delete(w: Write, competitor: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [competitor])
    reject_if(unknown([competitor], refs))
    node = found(refs, competitor)
    opportunities, reps, favours = await competitors.competitor_links(w.tx, w.ws, node.id)
    if opportunities:
        message = f"the competitor competes for {len(opportunities)} opportunity(ies); remove it from them first."
        reject_if([Problem(("id",), message, ErrorCode.CONFLICT)])
    await competitors.delete_competitor(w.tx, w.ws, node.id)
    logged: list[EntityChange | None] = []
    for rep_id, name, contacts in reps:
        logged += [contact_change(rep_id, person, props, None, account) for person, account, props in contacts]
        logged.append(removal("CompetitorRep", rep_id, {"name": name, "competitorId": node.id}, None))
    logged += [favour_change(person, node.id, {"note": note}, None, account) for person, account, note in favours]
    logged.append(removal("Competitor", node.id, _competitor_props(node.props), None))
    w.record(present(logged))
    return node.id


def _competitor_props(props: Any) -> dict[str, Any]:
    return {"name": props.get("name"), "origin": props.get("origin")}


async def _create_rep(w: Write, competitor: IdArg, name: str, ref: Ref | None) -> CompetitorRep:
    refs = await lock_and_read(w.tx, w.ws, [competitor])
    problems = [*unknown([competitor], refs), *validate_competitor_rep(CompetitorRep("", name, ""))]
    reject_if([*problems, *await _claimed(w, ref, competitors.claim_rep_ref, "competitor rep")])
    rep_id, competitor_id = new_id(), known(competitor)
    props, _ = created({"name": name})
    await competitors.create_reps(w.tx, w.ws, [_row(rep_id, props, ref, competitorId=competitor_id)], w.now)
    w.record([creation("CompetitorRep", rep_id, {**props, "competitorId": competitor_id}, None)])
    return CompetitorRep(rep_id, name, competitor_id)


async def _update_rep(w: Write, rep: IdArg, values: dict[str, Any], competitor: IdArg | None) -> CompetitorRep:
    refs = await lock_and_read(w.tx, w.ws, [rep, competitor])
    reject_if(unknown([rep, competitor], refs))
    node = found(refs, rep)
    stored = await competitors.rep_competitor(w.tx, w.ws, node.id)
    after_name = values.get("name", node.props["name"])
    reject_if(validate_competitor_rep(CompetitorRep(node.id, after_name, stored)))
    changed = updated({"name": node.props["name"]}, values)
    new_competitor = stored if competitor is None else known(competitor)
    if new_competitor != stored:
        changed["competitorId"] = (stored, new_competitor)
    if changed:
        w.touch(*[a for _, a, _ in await competitors.rep_contacts(w.tx, w.ws, node.id)])
        row = {"id": node.id, "competitorId": new_competitor, "props": {"name": after_name}}
        await competitors.update_reps(w.tx, w.ws, [row], w.now)
        w.record([change("CompetitorRep", node.id, ChangeOp.UPDATED, changed, None)])
    return CompetitorRep(node.id, after_name, new_competitor)


async def _delete_rep(w: Write, rep: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [rep])
    reject_if(unknown([rep], refs))
    node = found(refs, rep)
    stored = await competitors.rep_competitor(w.tx, w.ws, node.id)
    contacts = await competitors.rep_contacts(w.tx, w.ws, node.id)
    await competitors.delete_rep(w.tx, w.ws, node.id)
    logged = [contact_change(node.id, person, props, None, account) for person, account, props in contacts]
    logged.append(removal("CompetitorRep", node.id, {"name": node.props["name"], "competitorId": stored}, None))
    w.record(present(logged))
    return node.id
