"""Root query fields."""

from __future__ import annotations

import strawberry

from service.graph import deal_reads, pages, reads
from service.schema.access import type_reading
from service.schema.context import Context
from service.schema.errors import ClientError
from service.schema.ids import decode_id, raw_id_of
from service.schema.neighbourhood import stakeholder_with_surroundings
from service.schema.pagination import page_request
from service.schema.types.account import Account, AccountConnection, account_with_people
from service.schema.types.circle import PoliticalCircle
from service.schema.types.common import Node
from service.schema.types.competitor import Competitor, CompetitorConnection, CompetitorRep
from service.schema.types.interaction import Interaction
from service.schema.types.links import InfluenceLink, Tie
from service.schema.types.opportunity import Opportunity
from service.schema.types.stakeholder import Stakeholder
from service.schema.types.team import TeamMember
from service.usecases.reading import may_read


async def resolve_node(info: strawberry.Info[Context], global_id: str) -> Node | None:
    decoded = decode_id(global_id)
    if decoded is None:
        return None
    type_name, raw = decoded
    refuse_node_type(info.context, type_name)
    loaders = info.context.loaders
    if type_name == "Account":
        return await account_with_people(info, raw)
    if type_name == "Stakeholder":
        return await stakeholder_with_surroundings(info, raw)
    if type_name == "PoliticalCircle":
        circle = await loaders.circle.load(raw)
        return None if circle is None else PoliticalCircle.from_domain(circle)
    if type_name == "TeamMember":
        member = await loaders.team_member.load(raw)
        return None if member is None else TeamMember.from_domain(member)
    if type_name == "InfluenceLink":
        link = await loaders.influence.load(raw)
        return None if link is None else InfluenceLink.loading(info, link)
    if type_name == "Interaction":
        interaction = await loaders.interaction.load(raw)
        return None if interaction is None else Interaction.from_domain(interaction)
    if type_name == "Tie":
        tie = await loaders.tie.load(raw)
        return None if tie is None else Tie.loading(info, tie)
    return await _resolve_deal_node(info, type_name, raw)


async def _resolve_deal_node(info: strawberry.Info[Context], type_name: str, raw: str) -> Node | None:
    loaders = info.context.loaders
    if type_name == "Opportunity":
        opportunity = await loaders.opportunity.load(raw)
        return None if opportunity is None else Opportunity.from_record(opportunity)
    if type_name == "Competitor":
        competitor = await loaders.competitor.load(raw)
        return None if competitor is None else Competitor.from_domain(competitor)
    if type_name == "CompetitorRep":
        rep = await loaders.competitor_rep.load(raw)
        return None if rep is None else CompetitorRep.from_domain(rep)
    return None


def refuse_node_type(ctx: Context, type_name: str) -> None:
    """FORBIDDEN for an id of a type the caller may not read, decided by the id alone (before any lookup,
    so it tells nothing about whether such an object exists)."""
    reading = type_reading(type_name)
    if not may_read(ctx.principal, reading):
        raise ClientError(
            f"the {ctx.principal.role.value} role may not read a {type_name} "
            f"(this needs the {reading.value.value!r} permission).",
            code="FORBIDDEN",
            field="id",
        )


@strawberry.type
class Query:
    @strawberry.field
    async def node(self, info: strawberry.Info[Context], id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field
    async def account(self, info: strawberry.Info[Context], id: strawberry.ID) -> Account | None:
        raw = raw_id_of(id, "Account")
        return None if raw is None else await account_with_people(info, raw)

    @strawberry.field
    async def account_by_external_id(self, info: strawberry.Info[Context], source: str, id: str) -> Account | None:
        ctx = info.context
        found = await ctx.db.read(reads.account_by_external_id, ctx.workspace_id, source, id)
        return None if found is None else Account.from_domain(found)

    @strawberry.field(description="Accounts by name, at most 100 a page; `search` matches part of the name.")
    async def accounts(
        self,
        info: strawberry.Info[Context],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
    ) -> AccountConnection:
        request = page_request(first, after, last, before)
        ctx = info.context
        page = await ctx.db.read(pages.account_page, ctx.workspace_id, search or None, request)
        for account in page.items:
            ctx.loaders.account.prime(account.id, account)
        return AccountConnection(page=page, search=search or None)

    @strawberry.field(
        description="The workspace's competitors by name, at most 100 a page; `search` matches part of the name."
    )
    async def competitors(
        self,
        info: strawberry.Info[Context],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
    ) -> CompetitorConnection:
        request = page_request(first, after, last, before)
        ctx = info.context
        page = await ctx.db.read(deal_reads.competitor_page, ctx.workspace_id, search or None, request)
        for competitor in page.items:
            ctx.loaders.competitor.prime(competitor.id, competitor)
        return CompetitorConnection(page=page, search=search or None)

    @strawberry.field
    async def stakeholder(self, info: strawberry.Info[Context], id: strawberry.ID) -> Stakeholder | None:
        raw = raw_id_of(id, "Stakeholder")
        return None if raw is None else await stakeholder_with_surroundings(info, raw)
