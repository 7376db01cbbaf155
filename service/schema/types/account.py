"""Account: one customer organisation and its relationship map."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types.nodes import SelectedField

from service.graph.as_of import HistoryTooLong, MapReads, account_coverage, map_reads, stakeholders_matching
from service.graph.export import account_document
from service.graph.history import account_changes
from service.graph.neighbourhood import Around
from service.graph.pages import StakeholderFilter, account_count
from service.rules import models
from service.rules.analytics import cadence_days
from service.rules.paging import Page, PageRequest, SortKey, page_in_memory
from service.schema.context import Context
from service.schema.document_json import document_json
from service.schema.enums import AccountTier, BuyingRole, PortfolioClass, RelationshipStage, Stance
from service.schema.errors import ClientError
from service.schema.ids import encode_id
from service.schema.neighbourhood import people_around, stakeholder_selection
from service.schema.pagination import bounded_first, decode_history_cursor, encode_cursor, page_request
from service.schema.preloaded import Later
from service.schema.selection import around_of, paths_below, subfields
from service.schema.types.account_analytics import AsOf
from service.schema.types.account_analytics_v2 import AccountAnalyticsV2
from service.schema.types.circle import PoliticalCircle
from service.schema.types.common import ExternalId, Node, PageInfo
from service.schema.types.history import MapDiff
from service.schema.types.links import InfluenceLink, Tie
from service.schema.types.opportunity import OpportunityConnection
from service.schema.types.stakeholder import Change, Stakeholder, StakeholderConnection
from service.schema.types.team import Coverage, TeamMember, load_team_member
from service.usecases.analytics import account_diff

if TYPE_CHECKING:
    from service.schema.types.interaction import Interaction


InteractionRef = Annotated["Interaction", strawberry.lazy("service.schema.types.interaction")]
DEFAULT_INTERACTIONS = 50


@strawberry.type
class Account(AccountAnalyticsV2, Node):
    name: str
    industry: str | None
    tier: AccountTier | None
    portfolio_class: PortfolioClass | None
    relationship_stage: RelationshipStage | None
    updated_at: datetime | None

    @classmethod
    def from_domain(cls, a: models.Account) -> Account:
        return cls(
            id=strawberry.ID(encode_id("Account", a.id)),
            raw_id=a.id,
            name=a.name,
            industry=a.industry,
            tier=a.tier,
            portfolio_class=a.portfolio_class,
            relationship_stage=a.relationship_stage,
            updated_at=a.updated_at,
        )

    @strawberry.field(
        description="Days between visits: by tier (A 15, B 30, C 60, none 60), at most 30 for VOLCANO, at least "
        "60 for DOG accounts (DOMAIN.md rule 14)."
    )
    def cadence_days(self) -> int:
        return cadence_days(self.tier, self.portfolio_class)

    @strawberry.field
    async def external_ids(self, info: strawberry.Info[Context]) -> list[ExternalId]:
        found = await info.context.loaders.account_external_ids.load(self.raw_id)
        return [ExternalId.from_domain(e) for e in found]

    @strawberry.field(description="The account's stakeholders by name; archived ones only when asked for.")
    async def stakeholders(
        self,
        info: strawberry.Info[Context],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
        stance: list[Stance] | None = None,
        role: list[BuyingRole] | None = None,
        include_archived: bool | None = False,
        as_of: AsOf = None,
    ) -> StakeholderConnection:
        filter_, request = stakeholder_page_of(first, after, last, before, search, stance, role, include_archived)
        ctx = info.context
        if as_of is not None:
            found = stakeholders_matching(await self._past(info, as_of), filter_)
            page = page_in_memory(found, lambda s: SortKey(s.name, s.id), request)
            people = [Stakeholder.from_domain(s) for s in page.items]
            return StakeholderConnection(
                page=page, people=people, account_id=self.raw_id, filter_key=filter_, known_total=len(found)
            )
        around = stakeholder_selection(info, *PAGE_PATHS)
        page, hood = await ctx.loaders.stakeholder_page.load((self.raw_id, filter_, request, around))
        for s in page.items:
            ctx.loaders.stakeholder.prime(s.id, s)
        people = people_around(info, page.items, hood)
        return StakeholderConnection(page=page, people=people, account_id=self.raw_id, filter_key=filter_)

    @strawberry.field
    async def decision_makers(self, info: strawberry.Info[Context]) -> list[Stakeholder]:
        return [Stakeholder.from_domain(s) for s in await info.context.loaders.decision_makers.load(self.raw_id)]

    async def _past(self, info: strawberry.Info[Context], as_of: datetime) -> MapReads:
        """The account's reads as of `as_of` (DOMAIN.md rule 18), from the snapshot its analytics share."""
        try:
            graph = await info.context.loaders.account_graph_as_of.load((self.raw_id, as_of))
        except HistoryTooLong as error:
            raise ClientError(str(error), code="LIMIT_EXCEEDED", field="asOf") from None
        return map_reads(graph)

    @strawberry.field
    async def circles(self, info: strawberry.Info[Context], as_of: AsOf = None) -> list[PoliticalCircle]:
        if as_of is not None:
            return [PoliticalCircle.from_domain(c) for c in (await self._past(info, as_of)).circles]
        found = await info.context.loaders.circles_of_account.load(self.raw_id)
        return [PoliticalCircle.from_domain(c) for c in found]

    @strawberry.field(
        description="Who on our team covers whom among the account's active stakeholders; with `asOf`, as then."
    )
    async def coverage(self, info: strawberry.Info[Context], as_of: AsOf = None) -> list[Coverage]:
        ctx = info.context
        if as_of is None:
            reads_now = await ctx.services.db.read(account_coverage, ctx.workspace_id, self.raw_id)
            return [Coverage.loading(info, c) for c in reads_now]
        reads = await self._past(info, as_of)
        people = {s.id: s for s in reads.stakeholders}
        return [
            Coverage.from_domain(
                c, _later_member(info, c.team_member_id), Stakeholder.from_domain(people[c.stakeholder_id])
            )
            for c in reads.coverage
        ]

    @strawberry.field(description="Team members assigned to the account or covering one of its stakeholders.")
    async def team(self, info: strawberry.Info[Context]) -> list[TeamMember]:
        return [TeamMember.from_domain(t) for t in await info.context.loaders.team_of_account.load(self.raw_id)]

    @strawberry.field
    async def influence_links(self, info: strawberry.Info[Context], as_of: AsOf = None) -> list[InfluenceLink]:
        if as_of is not None:
            reads = await self._past(info, as_of)
            people = {s.id: Stakeholder.from_domain(s) for s in reads.stakeholders}
            return [
                InfluenceLink.from_domain(link, people[link.from_id], people[link.to_id]) for link in reads.influences
            ]
        found = await info.context.loaders.influences_of_account.load(self.raw_id)
        return [InfluenceLink.loading(info, link) for link in found]

    @strawberry.field
    async def ties(self, info: strawberry.Info[Context], as_of: AsOf = None) -> list[Tie]:
        if as_of is not None:
            reads = await self._past(info, as_of)
            people = {s.id: Stakeholder.from_domain(s) for s in reads.stakeholders}
            return [Tie.from_domain(t, people[t.a_id], people[t.b_id]) for t in reads.ties]
        return [Tie.loading(info, t) for t in await info.context.loaders.ties_of_account.load(self.raw_id)]

    @strawberry.field(description="The visit log, newest first: the first `first` (at most 100) interactions.")
    async def interactions(
        self, info: strawberry.Info[Context], first: int | None = DEFAULT_INTERACTIONS
    ) -> list[InteractionRef]:
        from service.schema.types.interaction import Interaction

        count = bounded_first(first, DEFAULT_INTERACTIONS)
        found = await info.context.loaders.interactions_of_account.load(self.raw_id)
        return [Interaction.from_domain(i) for i in found[:count]]

    @strawberry.field(description="The account's opportunities by name, at most 100 a page; `totalCount` counts them.")
    async def opportunities(
        self, info: strawberry.Info[Context], first: int | None = None, after: str | None = None
    ) -> OpportunityConnection:
        request = page_request(first, after, None, None)
        page = await info.context.loaders.opportunity_page.load((self.raw_id, request))
        for o in page.items:
            info.context.loaders.opportunity.prime(o.id, o)
        return OpportunityConnection(page=page, account_id=self.raw_id)

    @strawberry.field(
        description="What changed in the account's map after `from` and up to `to` (either open; DOMAIN.md rule "
        "18): entity, field, old and new value, when and who; newest first, one changed value a row; at most 100 "
        "a page, `after` a row's cursor."
    )
    async def changes(
        self,
        info: strawberry.Info[Context],
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> list[Change]:
        limit = bounded_first(first, 20)
        position = None if after is None else decode_history_cursor(after, "after")
        ctx = info.context
        found = await ctx.db.read(account_changes, ctx.workspace_id, self.raw_id, from_, to, limit, position)
        return [Change.from_domain(c) for c in found]

    @strawberry.field(
        description="A summary of what changed in the map from `from` to `to` (default now; DOMAIN.md rule 18): "
        "stance moves, people added and archived, links and coverage added and removed, support score before "
        "and after."
    )
    async def diff(
        self,
        info: strawberry.Info[Context],
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime | None = None,
    ) -> MapDiff:
        ctx = info.context
        end = to or ctx.services.db.clock()
        try:
            before, after, result = await account_diff(ctx.services, ctx.workspace_id, self.raw_id, from_, end)
        except HistoryTooLong as error:
            raise ClientError(str(error), code="LIMIT_EXCEEDED", field="from") from None
        return MapDiff(
            result=result,
            before=before,
            after=after,
            support_score_before=result.support_score_before,
            support_score_after=result.support_score_after,
        )

    @strawberry.field(
        description="The account as an `accountGraphInput` document of `source` (deal sections included): "
        "importing it again changes nothing. It holds what the source identifies by an external id (the "
        "account, its active stakeholders, team members, competitors and reps, the source's circles, "
        "interactions and opportunities) and everything between them; null when the source does not "
        "identify the account."
    )
    async def export_document(self, info: strawberry.Info[Context], source: str) -> JSON | None:
        ctx = info.context
        found = await ctx.db.read(account_document, ctx.workspace_id, self.raw_id, source)
        return None if found is None else JSON(document_json(found))


def _later_member(info: strawberry.Info[Context], raw_id: str) -> Later[TeamMember]:
    return Later(lambda: load_team_member(info, raw_id))


PAGE_PATHS = ("nodes.", "edges.node.")
"""Where a connection's stakeholders are selected."""
PAGE_ARGUMENTS = frozenset({"first", "after", "last", "before", "search", "stance", "role", "includeArchived"})


def stakeholder_page_of(
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    search: str | None,
    stance: Sequence[Stance] | None,
    role: Sequence[BuyingRole] | None,
    include_archived: bool | None,
) -> tuple[StakeholderFilter, PageRequest]:
    """The filter and page `Account.stakeholders` reads for its arguments."""
    filter_ = StakeholderFilter(
        search=search or None,
        stances=tuple(stance) if stance is not None else None,
        roles=tuple(role) if role is not None else None,
        include_archived=bool(include_archived),
    )
    return filter_, page_request(first, after, last, before)


async def account_with_people(info: strawberry.Info[Context], raw_id: str) -> Account | None:
    """The account. When the query selects one page of its stakeholders, that page (with what is selected
    around its people) is read in the same round trip, or taken from the page cache while the account's
    clock stands, and handed to `Account.stakeholders` through its DataLoader; otherwise the account comes
    from its own DataLoader."""
    ctx = info.context
    planned = _planned_page(info)
    if planned is None:
        found = await ctx.loaders.account.load(raw_id)
        return None if found is None else Account.from_domain(found)
    filter_, request, around = planned
    clock = ctx.clocks.get(("Account", raw_id))
    read = await ctx.db.read(ctx.services.pages.load, ctx.workspace_id, raw_id, filter_, around, request, clock)
    account, page, hood = read
    if account is None:
        return None
    ctx.loaders.account.prime(raw_id, account)
    ctx.loaders.stakeholder_page.prime((raw_id, filter_, request, around), (page, hood))
    return Account.from_domain(account)


def _planned_page(info: strawberry.Info[Context]) -> tuple[StakeholderFilter, PageRequest, Around] | None:
    """What `Account.stakeholders` will read below this field, when that is one page; None when the query
    selects no page, several, or arguments it cannot tell here (that field then reads for itself)."""
    found = [
        f
        for field in info.selected_fields
        if isinstance(field, SelectedField)
        for f in subfields(field, "stakeholders")
    ]
    if not found or any((f.alias, f.arguments) != (found[0].alias, found[0].arguments) for f in found):
        return None
    args = found[0].arguments
    if not PAGE_ARGUMENTS.issuperset(args):
        return None
    stance, role, first, last = args.get("stance"), args.get("role"), args.get("first"), args.get("last")
    try:
        filter_, request = stakeholder_page_of(
            None if first is None else int(first),  # a literal comes as its text, a variable as its value
            args.get("after"),
            None if last is None else int(last),
            args.get("before"),
            args.get("search"),
            None if stance is None else [Stance(value) for value in stance],
            None if role is None else [BuyingRole(value) for value in role],
            args.get("includeArchived", False),
        )
    except (ClientError, ValueError, TypeError):
        return None
    return filter_, request, around_of(paths_below(found), PAGE_PATHS)


@strawberry.type
class AccountEdge:
    cursor: str
    node: Account


@strawberry.type
class AccountConnection:
    page: strawberry.Private[Page[models.Account]]
    search: strawberry.Private[str | None]

    @strawberry.field
    def edges(self) -> list[AccountEdge]:
        return [
            AccountEdge(cursor=encode_cursor(SortKey(a.name, a.id)), node=Account.from_domain(a))
            for a in self.page.items
        ]

    @strawberry.field
    def nodes(self) -> list[Account]:
        return [Account.from_domain(a) for a in self.page.items]

    @strawberry.field
    def page_info(self) -> PageInfo:
        return PageInfo.of(self.page)

    @strawberry.field
    async def total_count(self, info: strawberry.Info[Context]) -> int:
        return await info.context.db.read(account_count, info.context.workspace_id, self.search)
