"""teamMemberAssign and teamMemberUnassign: who is on an account's team (ASSIGNED_TO)."""

from __future__ import annotations

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph.entity_writes import team
from service.graph.entity_writes.lookup import lock_and_read
from service.rules.entity_changes.refs import IdArg, known, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import Call, id_arg, run_write
from service.schema.types.account import Account
from service.schema.types.team import TeamMember, load_team_member


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


async def set_assigned(tx: Tx, call: Call, member: IdArg, account: IdArg, assigned: bool) -> tuple[str, str]:
    refs = await lock_and_read(tx, call.ws, [member, account])
    reject_if(unknown([member, account], refs))
    member_id, account_id = known(member), known(account)
    if assigned:
        await team.assign(tx, call.ws, member_id, account_id, call.now)
    elif await team.is_assigned(tx, call.ws, member_id, account_id):
        await team.unassign(tx, call.ws, member_id, account_id)
    else:
        message = "the team member is not assigned to this account."
        raise Rejected([Problem(("account",), message, ErrorCode.NOT_FOUND)])
    return member_id, account_id


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
    ids, errors = await run_write(info.context, set_assigned, member, account, True)
    found_member, found_account = await _both(info, ids)
    return TeamMemberAssignPayload(team_member=found_member, account=found_account, user_errors=errors)


async def team_member_unassign(
    info: strawberry.Info[Context], input: TeamMemberUnassignInput
) -> TeamMemberUnassignPayload:
    member = id_arg(input.team_member, "TeamMember", "teamMember")
    account = id_arg(input.account, "Account", "account")
    ids, errors = await run_write(info.context, set_assigned, member, account, False)
    found_member, found_account = await _both(info, ids)
    return TeamMemberUnassignPayload(team_member=found_member, account=found_account, user_errors=errors)
