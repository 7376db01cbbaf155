"""coverageSet and coverageRemove: which team member covers which stakeholder, how closely."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.enums import RelationshipType
from service.schema.errors import UserError
from service.schema.mutations.support import id_arg, perform
from service.schema.types.links import load_stakeholder
from service.schema.types.stakeholder import Stakeholder
from service.schema.types.team import Coverage, TeamMember, load_team_member
from service.usecases.team import remove_coverage, set_coverage


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


async def coverage_set(info: strawberry.Info[Context], input: CoverageSetInput) -> CoverageSetPayload:
    member = id_arg(input.team_member, "TeamMember", "teamMember")
    person = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    values = {"relationshipStep": input.relationship_step, "relationshipType": input.relationship_type}
    ctx = info.context
    coverage, errors = await perform(ctx, set_coverage(ctx.services, ctx.principal, member, person, values))
    return CoverageSetPayload(
        coverage=None if coverage is None else Coverage.loading(info, coverage), user_errors=errors
    )


async def coverage_remove(info: strawberry.Info[Context], input: CoverageRemoveInput) -> CoverageRemovePayload:
    member = id_arg(input.team_member, "TeamMember", "teamMember")
    person = id_arg(input.stakeholder, "Stakeholder", "stakeholder")
    ctx = info.context
    ids, errors = await perform(ctx, remove_coverage(ctx.services, ctx.principal, member, person))
    if ids is None:
        return CoverageRemovePayload(team_member=None, stakeholder=None, user_errors=errors)
    return CoverageRemovePayload(
        team_member=await load_team_member(info, ids[0]),
        stakeholder=await load_stakeholder(info, ids[1]),
        user_errors=errors,
    )
