"""Our side: team members, and who covers whom."""

from __future__ import annotations

from datetime import datetime

import strawberry

from service.rules import models
from service.schema.context import Context
from service.schema.enums import RelationshipType, TeamRole
from service.schema.ids import encode_id
from service.schema.preloaded import Later
from service.schema.types.common import ExternalId, Node
from service.schema.types.links import later_stakeholder
from service.schema.types.stakeholder import Stakeholder


@strawberry.type
class TeamMember(Node):
    raw_id: strawberry.Private[str]
    name: str
    role: TeamRole
    email: str | None

    @classmethod
    def from_domain(cls, t: models.TeamMember) -> TeamMember:
        return cls(
            id=strawberry.ID(encode_id("TeamMember", t.id)),
            raw_id=t.id,
            name=t.name,
            role=t.role,
            email=t.email,
        )

    @strawberry.field
    async def external_ids(self, info: strawberry.Info[Context]) -> list[ExternalId]:
        found = await info.context.loaders.team_member_external_ids.load(self.raw_id)
        return [ExternalId.from_domain(e) for e in found]

    @strawberry.field
    async def covers(self, info: strawberry.Info[Context]) -> list[Coverage]:
        found = await info.context.loaders.coverage_by_team_member.load(self.raw_id)
        return [Coverage.loading(info, c) for c in found]


async def load_team_member(info: strawberry.Info[Context], raw_id: str) -> TeamMember:
    found = await info.context.loaders.team_member.load(raw_id)
    assert found is not None, "coverage only joins stored team members"
    return TeamMember.from_domain(found)


@strawberry.type
class Coverage:
    team_member_id: strawberry.Private[str]
    stakeholder_id: strawberry.Private[str]
    relationship_step: int | None
    relationship_type: RelationshipType | None
    last_contact_at: datetime | None
    team_member: TeamMember | Later[TeamMember] = strawberry.field(graphql_type=TeamMember)
    stakeholder: Stakeholder | Later[Stakeholder] = strawberry.field(graphql_type=Stakeholder)

    @classmethod
    def from_domain(
        cls,
        c: models.Coverage,
        team_member: TeamMember | Later[TeamMember],
        stakeholder: Stakeholder | Later[Stakeholder],
    ) -> Coverage:
        return cls(
            team_member_id=c.team_member_id,
            stakeholder_id=c.stakeholder_id,
            relationship_step=c.relationship_step,
            relationship_type=c.relationship_type,
            last_contact_at=c.last_contact_at,
            team_member=team_member,
            stakeholder=stakeholder,
        )

    @classmethod
    def loading(cls, info: strawberry.Info[Context], c: models.Coverage) -> Coverage:
        """The coverage, its ends loaded when asked for."""
        member = Later(lambda: load_team_member(info, c.team_member_id))
        return cls.from_domain(c, member, later_stakeholder(info, c.stakeholder_id))
