"""tieSet (upsert: one tie per unordered pair and kind) and tieRemove."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.enums import TieKind
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import id_arg, optional_id_arg, perform
from service.schema.types.links import Tie
from service.usecases.links import remove_tie, set_tie

ENTITY = "Tie"


@strawberry.input(description="The `kind` tie between `a` and `b` (either order) becomes exactly this.")
class TieSetInput:
    kind: TieKind
    a: strawberry.ID
    b: strawberry.ID
    strength: int | None = None
    note: str | None = None


@strawberry.input(description="The tie by its `id`, or by `kind`, `a` and `b`.")
class TieRemoveInput:
    id: strawberry.ID | None = None
    kind: TieKind | None = None
    a: strawberry.ID | None = None
    b: strawberry.ID | None = None


@strawberry.type
class TieSetPayload:
    tie: Tie | None
    user_errors: list[UserError]


@strawberry.type
class TieRemovePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def tie_set(info: strawberry.Info[Context], input: TieSetInput) -> TieSetPayload:
    a = id_arg(input.a, "Stakeholder", "a")
    b = id_arg(input.b, "Stakeholder", "b")
    values = {"strength": input.strength, "note": input.note}
    ctx = info.context
    tie, errors = await perform(ctx, set_tie(ctx.services, ctx.principal, input.kind, a, b, values))
    return TieSetPayload(tie=None if tie is None else Tie.loading(info, tie), user_errors=errors)


async def tie_remove(info: strawberry.Info[Context], input: TieRemoveInput) -> TieRemovePayload:
    tie_id = optional_id_arg(input.id, ENTITY, "id")
    a = optional_id_arg(input.a, "Stakeholder", "a")
    b = optional_id_arg(input.b, "Stakeholder", "b")
    ctx = info.context
    deleted, errors = await perform(ctx, remove_tie(ctx.services, ctx.principal, tie_id, input.kind, a, b))
    return TieRemovePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id(ENTITY, deleted)), user_errors=errors
    )
