"""Political circles by hand: the circle, its members (in its core or not), and rival or ally relations."""

from __future__ import annotations

from typing import Any

from service.graph import records
from service.graph.database import Write
from service.graph.writes import circles
from service.graph.writes.lookup import lock_and_read
from service.rules import models
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp, EntityChange, circle_relation_change, membership_change
from service.rules.entity_changes.diff import change, created, creation, new_values, removal, updated
from service.rules.entity_changes.fields import circle_problems
from service.rules.entity_changes.kinds import RELATION_TYPES, CircleRelationKind
from service.rules.entity_changes.refs import IdArg, known, outside, same, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write

Pair = tuple[str, str]


async def create_circle(
    services: Services, principal: Principal, account: IdArg, values: dict[str, Any]
) -> models.Circle:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _create, account, values)


async def update_circle(
    services: Services, principal: Principal, circle: IdArg, values: dict[str, Any]
) -> models.Circle:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _update, circle, values)


async def delete_circle(services: Services, principal: Principal, circle: IdArg) -> str:
    """The circle with its memberships and relations."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _delete, circle)


async def set_member(services: Services, principal: Principal, circle: IdArg, person: IdArg, core: bool) -> Pair:
    """Returns (circle id, stakeholder id)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_member, circle, person, core)


async def remove_member(services: Services, principal: Principal, circle: IdArg, person: IdArg) -> Pair:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_member, circle, person)


async def set_relation(
    services: Services, principal: Principal, circle: IdArg, other: IdArg, kind: CircleRelationKind
) -> Pair:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_relation, circle, other, kind)


async def remove_relation(
    services: Services, principal: Principal, circle: IdArg, other: IdArg, kind: CircleRelationKind
) -> Pair:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_relation, circle, other, kind)


async def _create(w: Write, account: IdArg, values: dict[str, Any]) -> models.Circle:
    refs = await lock_and_read(w.tx, w.ws, [account])
    reject_if([*unknown([account], refs), *circle_problems(values)])
    account_id = known(account)
    props, _ = created(values)
    circle = await circles.create_circle(w.tx, w.ws, new_id(), account_id, props, w.now)
    w.record([creation("Circle", circle.id, props, account_id)])
    return circle


async def _update(w: Write, circle: IdArg, values: dict[str, Any]) -> models.Circle:
    refs = await lock_and_read(w.tx, w.ws, [circle])
    reject_if([*unknown([circle], refs), *circle_problems(values)])
    found = refs.get(circle)
    assert found is not None
    changed = updated(found.props, values)
    if not changed:
        return records.circle_from(found.props)
    w.record([change("Circle", found.id, ChangeOp.UPDATED, changed, found.account_id)])
    return await circles.update_circle(w.tx, w.ws, found.id, new_values(changed), w.now)


async def _delete(w: Write, circle: IdArg) -> str:
    """Each membership is logged as removed; relations go with the circle."""
    refs = await lock_and_read(w.tx, w.ws, [circle])
    reject_if(unknown([circle], refs))
    found = refs.get(circle)
    assert found is not None
    members = await circles.circle_members(w.tx, w.ws, found.id)
    await circles.delete_circle(w.tx, w.ws, found.id)
    w.record([_membership(found.id, m.stakeholder_id, m.core, None, found.account_id) for m in members])
    w.record([removal("Circle", found.id, found.props, found.account_id)])
    return found.id


def _membership(circle: str, person: str, old: bool | None, new: bool | None, account: str | None) -> EntityChange:
    entity, entity_id, op, fields = membership_change(circle, person, old, new)
    return change(entity, entity_id, op, fields, account, [person])


async def _set_member(w: Write, circle: IdArg, person: IdArg, core: bool) -> Pair:
    refs = await lock_and_read(w.tx, w.ws, [circle, person])
    found = refs.get(circle)
    account_id = None if found is None else found.account_id
    reject_if([*unknown([circle, person], refs), *outside(person, refs, account_id, "the circle")])
    circle_id, person_id = known(circle), known(person)
    stored = await circles.membership(w.tx, w.ws, circle_id, person_id)
    old = None if stored is None else stored.core
    if old != core:
        await circles.set_membership(w.tx, w.ws, circle_id, person_id, core, w.now)
        w.record([_membership(circle_id, person_id, old, core, account_id)])
    return circle_id, person_id


async def _remove_member(w: Write, circle: IdArg, person: IdArg) -> Pair:
    refs = await lock_and_read(w.tx, w.ws, [circle, person])
    reject_if(unknown([circle, person], refs))
    circle_id, person_id = known(circle), known(person)
    stored = await circles.membership(w.tx, w.ws, circle_id, person_id)
    if stored is None:
        message = "the stakeholder is not a member of this circle."
        raise Rejected([Problem(("stakeholder",), message, ErrorCode.NOT_FOUND)])
    await circles.remove_membership(w.tx, w.ws, circle_id, person_id)
    found = refs.get(circle)
    w.record([_membership(circle_id, person_id, stored.core, None, None if found is None else found.account_id)])
    return circle_id, person_id


async def _checked(w: Write, circle: IdArg, other: IdArg) -> tuple[Pair, str | None]:
    refs = await lock_and_read(w.tx, w.ws, [circle, other])
    found = refs.get(circle)
    account_id = None if found is None else found.account_id
    reject_if(
        [
            *unknown([circle, other], refs),
            *same(circle, other, "a circle cannot be its own rival or ally."),
            *outside(other, refs, account_id, "`circle`"),
        ]
    )
    return (known(circle), known(other)), account_id


def _relation(relation: str, ids: Pair, account_id: str | None, *, created: bool) -> EntityChange:
    low, high = sorted(ids)
    entity, entity_id, op, fields = circle_relation_change(relation, low, high, created=created)
    return change(entity, entity_id, op, fields, account_id)


async def _set_relation(w: Write, circle: IdArg, other: IdArg, kind: CircleRelationKind) -> Pair:
    ids, account_id = await _checked(w, circle, other)
    relation = RELATION_TYPES[kind]
    if await circles.set_relation(w.tx, w.ws, relation, *ids, w.now):
        w.record([_relation(relation, ids, account_id, created=True)])
    return ids


async def _remove_relation(w: Write, circle: IdArg, other: IdArg, kind: CircleRelationKind) -> Pair:
    ids, account_id = await _checked(w, circle, other)
    relation = RELATION_TYPES[kind]
    if not await circles.remove_relation(w.tx, w.ws, relation, *ids):
        what = "rivals" if kind is CircleRelationKind.RIVAL else "allies"
        raise Rejected([Problem(("other",), f"the two circles are not {what}.", ErrorCode.NOT_FOUND)])
    w.record([_relation(relation, ids, account_id, created=False)])
    return ids
