"""influenceLinkSet (upsert: one link per ordered pair) and influenceLinkRemove."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.enums import InfluenceKind
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import id_arg, optional_id_arg, perform
from service.schema.types.links import InfluenceLink
from service.usecases.links import remove_influence_link, set_influence_link

ENTITY = "InfluenceLink"


@strawberry.input(description="The link from `from` to `to` becomes exactly this; fields left out are cleared.")
class InfluenceLinkSetInput:
    from_: strawberry.ID = strawberry.field(name="from")
    to: strawberry.ID
    strength: int
    kind: InfluenceKind | None = None
    topic: str | None = None
    confidence: float | None = None


@strawberry.input(description="The link by its `id`, or by `from` and `to`.")
class InfluenceLinkRemoveInput:
    id: strawberry.ID | None = None
    from_: strawberry.ID | None = strawberry.field(default=None, name="from")
    to: strawberry.ID | None = None


@strawberry.type
class InfluenceLinkSetPayload:
    influence_link: InfluenceLink | None
    user_errors: list[UserError]


@strawberry.type
class InfluenceLinkRemovePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def influence_link_set(info: strawberry.Info[Context], input: InfluenceLinkSetInput) -> InfluenceLinkSetPayload:
    source = id_arg(input.from_, "Stakeholder", "from")
    target = id_arg(input.to, "Stakeholder", "to")
    values = {"strength": input.strength, "kind": input.kind, "topic": input.topic, "confidence": input.confidence}
    ctx = info.context
    link, errors = await perform(ctx, set_influence_link(ctx.services, ctx.principal, source, target, values))
    return InfluenceLinkSetPayload(
        influence_link=None if link is None else InfluenceLink.loading(info, link), user_errors=errors
    )


async def influence_link_remove(
    info: strawberry.Info[Context], input: InfluenceLinkRemoveInput
) -> InfluenceLinkRemovePayload:
    link_id = optional_id_arg(input.id, ENTITY, "id")
    source = optional_id_arg(input.from_, "Stakeholder", "from")
    target = optional_id_arg(input.to, "Stakeholder", "to")
    ctx = info.context
    deleted, errors = await perform(ctx, remove_influence_link(ctx.services, ctx.principal, link_id, source, target))
    return InfluenceLinkRemovePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id(ENTITY, deleted)), user_errors=errors
    )
