"""stakeholderUpdate: change a person's fields, guarded by the version the client last read."""

from __future__ import annotations

from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph import records
from service.graph.entity_writes.lookup import lock_and_read
from service.graph.entity_writes.stakeholders import reporting, set_manager, update_stakeholder
from service.graph.history import record_changes
from service.rules import models
from service.rules.entity_changes.diff import new_values, stakeholder_history, stale, updated
from service.rules.entity_changes.fields import reporting_problems, stakeholder_problems
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
from service.schema.mutations.stakeholder_create import STAKEHOLDER_FIELDS
from service.schema.mutations.support import Call, given_fields, id_arg, optional_id_arg, run_write
from service.schema.types.stakeholder import Stakeholder


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


async def update(
    tx: Tx,
    call: Call,
    person: IdArg,
    version: int | None,
    manager: tuple[IdArg | None] | None,
    values: dict[str, Any],
) -> models.Stakeholder:
    """`manager` is None when reportsTo was left out, else a 1-tuple holding the new manager (or None)."""
    new_manager = None if manager is None else manager[0]
    refs = await lock_and_read(tx, call.ws, [person, new_manager])
    found = refs.get(person)
    problems = unknown([person, new_manager], refs)
    if found is not None:
        problems = [
            *stale(version, found.props["version"]),
            *problems,
            *outside(new_manager, refs, found.account_id, "the stakeholder"),
        ]
    problems += stakeholder_problems(values)
    manager_changed = False
    if found is not None and manager is not None:
        manager_id = None if new_manager is None else new_manager.raw
        known = new_manager is None or refs.get(new_manager) is not None
        current, cycle = await reporting(tx, call.ws, found.id, manager_id) if known else (None, False)
        problems += reporting_problems(found.id, manager_id, cycle)
        manager_changed = known and current != manager_id
    reject_if(problems)
    assert found is not None
    changed = updated(found.props, values)
    if not changed and not manager_changed:
        return records.stakeholder_from(found.props)
    if manager_changed:
        await set_manager(tx, call.ws, found.id, None if new_manager is None else new_manager.raw)
    stakeholder = await update_stakeholder(tx, call.ws, found.id, new_values(changed), call.now)
    await record_changes(tx, call.ws, stakeholder_history(found.id, changed), call.now, call.actor)
    return stakeholder


async def stakeholder_update(info: strawberry.Info[Context], input: StakeholderUpdateInput) -> StakeholderUpdatePayload:
    person = id_arg(input.id, "Stakeholder", "id")
    manager = None
    if input.reports_to is not strawberry.UNSET:
        manager = (optional_id_arg(input.reports_to, "Stakeholder", "reportsTo"),)
    values = given_fields(input, STAKEHOLDER_FIELDS)
    stakeholder, errors = await run_write(info.context, update, person, input.version, manager, values)
    return StakeholderUpdatePayload(
        stakeholder=None if stakeholder is None else Stakeholder.from_domain(stakeholder), user_errors=errors
    )
