"""stakeholderCreate: a new person in an account, by hand (integration jobs use their own mutations)."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.enums import (
    Adaptability,
    BuyerType,
    BuyingRole,
    ContactTier,
    OrgLevel,
    Personality,
    Stance,
)
from service.schema.errors import UserError
from service.schema.mutations.support import given_fields, id_arg, optional_id_arg, perform
from service.schema.types.stakeholder import Stakeholder
from service.usecases.stakeholders import create_stakeholder

STAKEHOLDER_FIELDS = {
    "name": "name",
    "title": "title",
    "department": "department",
    "email": "email",
    "phone": "phone",
    "level": "level",
    "stance": "stance",
    "influence": "influence",
    "buying_roles": "buyingRoles",
    "buyer_types": "buyerTypes",
    "adaptability": "adaptability",
    "personality": "personality",
    "contact_tier": "contactTier",
    "notes": "notes",
}
"""Input attribute -> stored property, for create and update alike."""


@strawberry.input
class StakeholderCreateInput:
    account: strawberry.ID
    name: str
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phone: str | None = None
    level: OrgLevel | None = None
    reports_to: strawberry.ID | None = strawberry.field(default=None, description="A stakeholder of the same account.")
    stance: Stance | None = None
    influence: int | None = None
    buying_roles: list[BuyingRole] | None = None
    buyer_types: list[BuyerType] | None = None
    adaptability: Adaptability | None = None
    personality: Personality | None = None
    contact_tier: ContactTier | None = None
    notes: str | None = None


@strawberry.type
class StakeholderCreatePayload:
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


async def stakeholder_create(info: strawberry.Info[Context], input: StakeholderCreateInput) -> StakeholderCreatePayload:
    account = id_arg(input.account, "Account", "account")
    manager = optional_id_arg(input.reports_to, "Stakeholder", "reportsTo")
    values = given_fields(input, STAKEHOLDER_FIELDS)
    ctx = info.context
    stakeholder, errors = await perform(ctx, create_stakeholder(ctx.services, ctx.principal, account, manager, values))
    return StakeholderCreatePayload(
        stakeholder=None if stakeholder is None else Stakeholder.from_domain(stakeholder), user_errors=errors
    )
