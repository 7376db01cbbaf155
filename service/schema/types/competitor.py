"""Competitors (the workspace's), their reps, the reps' contacts with stakeholders, and favours."""

from __future__ import annotations

import strawberry

from service.graph.deal_reads import competitor_count
from service.rules import deals
from service.rules.paging import Page, SortKey
from service.schema.context import Context
from service.schema.ids import encode_id
from service.schema.pagination import encode_cursor
from service.schema.types.bounded import DEFAULT_FIRST, First, first_of
from service.schema.types.common import ExternalId, Node, PageInfo
from service.schema.types.links import load_stakeholder
from service.schema.types.stakeholder import Stakeholder


@strawberry.type(description="A competing supplier; competitors belong to the workspace, not to one account.")
class Competitor(Node):
    raw_id: strawberry.Private[str]
    name: str
    origin: str | None = strawberry.field(description="Where it comes from, e.g. 国外公司 or 国内同行.")

    @classmethod
    def from_domain(cls, c: deals.Competitor) -> Competitor:
        return cls(id=strawberry.ID(encode_id("Competitor", c.id)), raw_id=c.id, name=c.name, origin=c.origin)

    @strawberry.field
    async def external_ids(self, info: strawberry.Info[Context]) -> list[ExternalId]:
        return [ExternalId.from_domain(e) for e in await info.context.loaders.competitor_external_ids.load(self.raw_id)]

    @strawberry.field(description="Its reps by name: the first `first`; `repCount` counts them all.")
    async def reps(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[CompetitorRep]:
        found = await info.context.loaders.reps_of_competitor.load(self.raw_id)
        return [CompetitorRep.from_domain(r) for r in first_of(found.items, first)]

    @strawberry.field
    async def rep_count(self, info: strawberry.Info[Context]) -> int:
        return (await info.context.loaders.reps_of_competitor.load(self.raw_id)).total


async def load_competitor(info: strawberry.Info[Context], raw_id: str) -> Competitor:
    found = await info.context.loaders.competitor.load(raw_id)
    assert found is not None, "only stored competitors are named"
    return Competitor.from_domain(found)


@strawberry.type(description="A competitor's salesperson.")
class CompetitorRep(Node):
    raw_id: strawberry.Private[str]
    competitor_id: strawberry.Private[str]
    name: str

    @classmethod
    def from_domain(cls, r: deals.CompetitorRep) -> CompetitorRep:
        return cls(
            id=strawberry.ID(encode_id("CompetitorRep", r.id)), raw_id=r.id, competitor_id=r.competitor, name=r.name
        )

    @strawberry.field
    async def competitor(self, info: strawberry.Info[Context]) -> Competitor:
        return await load_competitor(info, self.competitor_id)

    @strawberry.field
    async def external_ids(self, info: strawberry.Info[Context]) -> list[ExternalId]:
        return [ExternalId.from_domain(e) for e in await info.context.loaders.rep_external_ids.load(self.raw_id)]

    @strawberry.field(
        description="Whom the rep works on, by the stakeholder's name: the first `first`; `contactCount` counts them all."
    )
    async def contacts(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[RepContact]:
        found = await info.context.loaders.contacts_of_rep.load(self.raw_id)
        return [RepContact.from_domain(c, rep=self) for c in first_of(found.items, first)]

    @strawberry.field
    async def contact_count(self, info: strawberry.Info[Context]) -> int:
        return (await info.context.loaders.contacts_of_rep.load(self.raw_id)).total


@strawberry.type(
    description="A competitor's rep working a stakeholder: how often, how long, how, on what, how strongly."
)
class RepContact:
    rep_id: strawberry.Private[str]
    stakeholder_id: strawberry.Private[str]
    known_rep: strawberry.Private[CompetitorRep | None]
    visits_per_month: float | None
    typical_minutes: int | None
    form: str | None = strawberry.field(description="How the rep builds the relation, e.g. 商务宴请.")
    topics: list[str]
    strength: int | None = strawberry.field(description="1..5; unrated counts as 1.")

    @classmethod
    def from_domain(cls, c: deals.RepContact, rep: CompetitorRep | None = None) -> RepContact:
        return cls(
            rep_id=c.rep,
            stakeholder_id=c.stakeholder,
            known_rep=rep,
            visits_per_month=c.visits_per_month,
            typical_minutes=c.typical_minutes,
            form=c.form,
            topics=list(c.topics),
            strength=c.strength,
        )

    @strawberry.field
    async def rep(self, info: strawberry.Info[Context]) -> CompetitorRep:
        if self.known_rep is not None:
            return self.known_rep
        found = await info.context.loaders.competitor_rep.load(self.rep_id)
        assert found is not None, "contacts join stored reps"
        return CompetitorRep.from_domain(found)

    @strawberry.field
    async def stakeholder(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.stakeholder_id)


@strawberry.type(description="A stakeholder favours a competitor.")
class Favour:
    stakeholder_id: strawberry.Private[str]
    competitor_id: strawberry.Private[str]
    known_competitor: strawberry.Private[Competitor | None]
    note: str | None

    @classmethod
    def from_domain(cls, f: deals.Favour, competitor: Competitor | None = None) -> Favour:
        return cls(stakeholder_id=f.stakeholder, competitor_id=f.competitor, known_competitor=competitor, note=f.note)

    @strawberry.field
    async def stakeholder(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.stakeholder_id)

    @strawberry.field
    async def competitor(self, info: strawberry.Info[Context]) -> Competitor:
        if self.known_competitor is not None:
            return self.known_competitor
        return await load_competitor(info, self.competitor_id)


@strawberry.type
class CompetitorEdge:
    cursor: str
    node: Competitor


@strawberry.type
class CompetitorConnection:
    page: strawberry.Private[Page[deals.Competitor]]
    search: strawberry.Private[str | None]

    @strawberry.field
    def edges(self) -> list[CompetitorEdge]:
        return [
            CompetitorEdge(cursor=encode_cursor(SortKey(c.name, c.id)), node=Competitor.from_domain(c))
            for c in self.page.items
        ]

    @strawberry.field
    def nodes(self) -> list[Competitor]:
        return [Competitor.from_domain(c) for c in self.page.items]

    @strawberry.field
    def page_info(self) -> PageInfo:
        return PageInfo.of(self.page)

    @strawberry.field(description="All competitors matching `search`, across pages.")
    async def total_count(self, info: strawberry.Info[Context]) -> int:
        return await info.context.db.read(competitor_count, info.context.workspace_id, self.search)
