"""stakeholderArchive and stakeholderRestore: soft delete, and its undo. Both count a version."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import id_arg, perform
from service.schema.types.stakeholder import Stakeholder
from service.usecases.stakeholders import set_archived


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


async def stakeholder_archive(
    info: strawberry.Info[Context], input: StakeholderArchiveInput
) -> StakeholderArchivePayload:
    person = id_arg(input.id, "Stakeholder", "id")
    ctx = info.context
    stakeholder, errors = await perform(ctx, set_archived(ctx.services, ctx.principal, person, True))
    return StakeholderArchivePayload(
        stakeholder=None if stakeholder is None else Stakeholder.from_domain(stakeholder), user_errors=errors
    )


async def stakeholder_restore(
    info: strawberry.Info[Context], input: StakeholderRestoreInput
) -> StakeholderRestorePayload:
    person = id_arg(input.id, "Stakeholder", "id")
    ctx = info.context
    stakeholder, errors = await perform(ctx, set_archived(ctx.services, ctx.principal, person, False))
    return StakeholderRestorePayload(
        stakeholder=None if stakeholder is None else Stakeholder.from_domain(stakeholder), user_errors=errors
    )
