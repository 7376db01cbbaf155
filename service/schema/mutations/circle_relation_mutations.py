"""circleRelationSet and circleRelationRemove: two circles of one account as rivals or allies."""

from __future__ import annotations

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph.entity_writes import circles
from service.graph.entity_writes.lookup import lock_and_read
from service.rules.entity_changes.kinds import RELATION_TYPES, CircleRelationKind
from service.rules.entity_changes.refs import IdArg, known, outside, same, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import Call, id_arg, run_write
from service.schema.types.circle import PoliticalCircle, load_circle

strawberry.enum(CircleRelationKind, description="RIVAL: the circles are in conflict; ALLY: they are allied.")


@strawberry.input
class CircleRelationSetInput:
    circle: strawberry.ID
    other: strawberry.ID = strawberry.field(description="Another circle of the same account.")
    kind: CircleRelationKind


@strawberry.input
class CircleRelationRemoveInput:
    circle: strawberry.ID
    other: strawberry.ID
    kind: CircleRelationKind


@strawberry.type
class CircleRelationSetPayload:
    circle: PoliticalCircle | None
    other: PoliticalCircle | None
    user_errors: list[UserError]


@strawberry.type
class CircleRelationRemovePayload:
    circle: PoliticalCircle | None
    other: PoliticalCircle | None
    user_errors: list[UserError]


async def _checked(tx: Tx, call: Call, circle: IdArg, other: IdArg) -> tuple[str, str]:
    refs = await lock_and_read(tx, call.ws, [circle, other])
    found = refs.get(circle)
    reject_if(
        [
            *unknown([circle, other], refs),
            *same(circle, other, "a circle cannot be its own rival or ally."),
            *outside(other, refs, None if found is None else found.account_id, "`circle`"),
        ]
    )
    circle_id, other_id = known(circle), known(other)
    return circle_id, other_id


async def set_relation(tx: Tx, call: Call, circle: IdArg, other: IdArg, kind: CircleRelationKind) -> tuple[str, str]:
    ids = await _checked(tx, call, circle, other)
    await circles.set_relation(tx, call.ws, RELATION_TYPES[kind], *ids)
    return ids


async def remove_relation(tx: Tx, call: Call, circle: IdArg, other: IdArg, kind: CircleRelationKind) -> tuple[str, str]:
    ids = await _checked(tx, call, circle, other)
    if not await circles.remove_relation(tx, call.ws, RELATION_TYPES[kind], *ids):
        what = "rivals" if kind is CircleRelationKind.RIVAL else "allies"
        raise Rejected([Problem(("other",), f"the two circles are not {what}.", ErrorCode.NOT_FOUND)])
    return ids


async def _both(
    info: strawberry.Info[Context], ids: tuple[str, str] | None
) -> tuple[PoliticalCircle | None, PoliticalCircle | None]:
    if ids is None:
        return None, None
    return await load_circle(info, ids[0]), await load_circle(info, ids[1])


async def circle_relation_set(
    info: strawberry.Info[Context], input: CircleRelationSetInput
) -> CircleRelationSetPayload:
    circle = id_arg(input.circle, "PoliticalCircle", "circle")
    other = id_arg(input.other, "PoliticalCircle", "other")
    ids, errors = await run_write(info.context, set_relation, circle, other, input.kind)
    first, second = await _both(info, ids)
    return CircleRelationSetPayload(circle=first, other=second, user_errors=errors)


async def circle_relation_remove(
    info: strawberry.Info[Context], input: CircleRelationRemoveInput
) -> CircleRelationRemovePayload:
    circle = id_arg(input.circle, "PoliticalCircle", "circle")
    other = id_arg(input.other, "PoliticalCircle", "other")
    ids, errors = await run_write(info.context, remove_relation, circle, other, input.kind)
    first, second = await _both(info, ids)
    return CircleRelationRemovePayload(circle=first, other=second, user_errors=errors)
