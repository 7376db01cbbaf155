"""competitorContactSet/Remove (a rep working a stakeholder) and stakeholderFavourSet/Remove."""

from __future__ import annotations

import strawberry

from service.rules import deals
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import id_arg, perform
from service.schema.types.competitor import CompetitorRep, Favour, RepContact
from service.schema.types.links import load_stakeholder
from service.schema.types.stakeholder import Stakeholder
from service.usecases.deals import relations


@strawberry.input(
    description="The rep's contact with the stakeholder becomes exactly this; fields left out are cleared."
)
class CompetitorContactSetInput:
    rep: strawberry.ID
    stakeholder: strawberry.ID
    visits_per_month: float | None = strawberry.field(default=None, description="0 to 100.")
    typical_minutes: int | None = strawberry.field(default=None, description="1 to 1440.")
    form: str | None = strawberry.field(default=None, description="How the rep builds the relation, e.g. 商务宴请.")
    topics: list[str] | None = strawberry.field(default=None, description="At most 20.")
    strength: int | None = strawberry.field(default=None, description="1..5.")


@strawberry.input
class CompetitorContactRemoveInput:
    rep: strawberry.ID
    stakeholder: strawberry.ID


@strawberry.input(description="The stakeholder favours the competitor, with a note.")
class StakeholderFavourSetInput:
    stakeholder: strawberry.ID
    competitor: strawberry.ID
    note: str | None = None


@strawberry.input
class StakeholderFavourRemoveInput:
    stakeholder: strawberry.ID
    competitor: strawberry.ID


@strawberry.type
class CompetitorContactSetPayload:
    competitor_contact: RepContact | None
    user_errors: list[UserError]


@strawberry.type
class CompetitorContactRemovePayload:
    competitor_rep: CompetitorRep | None
    user_errors: list[UserError]


@strawberry.type
class StakeholderFavourSetPayload:
    favour: Favour | None
    user_errors: list[UserError]


@strawberry.type
class StakeholderFavourRemovePayload:
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


async def competitor_contact_set(
    info: strawberry.Info[Context], input: CompetitorContactSetInput
) -> CompetitorContactSetPayload:
    contact = deals.RepContact(
        "",
        "",
        input.visits_per_month,
        input.typical_minutes,
        input.form,
        tuple(input.topics or ()),
        input.strength,
    )
    rep = id_arg(input.rep, "CompetitorRep", "rep")
    stakeholder = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ctx = info.context
    found, errors = await perform(ctx, relations.set_contact(ctx.services, ctx.principal, rep, stakeholder, contact))
    return CompetitorContactSetPayload(
        competitor_contact=None if found is None else RepContact.from_domain(found), user_errors=errors
    )


async def competitor_contact_remove(
    info: strawberry.Info[Context], input: CompetitorContactRemoveInput
) -> CompetitorContactRemovePayload:
    rep = id_arg(input.rep, "CompetitorRep", "rep")
    stakeholder = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ctx = info.context
    pair, errors = await perform(ctx, relations.remove_contact(ctx.services, ctx.principal, rep, stakeholder))
    if pair is None:
        return CompetitorContactRemovePayload(competitor_rep=None, user_errors=errors)
    found = await ctx.loaders.competitor_rep.load(pair[0])
    return CompetitorContactRemovePayload(
        competitor_rep=None if found is None else CompetitorRep.from_domain(found), user_errors=[]
    )


async def stakeholder_favour_set(
    info: strawberry.Info[Context], input: StakeholderFavourSetInput
) -> StakeholderFavourSetPayload:
    stakeholder = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    competitor = id_arg(input.competitor, "Competitor", "competitor")
    ctx = info.context
    use_case = relations.set_favour(ctx.services, ctx.principal, stakeholder, competitor, input.note)
    found, errors = await perform(ctx, use_case)
    return StakeholderFavourSetPayload(favour=None if found is None else Favour.from_domain(found), user_errors=errors)


async def stakeholder_favour_remove(
    info: strawberry.Info[Context], input: StakeholderFavourRemoveInput
) -> StakeholderFavourRemovePayload:
    stakeholder = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    competitor = id_arg(input.competitor, "Competitor", "competitor")
    ctx = info.context
    pair, errors = await perform(ctx, relations.remove_favour(ctx.services, ctx.principal, stakeholder, competitor))
    return StakeholderFavourRemovePayload(
        stakeholder=None if pair is None else await load_stakeholder(info, pair[0]), user_errors=errors
    )
