"""teamMemberCreate and teamMemberUpdate: people on our side, who belong to the workspace."""

from __future__ import annotations

from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph import records
from service.graph.entity_writes import team
from service.graph.entity_writes.lookup import lock_and_read
from service.rules import models
from service.rules.entity_changes.diff import created, new_values, updated
from service.rules.entity_changes.fields import external_id_problems, team_member_problems
from service.rules.entity_changes.refs import IdArg, unknown
from service.rules.entity_changes.rejected import reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.enums import TeamRole
from service.schema.errors import UserError
from service.schema.mutations.support import (
    Call,
    ExternalIdInput,
    external_ref,
    given_fields,
    id_arg,
    new_id,
    optional_id_arg,
    run_write,
)
from service.schema.types.team import TeamMember

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


async def create(
    tx: Tx, call: Call, values: dict[str, Any], ref: tuple[str, str] | None, account: IdArg | None
) -> models.TeamMember:
    refs = await lock_and_read(tx, call.ws, [account])
    problems = [*team_member_problems(values), *unknown([account], refs)]
    if ref is not None:
        ref_problems = external_id_problems(*ref)
        if not ref_problems and not await team.claim_team_member_ref(tx, call.ws, *ref):
            message = f"a team member with id {ref[1]!r} of source {ref[0]!r} already exists."
            ref_problems = [Problem(("externalId",), message, ErrorCode.CONFLICT)]
        problems += ref_problems
    reject_if(problems)
    props, _ = created(values)
    member = await team.create_team_member(tx, call.ws, new_id(), props, ref, call.now)
    if account is not None and account.raw is not None:
        await team.assign(tx, call.ws, member.id, account.raw, call.now)
    return member


async def update(tx: Tx, call: Call, member: IdArg, values: dict[str, Any]) -> models.TeamMember:
    refs = await lock_and_read(tx, call.ws, [member])
    reject_if([*unknown([member], refs), *team_member_problems(values)])
    found = refs.get(member)
    assert found is not None
    changed = updated(found.props, values)
    if not changed:
        return records.team_member_from(found.props)
    return await team.update_team_member(tx, call.ws, found.id, new_values(changed), call.now)


async def team_member_create(info: strawberry.Info[Context], input: TeamMemberCreateInput) -> TeamMemberCreatePayload:
    values = given_fields(input, TEAM_MEMBER_FIELDS)
    account = optional_id_arg(input.account, "Account", "account")
    member, errors = await run_write(info.context, create, values, external_ref(input.external_id), account)
    return TeamMemberCreatePayload(
        team_member=None if member is None else TeamMember.from_domain(member), user_errors=errors
    )


async def team_member_update(info: strawberry.Info[Context], input: TeamMemberUpdateInput) -> TeamMemberUpdatePayload:
    target = id_arg(input.id, "TeamMember", "id")
    member, errors = await run_write(info.context, update, target, given_fields(input, TEAM_MEMBER_FIELDS))
    return TeamMemberUpdatePayload(
        team_member=None if member is None else TeamMember.from_domain(member), user_errors=errors
    )
