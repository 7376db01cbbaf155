"""The parts of an opportunity: burningIssueSet/Remove, ucvSet/Remove, buyingCentreMemberSet/Remove,
opportunityCompetitorSet/Remove, scorecardSet/Remove. Each payload carries the opportunity as it now is."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import strawberry

from service.rules import deals
from service.rules.entity_changes.refs import IdArg
from service.schema.context import Context
from service.schema.enums import BuyerType, BuyingRole
from service.schema.errors import UserError
from service.schema.mutations.opportunity_mutations import OpportunityPayload
from service.schema.mutations.support import id_arg, optional_id_arg, perform
from service.schema.types.competitor import load_competitor
from service.schema.types.links import load_stakeholder
from service.schema.types.opportunity import BuyingCentreMember, Opportunity, OpportunityCompetitor
from service.usecases.deals import buying_centre, opportunities, scorecards

P = TypeVar("P", bound=OpportunityPayload)


@strawberry.input(description="The opportunity's B.I. becomes exactly this; a flag left out or null is unknown.")
class BurningIssueSetInput:
    opportunity: strawberry.ID
    text: str
    owner: strawberry.ID | None = strawberry.field(default=None, description="A stakeholder of the account.")
    personal: bool | None = None
    time_immediate: bool | None = None
    certain: bool | None = None


@strawberry.input(description="The opportunity's UCV becomes exactly this; fields left out are unknown.")
class UcvSetInput:
    opportunity: strawberry.ID
    text: str
    measurable: bool | None = None
    metric: str | None = None
    deliverable_by: date | None = None
    customer_deadline: date | None = None
    unique: bool | None = None


@strawberry.input
class BurningIssueRemoveInput:
    opportunity: strawberry.ID


@strawberry.input
class UcvRemoveInput:
    opportunity: strawberry.ID


@strawberry.input
class ScorecardRemoveInput:
    opportunity: strawberry.ID


@strawberry.input(
    description="The stakeholder is in the buying centre exactly so: roles and types given (even empty) replace "
    "the account's for this deal; left out or null, the account's apply."
)
class BuyingCentreMemberSetInput:
    opportunity: strawberry.ID
    stakeholder: strawberry.ID
    buying_roles: list[BuyingRole] | None = None
    buyer_types: list[BuyerType] | None = None
    handler: bool = False
    project_lead: bool = False


@strawberry.input
class BuyingCentreMemberRemoveInput:
    opportunity: strawberry.ID
    stakeholder: strawberry.ID


@strawberry.input
class OpportunityCompetitorSetInput:
    opportunity: strawberry.ID
    competitor: strawberry.ID
    incumbent: bool = False


@strawberry.input
class OpportunityCompetitorRemoveInput:
    opportunity: strawberry.ID
    competitor: strawberry.ID


@strawberry.input
class ScorecardCompetitorScoreInput:
    competitor: strawberry.ID = strawberry.field(description="A competitor involved in the opportunity.")
    score: int = strawberry.field(description="1..5.")


@strawberry.input
class ScorecardCareInput:
    stakeholder: strawberry.ID
    weight: int = strawberry.field(description="How much they care, 1..5.")


@strawberry.input
class ScorecardCriterionInput:
    name: str
    weight: float = strawberry.field(description="Above 0, at most 1; the criteria's weights sum to 1.")
    our_score: int = strawberry.field(description="1..5.")
    competitor_scores: list[ScorecardCompetitorScoreInput] | None = None
    cares: list[ScorecardCareInput] | None = None


@strawberry.input(description="The opportunity's scorecard becomes exactly these criteria, in this order.")
class ScorecardSetInput:
    opportunity: strawberry.ID
    criteria: list[ScorecardCriterionInput]


@strawberry.type
class BurningIssueSetPayload(OpportunityPayload):
    pass


@strawberry.type
class BurningIssueRemovePayload(OpportunityPayload):
    pass


@strawberry.type
class UcvSetPayload(OpportunityPayload):
    pass


@strawberry.type
class UcvRemovePayload(OpportunityPayload):
    pass


@strawberry.type
class BuyingCentreMemberSetPayload(OpportunityPayload):
    buying_centre_member: BuyingCentreMember | None


@strawberry.type
class BuyingCentreMemberRemovePayload(OpportunityPayload):
    pass


@strawberry.type
class OpportunityCompetitorSetPayload(OpportunityPayload):
    opportunity_competitor: OpportunityCompetitor | None


@strawberry.type
class OpportunityCompetitorRemovePayload(OpportunityPayload):
    pass


@strawberry.type
class ScorecardSetPayload(OpportunityPayload):
    pass


@strawberry.type
class ScorecardRemovePayload(OpportunityPayload):
    pass


def _opportunity(input_id: strawberry.ID) -> IdArg:
    return id_arg(input_id, "Opportunity", "opportunity")


async def _reloaded(info: strawberry.Info[Context], opportunity_id: str | None) -> Opportunity | None:
    """The opportunity as the write left it (the request forgot what it read before the write)."""
    if opportunity_id is None:
        return None
    found = await info.context.loaders.opportunity.load(opportunity_id)
    return None if found is None else Opportunity.from_record(found)


async def _payload(
    info: strawberry.Info[Context], kind: type[P], opportunity_id: str | None, errors: list[UserError]
) -> P:
    return kind(opportunity=await _reloaded(info, opportunity_id), user_errors=errors)


async def burning_issue_set(info: strawberry.Info[Context], input: BurningIssueSetInput) -> BurningIssueSetPayload:
    issue = deals.BurningIssue(input.text, None, input.personal, input.time_immediate, input.certain)
    owner = optional_id_arg(input.owner, "Stakeholder", "owner")
    ctx = info.context
    record, errors = await perform(
        ctx, opportunities.set_burning_issue(ctx.services, ctx.principal, _opportunity(input.opportunity), owner, issue)
    )
    return await _payload(info, BurningIssueSetPayload, None if record is None else record.id, errors)


async def burning_issue_remove(
    info: strawberry.Info[Context], input: BurningIssueRemoveInput
) -> BurningIssueRemovePayload:
    ctx = info.context
    use_case = opportunities.remove_burning_issue(ctx.services, ctx.principal, _opportunity(input.opportunity))
    record, errors = await perform(ctx, use_case)
    return await _payload(info, BurningIssueRemovePayload, None if record is None else record.id, errors)


async def ucv_set(info: strawberry.Info[Context], input: UcvSetInput) -> UcvSetPayload:
    ucv = deals.Ucv(
        input.text, input.measurable, input.metric, input.deliverable_by, input.customer_deadline, input.unique
    )
    ctx = info.context
    use_case = opportunities.set_ucv(ctx.services, ctx.principal, _opportunity(input.opportunity), ucv)
    record, errors = await perform(ctx, use_case)
    return await _payload(info, UcvSetPayload, None if record is None else record.id, errors)


async def ucv_remove(info: strawberry.Info[Context], input: UcvRemoveInput) -> UcvRemovePayload:
    ctx = info.context
    use_case = opportunities.remove_ucv(ctx.services, ctx.principal, _opportunity(input.opportunity))
    record, errors = await perform(ctx, use_case)
    return await _payload(info, UcvRemovePayload, None if record is None else record.id, errors)


async def buying_centre_member_set(
    info: strawberry.Info[Context], input: BuyingCentreMemberSetInput
) -> BuyingCentreMemberSetPayload:
    member = deals.BuyingCentreMember(
        "",
        None if input.buying_roles is None else tuple(input.buying_roles),
        None if input.buyer_types is None else tuple(input.buyer_types),
        input.handler,
        input.project_lead,
    )
    stakeholder = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ctx = info.context
    use_case = buying_centre.set_member(
        ctx.services, ctx.principal, _opportunity(input.opportunity), stakeholder, member
    )
    result, errors = await perform(ctx, use_case)
    if result is None:
        return BuyingCentreMemberSetPayload(opportunity=None, buying_centre_member=None, user_errors=errors)
    opportunity_id, stored = result
    person = await load_stakeholder(info, stored.stakeholder)
    return BuyingCentreMemberSetPayload(
        opportunity=await _reloaded(info, opportunity_id),
        buying_centre_member=BuyingCentreMember.of(stored, person),
        user_errors=[],
    )


async def buying_centre_member_remove(
    info: strawberry.Info[Context], input: BuyingCentreMemberRemoveInput
) -> BuyingCentreMemberRemovePayload:
    stakeholder = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ctx = info.context
    use_case = buying_centre.remove_member(ctx.services, ctx.principal, _opportunity(input.opportunity), stakeholder)
    opportunity_id, errors = await perform(ctx, use_case)
    return await _payload(info, BuyingCentreMemberRemovePayload, opportunity_id, errors)


async def opportunity_competitor_set(
    info: strawberry.Info[Context], input: OpportunityCompetitorSetInput
) -> OpportunityCompetitorSetPayload:
    competitor = id_arg(input.competitor, "Competitor", "competitor")
    ctx = info.context
    use_case = buying_centre.set_involvement(
        ctx.services, ctx.principal, _opportunity(input.opportunity), competitor, input.incumbent
    )
    result, errors = await perform(ctx, use_case)
    if result is None:
        return OpportunityCompetitorSetPayload(opportunity=None, opportunity_competitor=None, user_errors=errors)
    opportunity_id, involvement = result
    return OpportunityCompetitorSetPayload(
        opportunity=await _reloaded(info, opportunity_id),
        opportunity_competitor=OpportunityCompetitor(
            competitor=await load_competitor(info, involvement.competitor), incumbent=involvement.incumbent
        ),
        user_errors=[],
    )


async def opportunity_competitor_remove(
    info: strawberry.Info[Context], input: OpportunityCompetitorRemoveInput
) -> OpportunityCompetitorRemovePayload:
    competitor = id_arg(input.competitor, "Competitor", "competitor")
    ctx = info.context
    use_case = buying_centre.remove_involvement(
        ctx.services, ctx.principal, _opportunity(input.opportunity), competitor
    )
    opportunity_id, errors = await perform(ctx, use_case)
    return await _payload(info, OpportunityCompetitorRemovePayload, opportunity_id, errors)


async def scorecard_set(info: strawberry.Info[Context], input: ScorecardSetInput) -> ScorecardSetPayload:
    competitors: dict[str, IdArg] = {}
    people: dict[str, IdArg] = {}
    criteria = []
    for c in input.criteria:
        scores = c.competitor_scores or []
        cares = c.cares or []
        competitors.update((s.competitor, id_arg(s.competitor, "Competitor", "criteria")) for s in scores)
        people.update((x.stakeholder, id_arg(x.stakeholder, "Stakeholder", "criteria")) for x in cares)
        criteria.append(
            deals.Criterion(
                name=c.name,
                weight=c.weight,
                our_score=c.our_score,
                competitor_scores=tuple(deals.CompetitorScore(s.competitor, s.score) for s in scores),
                cares=tuple(deals.Care(x.stakeholder, x.weight) for x in cares),
            )
        )
    ctx = info.context
    use_case = scorecards.set_scorecard(
        ctx.services,
        ctx.principal,
        _opportunity(input.opportunity),
        deals.Scorecard(tuple(criteria)),
        competitors,
        people,
    )
    opportunity_id, errors = await perform(ctx, use_case)
    return await _payload(info, ScorecardSetPayload, opportunity_id, errors)


async def scorecard_remove(info: strawberry.Info[Context], input: ScorecardRemoveInput) -> ScorecardRemovePayload:
    ctx = info.context
    use_case = scorecards.remove_scorecard(ctx.services, ctx.principal, _opportunity(input.opportunity))
    opportunity_id, errors = await perform(ctx, use_case)
    return await _payload(info, ScorecardRemovePayload, opportunity_id, errors)
