"""coverageSet and coverageRemove: which team member covers which stakeholder, how closely."""

from __future__ import annotations

from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph.entity_writes import team
from service.graph.entity_writes.lookup import lock_and_read
from service.graph.history import record_changes
from service.rules import models
from service.rules.entity_changes.diff import created, history, new_values, removal, updated
from service.rules.entity_changes.fields import coverage_problems
from service.rules.entity_changes.props import coverage_id, coverage_props
from service.rules.entity_changes.refs import IdArg, known, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.enums import RelationshipType
from service.schema.errors import UserError
from service.schema.mutations.support import Call, id_arg, run_write
from service.schema.types.links import load_stakeholder
from service.schema.types.stakeholder import Stakeholder
from service.schema.types.team import Coverage, TeamMember, load_team_member

ENTITY = "Coverage"


@strawberry.input(description="The coverage becomes exactly this; a relationshipType left out is cleared.")
class CoverageSetInput:
    team_member: strawberry.ID
    stakeholder: strawberry.ID
    relationship_step: int = strawberry.field(description="1 greeting, 2 facts, 3 shared views, 4 interests, 5 values.")
    relationship_type: RelationshipType | None = None


@strawberry.input
class CoverageRemoveInput:
    team_member: strawberry.ID
    stakeholder: strawberry.ID


@strawberry.type
class CoverageSetPayload:
    coverage: Coverage | None
    user_errors: list[UserError]


@strawberry.type
class CoverageRemovePayload:
    team_member: TeamMember | None
    stakeholder: Stakeholder | None
    user_errors: list[UserError]


async def set_coverage(tx: Tx, call: Call, member: IdArg, person: IdArg, values: dict[str, Any]) -> models.Coverage:
    refs = await lock_and_read(tx, call.ws, [member, person])
    reject_if([*unknown([member, person], refs), *coverage_problems(values["relationshipStep"])])
    member_id, person_id = known(member), known(person)
    existing = await team.coverage(tx, call.ws, member_id, person_id)
    if existing is None:
        props, changed = created(values)
    else:
        changed = updated(coverage_props(existing), values)
        props = new_values(changed)
        if not changed:
            return existing
    stored = await team.set_coverage(tx, call.ws, member_id, person_id, props, call.now)
    rows = history(ENTITY, coverage_id(member_id, person_id), changed, [person_id])
    await record_changes(tx, call.ws, rows, call.now, call.actor)
    return stored


async def remove_coverage(tx: Tx, call: Call, member: IdArg, person: IdArg) -> tuple[str, str]:
    refs = await lock_and_read(tx, call.ws, [member, person])
    reject_if(unknown([member, person], refs))
    member_id, person_id = known(member), known(person)
    existing = await team.coverage(tx, call.ws, member_id, person_id)
    if existing is None:
        message = "the team member does not cover this stakeholder."
        raise Rejected([Problem(("stakeholder",), message, ErrorCode.NOT_FOUND)])
    await team.remove_coverage(tx, call.ws, member_id, person_id)
    rows = removal(ENTITY, coverage_id(member_id, person_id), coverage_props(existing), [person_id])
    await record_changes(tx, call.ws, rows, call.now, call.actor)
    return member_id, person_id


async def coverage_set(info: strawberry.Info[Context], input: CoverageSetInput) -> CoverageSetPayload:
    member = id_arg(input.team_member, "TeamMember", "teamMember")
    person = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    values = {"relationshipStep": input.relationship_step, "relationshipType": input.relationship_type}
    coverage, errors = await run_write(info.context, set_coverage, member, person, values)
    return CoverageSetPayload(coverage=None if coverage is None else Coverage.from_domain(coverage), user_errors=errors)


async def coverage_remove(info: strawberry.Info[Context], input: CoverageRemoveInput) -> CoverageRemovePayload:
    member = id_arg(input.team_member, "TeamMember", "teamMember")
    person = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ids, errors = await run_write(info.context, remove_coverage, member, person)
    if ids is None:
        return CoverageRemovePayload(team_member=None, stakeholder=None, user_errors=errors)
    return CoverageRemovePayload(
        team_member=await load_team_member(info, ids[0]),
        stakeholder=await load_stakeholder(info, ids[1]),
        user_errors=errors,
    )
