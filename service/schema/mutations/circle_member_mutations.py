"""circleMemberSet and circleMemberRemove: who belongs to a circle, and whether to its core."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import id_arg, perform
from service.schema.types.circle import PoliticalCircle, load_circle
from service.schema.types.links import load_stakeholder
from service.schema.types.stakeholder import Stakeholder
from service.usecases.circles import remove_member, set_member


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


async def _both(
    info: strawberry.Info[Context], ids: tuple[str, str] | None
) -> tuple[PoliticalCircle | None, Stakeholder | None]:
    if ids is None:
        return None, None
    return await load_circle(info, ids[0]), await load_stakeholder(info, ids[1])


async def circle_member_set(info: strawberry.Info[Context], input: CircleMemberSetInput) -> CircleMemberSetPayload:
    circle = id_arg(input.circle, "PoliticalCircle", "circle")
    person = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ctx = info.context
    ids, errors = await perform(ctx, set_member(ctx.services, ctx.principal, circle, person, input.core))
    found_circle, found_person = await _both(info, ids)
    return CircleMemberSetPayload(circle=found_circle, stakeholder=found_person, user_errors=errors)


async def circle_member_remove(
    info: strawberry.Info[Context], input: CircleMemberRemoveInput
) -> CircleMemberRemovePayload:
    circle = id_arg(input.circle, "PoliticalCircle", "circle")
    person = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ctx = info.context
    ids, errors = await perform(ctx, remove_member(ctx.services, ctx.principal, circle, person))
    found_circle, found_person = await _both(info, ids)
    return CircleMemberRemovePayload(circle=found_circle, stakeholder=found_person, user_errors=errors)
