"""circleCreate, circleUpdate, circleDelete: an account's political circles, by hand."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import given_fields, id_arg, perform
from service.schema.types.circle import PoliticalCircle
from service.usecases.circles import create_circle, delete_circle, update_circle

CIRCLE_FIELDS = {
    "name": "name",
    "color": "color",
    "business_value": "businessValue",
    "track_record": "trackRecord",
    "partisans_and_allies": "partisansAndAllies",
    "philosophy_and_policy": "philosophyAndPolicy",
}


@strawberry.input
class CircleCreateInput:
    account: strawberry.ID
    name: str
    color: str | None = None
    business_value: str | None = None
    track_record: str | None = None
    partisans_and_allies: str | None = None
    philosophy_and_policy: str | None = None


@strawberry.input(description="Fields left out keep their value; an explicit null clears them.")
class CircleUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    color: str | None = strawberry.UNSET
    business_value: str | None = strawberry.UNSET
    track_record: str | None = strawberry.UNSET
    partisans_and_allies: str | None = strawberry.UNSET
    philosophy_and_policy: str | None = strawberry.UNSET


@strawberry.input
class CircleDeleteInput:
    id: strawberry.ID


@strawberry.type
class CircleCreatePayload:
    circle: PoliticalCircle | None
    user_errors: list[UserError]


@strawberry.type
class CircleUpdatePayload:
    circle: PoliticalCircle | None
    user_errors: list[UserError]


@strawberry.type
class CircleDeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def circle_create(info: strawberry.Info[Context], input: CircleCreateInput) -> CircleCreatePayload:
    account = id_arg(input.account, "Account", "account")
    ctx = info.context
    values = given_fields(input, CIRCLE_FIELDS)
    circle, errors = await perform(ctx, create_circle(ctx.services, ctx.principal, account, values))
    return CircleCreatePayload(
        circle=None if circle is None else PoliticalCircle.from_domain(circle), user_errors=errors
    )


async def circle_update(info: strawberry.Info[Context], input: CircleUpdateInput) -> CircleUpdatePayload:
    target = id_arg(input.id, "PoliticalCircle", "id")
    ctx = info.context
    values = given_fields(input, CIRCLE_FIELDS)
    circle, errors = await perform(ctx, update_circle(ctx.services, ctx.principal, target, values))
    return CircleUpdatePayload(
        circle=None if circle is None else PoliticalCircle.from_domain(circle), user_errors=errors
    )


async def circle_delete(info: strawberry.Info[Context], input: CircleDeleteInput) -> CircleDeletePayload:
    ctx = info.context
    target = id_arg(input.id, "PoliticalCircle", "id")
    deleted, errors = await perform(ctx, delete_circle(ctx.services, ctx.principal, target))
    return CircleDeletePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id("PoliticalCircle", deleted)),
        user_errors=errors,
    )
