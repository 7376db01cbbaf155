"""stakeholderUpdate: change a person's fields, guarded by the version the client last read."""

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
from service.schema.mutations.stakeholder_create import STAKEHOLDER_FIELDS
from service.schema.mutations.support import given_fields, id_arg, optional_id_arg, perform
from service.schema.types.stakeholder import Stakeholder
from service.usecases.stakeholders import ManagerChange, StakeholderEdit, update_stakeholder


@strawberry.input(
    description="Fields left out keep their value; an explicit null clears them (stance to UNKNOWN, lists to [])."
)
class StakeholderUpdateInput:
    id: strawberry.ID
    version: int | None = strawberry.field(
        default=None, description="The version the change is based on; a different stored version is STALE."
    )
    name: str | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    department: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    level: OrgLevel | None = strawberry.UNSET
    reports_to: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A stakeholder of the same account; null: reports to nobody."
    )
    stance: Stance | None = strawberry.UNSET
    influence: int | None = strawberry.UNSET
    buying_roles: list[BuyingRole] | None = strawberry.UNSET
    buyer_types: list[BuyerType] | None = strawberry.UNSET
    adaptability: Adaptability | None = strawberry.UNSET
    personality: Personality | None = strawberry.UNSET
    contact_tier: ContactTier | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.type
class StakeholderUpdatePayload:
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


async def stakeholder_update(info: strawberry.Info[Context], input: StakeholderUpdateInput) -> StakeholderUpdatePayload:
    reports_to = None
    if input.reports_to is not strawberry.UNSET:
        reports_to = ManagerChange(optional_id_arg(input.reports_to, "Stakeholder", "reportsTo"))
    edit = StakeholderEdit(
        person=id_arg(input.id, "Stakeholder", "id"),
        values=given_fields(input, STAKEHOLDER_FIELDS),
        version=input.version,
        reports_to=reports_to,
    )
    ctx = info.context
    stakeholder, errors = await perform(ctx, update_stakeholder(ctx.services, ctx.principal, edit))
    return StakeholderUpdatePayload(
        stakeholder=None if stakeholder is None else Stakeholder.from_domain(stakeholder), user_errors=errors
    )
