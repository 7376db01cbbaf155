"""stakeholderArchive and stakeholderRestore: soft delete, and its undo. Both count a version."""

from __future__ import annotations

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph import records
from service.graph.entity_writes.lookup import lock_and_read
from service.graph.entity_writes.stakeholders import update_stakeholder
from service.graph.history import record_changes
from service.rules import models
from service.rules.entity_changes.diff import new_values, stakeholder_history, updated
from service.rules.entity_changes.refs import IdArg, unknown
from service.rules.entity_changes.rejected import reject_if
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import Call, id_arg, run_write
from service.schema.types.stakeholder import Stakeholder


@strawberry.input
class StakeholderArchiveInput:
    id: strawberry.ID


@strawberry.input
class StakeholderRestoreInput:
    id: strawberry.ID


@strawberry.type
class StakeholderArchivePayload:
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


@strawberry.type
class StakeholderRestorePayload:
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


async def set_archived(tx: Tx, call: Call, person: IdArg, archived: bool) -> models.Stakeholder:
    """Archived already (or restored already): nothing changes."""
    refs = await lock_and_read(tx, call.ws, [person])
    reject_if(unknown([person], refs))
    found = refs.get(person)
    assert found is not None
    changed = updated(found.props, {"archived": archived})
    if not changed:
        return records.stakeholder_from(found.props)
    stakeholder = await update_stakeholder(tx, call.ws, found.id, new_values(changed), call.now)
    await record_changes(tx, call.ws, stakeholder_history(found.id, changed), call.now, call.actor)
    return stakeholder


async def stakeholder_archive(
    info: strawberry.Info[Context], input: StakeholderArchiveInput
) -> StakeholderArchivePayload:
    person = id_arg(input.id, "Stakeholder", "id")
    stakeholder, errors = await run_write(info.context, set_archived, person, True)
    return StakeholderArchivePayload(
        stakeholder=None if stakeholder is None else Stakeholder.from_domain(stakeholder), user_errors=errors
    )


async def stakeholder_restore(
    info: strawberry.Info[Context], input: StakeholderRestoreInput
) -> StakeholderRestorePayload:
    person = id_arg(input.id, "Stakeholder", "id")
    stakeholder, errors = await run_write(info.context, set_archived, person, False)
    return StakeholderRestorePayload(
        stakeholder=None if stakeholder is None else Stakeholder.from_domain(stakeholder), user_errors=errors
    )
