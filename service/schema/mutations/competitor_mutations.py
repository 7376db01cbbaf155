"""competitorCreate/Update/Delete and competitorRepCreate/Update/Delete: the workspace's competitors and their
reps."""

from __future__ import annotations

import strawberry

from service.rules import deals
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import (
    ExternalIdInput,
    external_ref,
    given_fields,
    id_arg,
    optional_id_arg,
    perform,
)
from service.schema.types.competitor import Competitor, CompetitorRep
from service.usecases.deals import competitors


@strawberry.input
class CompetitorCreateInput:
    name: str
    origin: str | None = strawberry.field(default=None, description="e.g. 国外公司, 国内同行.")
    external_id: ExternalIdInput | None = None


@strawberry.input(description="Fields left out keep their value; an explicit null clears them (never the name).")
class CompetitorUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    origin: str | None = strawberry.UNSET


@strawberry.input
class CompetitorDeleteInput:
    id: strawberry.ID


@strawberry.input
class CompetitorRepCreateInput:
    competitor: strawberry.ID
    name: str
    external_id: ExternalIdInput | None = None


@strawberry.input(description="Fields left out keep their value.")
class CompetitorRepUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    competitor: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The competitor they now work for."
    )


@strawberry.input
class CompetitorRepDeleteInput:
    id: strawberry.ID


@strawberry.type
class CompetitorPayload:
    competitor: Competitor | None
    user_errors: list[UserError]


@strawberry.type
class CompetitorCreatePayload(CompetitorPayload):
    pass


@strawberry.type
class CompetitorUpdatePayload(CompetitorPayload):
    pass


@strawberry.type
class CompetitorRepPayload:
    competitor_rep: CompetitorRep | None
    user_errors: list[UserError]


@strawberry.type
class CompetitorRepCreatePayload(CompetitorRepPayload):
    pass


@strawberry.type
class CompetitorRepUpdatePayload(CompetitorRepPayload):
    pass


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.type
class CompetitorDeletePayload(DeletePayload):
    pass


@strawberry.type
class CompetitorRepDeletePayload(DeletePayload):
    pass


def _competitor(found: deals.Competitor | None) -> Competitor | None:
    return None if found is None else Competitor.from_domain(found)


def _rep(found: deals.CompetitorRep | None) -> CompetitorRep | None:
    return None if found is None else CompetitorRep.from_domain(found)


def _deleted(type_name: str, deleted: str | None) -> strawberry.ID | None:
    return None if deleted is None else strawberry.ID(encode_id(type_name, deleted))


async def competitor_create(info: strawberry.Info[Context], input: CompetitorCreateInput) -> CompetitorCreatePayload:
    ctx = info.context
    competitor = deals.Competitor("", input.name, input.origin)
    use_case = competitors.create_competitor(ctx.services, ctx.principal, competitor, external_ref(input.external_id))
    found, errors = await perform(ctx, use_case)
    return CompetitorCreatePayload(competitor=_competitor(found), user_errors=errors)


async def competitor_update(info: strawberry.Info[Context], input: CompetitorUpdateInput) -> CompetitorUpdatePayload:
    ctx = info.context
    values = given_fields(input, {"name": "name", "origin": "origin"})
    use_case = competitors.update_competitor(ctx.services, ctx.principal, id_arg(input.id, "Competitor", "id"), values)
    found, errors = await perform(ctx, use_case)
    return CompetitorUpdatePayload(competitor=_competitor(found), user_errors=errors)


async def competitor_delete(info: strawberry.Info[Context], input: CompetitorDeleteInput) -> CompetitorDeletePayload:
    ctx = info.context
    use_case = competitors.delete_competitor(ctx.services, ctx.principal, id_arg(input.id, "Competitor", "id"))
    deleted, errors = await perform(ctx, use_case)
    return CompetitorDeletePayload(deleted_id=_deleted("Competitor", deleted), user_errors=errors)


async def competitor_rep_create(
    info: strawberry.Info[Context], input: CompetitorRepCreateInput
) -> CompetitorRepCreatePayload:
    ctx = info.context
    competitor = id_arg(input.competitor, "Competitor", "competitor")
    use_case = competitors.create_rep(
        ctx.services, ctx.principal, competitor, input.name, external_ref(input.external_id)
    )
    found, errors = await perform(ctx, use_case)
    return CompetitorRepCreatePayload(competitor_rep=_rep(found), user_errors=errors)


async def competitor_rep_update(
    info: strawberry.Info[Context], input: CompetitorRepUpdateInput
) -> CompetitorRepUpdatePayload:
    ctx = info.context
    values = given_fields(input, {"name": "name"})
    competitor = optional_id_arg(input.competitor, "Competitor", "competitor")
    rep = id_arg(input.id, "CompetitorRep", "id")
    found, errors = await perform(ctx, competitors.update_rep(ctx.services, ctx.principal, rep, values, competitor))
    return CompetitorRepUpdatePayload(competitor_rep=_rep(found), user_errors=errors)


async def competitor_rep_delete(
    info: strawberry.Info[Context], input: CompetitorRepDeleteInput
) -> CompetitorRepDeletePayload:
    ctx = info.context
    use_case = competitors.delete_rep(ctx.services, ctx.principal, id_arg(input.id, "CompetitorRep", "id"))
    deleted, errors = await perform(ctx, use_case)
    return CompetitorRepDeletePayload(deleted_id=_deleted("CompetitorRep", deleted), user_errors=errors)
