"""circleRelationSet and circleRelationRemove: two circles of one account as rivals or allies."""

from __future__ import annotations

import strawberry

from service.rules.entity_changes.kinds import CircleRelationKind
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import id_arg, perform
from service.schema.types.circle import PoliticalCircle, load_circle
from service.usecases.circles import remove_relation, set_relation

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
    ctx = info.context
    ids, errors = await perform(ctx, set_relation(ctx.services, ctx.principal, circle, other, input.kind))
    first, second = await _both(info, ids)
    return CircleRelationSetPayload(circle=first, other=second, user_errors=errors)


async def circle_relation_remove(
    info: strawberry.Info[Context], input: CircleRelationRemoveInput
) -> CircleRelationRemovePayload:
    circle = id_arg(input.circle, "PoliticalCircle", "circle")
    other = id_arg(input.other, "PoliticalCircle", "other")
    ctx = info.context
    ids, errors = await perform(ctx, remove_relation(ctx.services, ctx.principal, circle, other, input.kind))
    first, second = await _both(info, ids)
    return CircleRelationRemovePayload(circle=first, other=second, user_errors=errors)
