"""stakeholderCreate: a new person in an account, by hand (integration jobs use their own mutations)."""

from __future__ import annotations

from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph.entity_writes.lookup import lock_and_read
from service.graph.entity_writes.stakeholders import create_stakeholder
from service.graph.history import record_changes
from service.rules import models
from service.rules.entity_changes.diff import created, stakeholder_history
from service.rules.entity_changes.fields import stakeholder_problems
from service.rules.entity_changes.refs import IdArg, outside, unknown
from service.rules.entity_changes.rejected import reject_if
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
from service.schema.mutations.support import Call, given_fields, id_arg, new_id, optional_id_arg, run_write
from service.schema.types.stakeholder import Stakeholder

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


async def create(
    tx: Tx, call: Call, account: IdArg, manager: IdArg | None, values: dict[str, Any]
) -> models.Stakeholder:
    refs = await lock_and_read(tx, call.ws, [account, manager])
    reject_if(
        [
            *unknown([account, manager], refs),
            *outside(manager, refs, account.raw, "`account`"),
            *stakeholder_problems(values),
        ]
    )
    assert account.raw is not None
    props, changed = created(values)
    props.setdefault("stance", "UNKNOWN")
    props.setdefault("buyingRoles", [])
    props.setdefault("buyerTypes", [])
    person = new_id()
    manager_id = None if manager is None else manager.raw
    stakeholder = await create_stakeholder(tx, call.ws, person, account.raw, props, manager_id, call.now)
    await record_changes(tx, call.ws, stakeholder_history(person, changed), call.now, call.actor)
    return stakeholder


async def stakeholder_create(info: strawberry.Info[Context], input: StakeholderCreateInput) -> StakeholderCreatePayload:
    account = id_arg(input.account, "Account", "account")
    manager = optional_id_arg(input.reports_to, "Stakeholder", "reportsTo")
    values = given_fields(input, STAKEHOLDER_FIELDS)
    stakeholder, errors = await run_write(info.context, create, account, manager, values)
    return StakeholderCreatePayload(
        stakeholder=None if stakeholder is None else Stakeholder.from_domain(stakeholder), user_errors=errors
    )
