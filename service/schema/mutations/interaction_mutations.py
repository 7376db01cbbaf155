"""interactionRecord, interactionUpdate and interactionDelete: the account's visit log, by hand."""

from __future__ import annotations

from datetime import datetime

import strawberry

from service.schema.context import Context
from service.schema.enums import InteractionType
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
from service.schema.types.interaction import Interaction
from service.usecases.interactions import InteractionEdit, delete_interaction, record_interaction, update_interaction


@strawberry.input
class InteractionRecordInput:
    account: strawberry.ID
    at: datetime = strawberry.field(description="With a time zone offset.")
    type: InteractionType
    stakeholders: list[strawberry.ID] = strawberry.field(description="At least one, all of `account`.")
    team_member: strawberry.ID | None = None
    summary: str | None = None
    next_step: str | None = None
    external_id: ExternalIdInput | None = None


@strawberry.input
class InteractionDeleteInput:
    id: strawberry.ID


@strawberry.type
class InteractionRecordPayload:
    interaction: Interaction | None
    user_errors: list[UserError]


@strawberry.input(description="Fields left out keep their value; an explicit null clears summary and nextStep.")
class InteractionUpdateInput:
    id: strawberry.ID
    at: datetime | None = strawberry.field(default=strawberry.UNSET, description="With a time zone offset.")
    type: InteractionType | None = strawberry.UNSET
    stakeholders: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Everyone met: at least one, all of the interaction's account."
    )
    team_member: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Who of our team was there; null: nobody recorded."
    )
    summary: str | None = strawberry.UNSET
    next_step: str | None = strawberry.UNSET


@strawberry.type
class InteractionUpdatePayload:
    interaction: Interaction | None
    user_errors: list[UserError]


@strawberry.type
class InteractionDeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def interaction_record(info: strawberry.Info[Context], input: InteractionRecordInput) -> InteractionRecordPayload:
    account = id_arg(input.account, "Account", "account")
    member = optional_id_arg(input.team_member, "TeamMember", "teamMember")
    met = [id_arg(given, "Stakeholder", "stakeholders", str(n)) for n, given in enumerate(input.stakeholders)]
    values = {"at": input.at, "type": input.type, "summary": input.summary, "nextStep": input.next_step}
    ctx = info.context
    ref = external_ref(input.external_id)
    found, errors = await perform(
        ctx, record_interaction(ctx.services, ctx.principal, account, member, met, values, ref)
    )
    return InteractionRecordPayload(
        interaction=None if found is None else Interaction.from_domain(found), user_errors=errors
    )


async def interaction_delete(info: strawberry.Info[Context], input: InteractionDeleteInput) -> InteractionDeletePayload:
    ctx = info.context
    target = id_arg(input.id, "Interaction", "id")
    deleted, errors = await perform(ctx, delete_interaction(ctx.services, ctx.principal, target))
    return InteractionDeletePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id("Interaction", deleted)), user_errors=errors
    )


INTERACTION_FIELDS = {"at": "at", "type": "type", "summary": "summary", "next_step": "nextStep"}


async def interaction_update(info: strawberry.Info[Context], input: InteractionUpdateInput) -> InteractionUpdatePayload:
    team_member = None
    if input.team_member is not strawberry.UNSET:
        team_member = (optional_id_arg(input.team_member, "TeamMember", "teamMember"),)
    met = None
    if input.stakeholders is not strawberry.UNSET:
        met = [id_arg(given, "Stakeholder", "stakeholders", str(n)) for n, given in enumerate(input.stakeholders or [])]
    edit = InteractionEdit(
        interaction=id_arg(input.id, "Interaction", "id"),
        values=given_fields(input, INTERACTION_FIELDS),
        team_member=team_member,
        met=met,
    )
    ctx = info.context
    found, errors = await perform(ctx, update_interaction(ctx.services, ctx.principal, edit))
    return InteractionUpdatePayload(
        interaction=None if found is None else Interaction.from_domain(found), user_errors=errors
    )
