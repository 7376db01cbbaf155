"""teamMemberCreate and teamMemberUpdate: people on our side, who belong to the workspace."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.enums import TeamRole
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
from service.schema.types.team import TeamMember
from service.usecases.team import create_team_member, delete_team_member, update_team_member

TEAM_MEMBER_FIELDS = {"name": "name", "role": "role", "email": "email"}


@strawberry.input
class TeamMemberCreateInput:
    name: str
    role: TeamRole
    email: str | None = None
    external_id: ExternalIdInput | None = None
    account: strawberry.ID | None = strawberry.field(default=None, description="An account to assign them to.")


@strawberry.input(description="Fields left out keep their value; an explicit null clears them (never the role).")
class TeamMemberUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    role: TeamRole | None = strawberry.UNSET
    email: str | None = strawberry.UNSET


@strawberry.type
class TeamMemberCreatePayload:
    team_member: TeamMember | None
    user_errors: list[UserError]


@strawberry.type
class TeamMemberUpdatePayload:
    team_member: TeamMember | None
    user_errors: list[UserError]


async def team_member_create(info: strawberry.Info[Context], input: TeamMemberCreateInput) -> TeamMemberCreatePayload:
    values = given_fields(input, TEAM_MEMBER_FIELDS)
    account = optional_id_arg(input.account, "Account", "account")
    ctx = info.context
    ref = external_ref(input.external_id)
    member, errors = await perform(ctx, create_team_member(ctx.services, ctx.principal, values, ref, account))
    return TeamMemberCreatePayload(
        team_member=None if member is None else TeamMember.from_domain(member), user_errors=errors
    )


async def team_member_update(info: strawberry.Info[Context], input: TeamMemberUpdateInput) -> TeamMemberUpdatePayload:
    target = id_arg(input.id, "TeamMember", "id")
    ctx = info.context
    values = given_fields(input, TEAM_MEMBER_FIELDS)
    member, errors = await perform(ctx, update_team_member(ctx.services, ctx.principal, target, values))
    return TeamMemberUpdatePayload(
        team_member=None if member is None else TeamMember.from_domain(member), user_errors=errors
    )


@strawberry.input
class TeamMemberDeleteInput:
    id: strawberry.ID


@strawberry.type
class TeamMemberDeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def team_member_delete(info: strawberry.Info[Context], input: TeamMemberDeleteInput) -> TeamMemberDeletePayload:
    ctx = info.context
    target = id_arg(input.id, "TeamMember", "id")
    deleted, errors = await perform(ctx, delete_team_member(ctx.services, ctx.principal, target))
    return TeamMemberDeletePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id("TeamMember", deleted)), user_errors=errors
    )
