"""opportunityCreate, opportunityUpdate and opportunityDelete."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

import strawberry

from service.rules.deals import Opportunity as OpportunityModel
from service.rules.deals.model import OpportunityRecord
from service.schema.context import Context
from service.schema.enums import BuyClass, DecisionStage, OpportunityStatus, SalesStage
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import ExternalIdInput, external_ref, given_fields, id_arg, perform
from service.schema.types.opportunity import Opportunity
from service.usecases.deals.opportunities import create_opportunity, delete_opportunity, update_opportunity

OPPORTUNITY_FIELDS = {
    "name": "name",
    "buy_class": "buyClass",
    "estimated_value": "estimatedValue",
    "currency": "currency",
    "expected_close_date": "expectedCloseDate",
    "status": "status",
    "sales_stage": "salesStage",
    "procurement_step": "procurementStep",
    "decision_stage": "decisionStage",
}


@strawberry.input(
    description="A new opportunity on an account; its burning issue, UCV, buying centre, competitors "
    "and scorecard are set by their own mutations."
)
class OpportunityCreateInput:
    account: strawberry.ID
    name: str
    buy_class: BuyClass | None = None
    estimated_value: Decimal | None = strawberry.field(default=None, description="With `currency`.")
    currency: str | None = strawberry.field(default=None, description="ISO 4217, e.g. CNY.")
    expected_close_date: date | None = None
    status: OpportunityStatus = OpportunityStatus.OPEN
    sales_stage: SalesStage = SalesStage.G
    procurement_step: int | None = strawberry.field(default=None, description="The customer's step, 1..12.")
    decision_stage: DecisionStage | None = None
    external_id: ExternalIdInput | None = None


@strawberry.input(
    description="Fields left out keep their value; an explicit null clears them (never the name, status or stage)."
)
class OpportunityUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    buy_class: BuyClass | None = strawberry.UNSET
    estimated_value: Decimal | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    expected_close_date: date | None = strawberry.UNSET
    status: OpportunityStatus | None = strawberry.UNSET
    sales_stage: SalesStage | None = strawberry.UNSET
    procurement_step: int | None = strawberry.UNSET
    decision_stage: DecisionStage | None = strawberry.UNSET


@strawberry.input
class OpportunityDeleteInput:
    id: strawberry.ID


@strawberry.type
class OpportunityPayload:
    opportunity: Opportunity | None
    user_errors: list[UserError]


@strawberry.type
class OpportunityCreatePayload(OpportunityPayload):
    pass


@strawberry.type
class OpportunityUpdatePayload(OpportunityPayload):
    pass


@strawberry.type
class OpportunityDeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


P = TypeVar("P", bound=OpportunityPayload)


def payload(kind: type[P], record: OpportunityRecord | None, errors: list[UserError]) -> P:
    return kind(opportunity=None if record is None else Opportunity.from_record(record), user_errors=errors)


async def opportunity_create(info: strawberry.Info[Context], input: OpportunityCreateInput) -> OpportunityCreatePayload:
    opportunity = OpportunityModel(
        id="",
        name=input.name,
        sales_stage=input.sales_stage,
        status=input.status,
        buy_class=input.buy_class,
        estimated_value=input.estimated_value,
        currency=input.currency,
        expected_close_date=input.expected_close_date,
        procurement_step=input.procurement_step,
        decision_stage=input.decision_stage,
    )
    account = id_arg(input.account, "Account", "account")
    ctx = info.context
    use_case = create_opportunity(ctx.services, ctx.principal, account, opportunity, external_ref(input.external_id))
    return payload(OpportunityCreatePayload, *await perform(ctx, use_case))


async def opportunity_update(info: strawberry.Info[Context], input: OpportunityUpdateInput) -> OpportunityUpdatePayload:
    opportunity = id_arg(input.id, "Opportunity", "id")
    ctx = info.context
    use_case = update_opportunity(ctx.services, ctx.principal, opportunity, given_fields(input, OPPORTUNITY_FIELDS))
    return payload(OpportunityUpdatePayload, *await perform(ctx, use_case))


async def opportunity_delete(info: strawberry.Info[Context], input: OpportunityDeleteInput) -> OpportunityDeletePayload:
    ctx = info.context
    use_case = delete_opportunity(ctx.services, ctx.principal, id_arg(input.id, "Opportunity", "id"))
    deleted, errors = await perform(ctx, use_case)
    return OpportunityDeletePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id("Opportunity", deleted)), user_errors=errors
    )
