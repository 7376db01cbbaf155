"""circleMemberSet and circleMemberRemove: who belongs to a circle, and whether to its core."""

from __future__ import annotations

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph.entity_writes import circles
from service.graph.entity_writes.lookup import lock_and_read
from service.graph.history import record_changes
from service.rules.entity_changes.diff import history
from service.rules.entity_changes.refs import IdArg, known, outside, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import Call, id_arg, run_write
from service.schema.types.circle import PoliticalCircle, load_circle
from service.schema.types.links import load_stakeholder
from service.schema.types.stakeholder import Stakeholder

ENTITY = "Membership"


@strawberry.input
class CircleMemberSetInput:
    circle: strawberry.ID
    stakeholder: strawberry.ID = strawberry.field(description="A stakeholder of the circle's account.")
    core: bool = False


@strawberry.input
class CircleMemberRemoveInput:
    circle: strawberry.ID
    stakeholder: strawberry.ID


@strawberry.type
class CircleMemberSetPayload:
    circle: PoliticalCircle | None
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


@strawberry.type
class CircleMemberRemovePayload:
    circle: PoliticalCircle | None
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


async def set_member(tx: Tx, call: Call, circle: IdArg, person: IdArg, core: bool) -> tuple[str, str]:
    refs = await lock_and_read(tx, call.ws, [circle, person])
    found = refs.get(circle)
    account_id = None if found is None else found.account_id
    reject_if([*unknown([circle, person], refs), *outside(person, refs, account_id, "the circle")])
    circle_id, person_id = known(circle), known(person)
    stored = await circles.membership(tx, call.ws, circle_id, person_id)
    old = None if stored is None else stored.core
    if old != core:
        await circles.set_membership(tx, call.ws, circle_id, person_id, core, call.now)
        rows = history(ENTITY, circle_id, {"core": (old, core)}, [person_id])
        await record_changes(tx, call.ws, rows, call.now, call.actor)
    return circle_id, person_id


async def remove_member(tx: Tx, call: Call, circle: IdArg, person: IdArg) -> tuple[str, str]:
    refs = await lock_and_read(tx, call.ws, [circle, person])
    reject_if(unknown([circle, person], refs))
    circle_id, person_id = known(circle), known(person)
    stored = await circles.membership(tx, call.ws, circle_id, person_id)
    if stored is None:
        message = "the stakeholder is not a member of this circle."
        raise Rejected([Problem(("stakeholder",), message, ErrorCode.NOT_FOUND)])
    await circles.remove_membership(tx, call.ws, circle_id, person_id)
    rows = history(ENTITY, circle_id, {"core": (stored.core, None)}, [person_id])
    await record_changes(tx, call.ws, rows, call.now, call.actor)
    return circle_id, person_id


async def _both(
    info: strawberry.Info[Context], ids: tuple[str, str] | None
) -> tuple[PoliticalCircle | None, Stakeholder | None]:
    if ids is None:
        return None, None
    return await load_circle(info, ids[0]), await load_stakeholder(info, ids[1])


async def circle_member_set(info: strawberry.Info[Context], input: CircleMemberSetInput) -> CircleMemberSetPayload:
    circle = id_arg(input.circle, "PoliticalCircle", "circle")
    person = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ids, errors = await run_write(info.context, set_member, circle, person, input.core)
    found_circle, found_person = await _both(info, ids)
    return CircleMemberSetPayload(circle=found_circle, stakeholder=found_person, user_errors=errors)


async def circle_member_remove(
    info: strawberry.Info[Context], input: CircleMemberRemoveInput
) -> CircleMemberRemovePayload:
    circle = id_arg(input.circle, "PoliticalCircle", "circle")
    person = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ids, errors = await run_write(info.context, remove_member, circle, person)
    found_circle, found_person = await _both(info, ids)
    return CircleMemberRemovePayload(circle=found_circle, stakeholder=found_person, user_errors=errors)
