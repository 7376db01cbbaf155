"""teamMemberAssign and teamMemberUnassign: who is on an account's team (ASSIGNED_TO)."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import id_arg, perform
from service.schema.types.account import Account
from service.schema.types.team import TeamMember, load_team_member
from service.usecases.team import set_assigned


@strawberry.input
class TeamMemberAssignInput:
    team_member: strawberry.ID
    account: strawberry.ID


@strawberry.input
class TeamMemberUnassignInput:
    team_member: strawberry.ID
    account: strawberry.ID


@strawberry.type
class TeamMemberAssignPayload:
    team_member: TeamMember | None
    account: Account | None
    user_errors: list[UserError]


@strawberry.type
class TeamMemberUnassignPayload:
    team_member: TeamMember | None
    account: Account | None
    user_errors: list[UserError]


async def _both(
    info: strawberry.Info[Context], ids: tuple[str, str] | None
) -> tuple[TeamMember | None, Account | None]:
    if ids is None:
        return None, None
    account = await info.context.loaders.account.load(ids[1])
    assert account is not None
    return await load_team_member(info, ids[0]), Account.from_domain(account)


async def team_member_assign(info: strawberry.Info[Context], input: TeamMemberAssignInput) -> TeamMemberAssignPayload:
    member = id_arg(input.team_member, "TeamMember", "teamMember")
    account = id_arg(input.account, "Account", "account")
    ctx = info.context
    ids, errors = await perform(ctx, set_assigned(ctx.services, ctx.principal, member, account, True))
    found_member, found_account = await _both(info, ids)
    return TeamMemberAssignPayload(team_member=found_member, account=found_account, user_errors=errors)


async def team_member_unassign(
    info: strawberry.Info[Context], input: TeamMemberUnassignInput
) -> TeamMemberUnassignPayload:
    member = id_arg(input.team_member, "TeamMember", "teamMember")
    account = id_arg(input.account, "Account", "account")
    ctx = info.context
    ids, errors = await perform(ctx, set_assigned(ctx.services, ctx.principal, member, account, False))
    found_member, found_account = await _both(info, ids)
    return TeamMemberUnassignPayload(team_member=found_member, account=found_account, user_errors=errors)
