"""Political circles (factions) and their memberships."""

from __future__ import annotations

import strawberry

from service.rules import models
from service.schema.context import Context
from service.schema.ids import encode_id
from service.schema.preloaded import Later
from service.schema.types.common import Node
from service.schema.types.links import load_stakeholder
from service.schema.types.stakeholder import Stakeholder


@strawberry.type
class CircleMember:
    stakeholder_id: strawberry.Private[str]
    core: bool

    @strawberry.field
    async def stakeholder(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.stakeholder_id)


@strawberry.type
class PoliticalCircle(Node):
    raw_id: strawberry.Private[str]
    name: str
    color: str | None
    business_value: str | None
    track_record: str | None
    partisans_and_allies: str | None
    philosophy_and_policy: str | None

    @classmethod
    def from_domain(cls, c: models.Circle) -> PoliticalCircle:
        return cls(
            id=strawberry.ID(encode_id("PoliticalCircle", c.id)),
            raw_id=c.id,
            name=c.name,
            color=c.color,
            business_value=c.business_value,
            track_record=c.track_record,
            partisans_and_allies=c.partisans_and_allies,
            philosophy_and_policy=c.philosophy_and_policy,
        )

    @strawberry.field
    async def members(self, info: strawberry.Info[Context]) -> list[CircleMember]:
        found = await info.context.loaders.circle_members.load(self.raw_id)
        return [CircleMember(stakeholder_id=m.stakeholder_id, core=m.core) for m in found]

    @strawberry.field
    async def rivals(self, info: strawberry.Info[Context]) -> list[PoliticalCircle]:
        return [PoliticalCircle.from_domain(c) for c in await info.context.loaders.circle_rivals.load(self.raw_id)]

    @strawberry.field
    async def allies(self, info: strawberry.Info[Context]) -> list[PoliticalCircle]:
        return [PoliticalCircle.from_domain(c) for c in await info.context.loaders.circle_allies.load(self.raw_id)]


async def load_circle(info: strawberry.Info[Context], raw_id: str) -> PoliticalCircle:
    found = await info.context.loaders.circle.load(raw_id)
    assert found is not None, "memberships only join stored circles"
    return PoliticalCircle.from_domain(found)


@strawberry.type
class CircleMembership:
    circle_id: strawberry.Private[str]
    core: bool
    circle: PoliticalCircle | Later[PoliticalCircle] = strawberry.field(graphql_type=PoliticalCircle)

    @classmethod
    def loading(cls, info: strawberry.Info[Context], m: models.CircleMembership) -> CircleMembership:
        """The membership, its circle loaded when asked for."""
        return cls(circle_id=m.circle_id, core=m.core, circle=Later(lambda: load_circle(info, m.circle_id)))
