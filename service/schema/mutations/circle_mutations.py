"""circleCreate, circleUpdate, circleDelete: an account's political circles, by hand."""

from __future__ import annotations

from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph import records
from service.graph.entity_writes import circles
from service.graph.entity_writes.lookup import lock_and_read
from service.graph.history import record_changes
from service.rules import models
from service.rules.entity_changes.diff import created, history, new_values, updated
from service.rules.entity_changes.fields import circle_problems
from service.rules.entity_changes.refs import IdArg, unknown
from service.rules.entity_changes.rejected import reject_if
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import Call, given_fields, id_arg, new_id, run_write
from service.schema.types.circle import PoliticalCircle

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


async def create(tx: Tx, call: Call, account: IdArg, values: dict[str, Any]) -> models.Circle:
    refs = await lock_and_read(tx, call.ws, [account])
    reject_if([*unknown([account], refs), *circle_problems(values)])
    assert account.raw is not None
    props, _ = created(values)
    return await circles.create_circle(tx, call.ws, new_id(), account.raw, props, call.now)


async def update(tx: Tx, call: Call, circle: IdArg, values: dict[str, Any]) -> models.Circle:
    refs = await lock_and_read(tx, call.ws, [circle])
    reject_if([*unknown([circle], refs), *circle_problems(values)])
    found = refs.get(circle)
    assert found is not None
    changed = updated(found.props, values)
    if not changed:
        return records.circle_from(found.props)
    return await circles.update_circle(tx, call.ws, found.id, new_values(changed), call.now)


async def delete(tx: Tx, call: Call, circle: IdArg) -> str:
    """The circle and its memberships (each recorded as removed) and relations."""
    refs = await lock_and_read(tx, call.ws, [circle])
    reject_if(unknown([circle], refs))
    assert circle.raw is not None
    members = await circles.circle_members(tx, call.ws, circle.raw)
    await circles.delete_circle(tx, call.ws, circle.raw)
    rows = [
        row for m in members for row in history("Membership", circle.raw, {"core": (m.core, None)}, [m.stakeholder_id])
    ]
    await record_changes(tx, call.ws, rows, call.now, call.actor)
    return circle.raw


async def circle_create(info: strawberry.Info[Context], input: CircleCreateInput) -> CircleCreatePayload:
    account = id_arg(input.account, "Account", "account")
    circle, errors = await run_write(info.context, create, account, given_fields(input, CIRCLE_FIELDS))
    return CircleCreatePayload(
        circle=None if circle is None else PoliticalCircle.from_domain(circle), user_errors=errors
    )


async def circle_update(info: strawberry.Info[Context], input: CircleUpdateInput) -> CircleUpdatePayload:
    target = id_arg(input.id, "PoliticalCircle", "id")
    circle, errors = await run_write(info.context, update, target, given_fields(input, CIRCLE_FIELDS))
    return CircleUpdatePayload(
        circle=None if circle is None else PoliticalCircle.from_domain(circle), user_errors=errors
    )


async def circle_delete(info: strawberry.Info[Context], input: CircleDeleteInput) -> CircleDeletePayload:
    deleted, errors = await run_write(info.context, delete, id_arg(input.id, "PoliticalCircle", "id"))
    return CircleDeletePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id("PoliticalCircle", deleted)),
        user_errors=errors,
    )
