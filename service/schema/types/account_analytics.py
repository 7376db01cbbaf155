"""The strategy analytics of an account (DOMAIN.md, "Analytics"), computed by `service.rules.analytics`.

Every analytic field of one request shares one snapshot of the account, loaded in one round trip.
Every list answer is bounded (DOMAIN.md, "Bounded answers"): it takes `first` (at most 100) and returns
the first rows of the full ordered list, and a count field beside it (the list's noun in the singular +
`Count`, with the same arguments but `first`: `influencerCount`, `unlinkedPairCount`) gives its length.
Result rows name people, team members and circles by id; each analytic builds the people its rows name
from the snapshot's own records and loads the team members and circles in one batch per kind, only when
the client selected them, so rows resolve without awaiting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry

from service.graph.as_of import HistoryTooLong
from service.rules import analytics
from service.rules.account_graph import AccountGraph
from service.rules.analytics import NodeKind, NodeRef
from service.rules.analytics.memo import remembered
from service.rules.analytics.policy import (
    ACCESS_DEFAULT_MAX_HOPS,
    DEFAULT_FIRST,
    DEFAULT_FIRST_ACCESS_PATHS,
    DEFAULT_FIRST_COACHES,
    DEFAULT_FIRST_TARGETS,
    DEFAULT_MAX_HOPS,
    DEFAULT_MIN_STRENGTH,
    STALE_AFTER_DAYS,
)
from service.rules.paging import MAX_PAGE_SIZE
from service.schema.context import Context
from service.schema.enums import BuyerType, BuyingRole, GapKind, Stance
from service.schema.errors import ClientError
from service.schema.ids import require_raw_id
from service.schema.pagination import bounded_first
from service.schema.selection import selected_paths
from service.schema.types.common import Node
from service.schema.types.deal_scope import OpportunityArgument, scoped
from service.schema.types.stakeholder import Stakeholder
from service.usecases.analytics import AnalyticsTimeout, compute

if TYPE_CHECKING:
    from service.schema.types.circle import PoliticalCircle
    from service.schema.types.team import TeamMember

T = TypeVar("T")
TeamMemberRef = Annotated["TeamMember", strawberry.lazy("service.schema.types.team")]
PoliticalCircleRef = Annotated["PoliticalCircle", strawberry.lazy("service.schema.types.circle")]
First = Annotated[int | None, strawberry.argument(description=f"How many rows, 0 to {MAX_PAGE_SIZE}.")]
AS_OF_DESCRIPTION = (
    "The map as of this instant, as the recorded history says it was then (DOMAIN.md rule 18); null: now."
)
AsOf = Annotated[datetime | None, strawberry.argument(description=AS_OF_DESCRIPTION)]
AsOfMoment = Annotated[
    datetime | None,
    strawberry.argument(
        description="The moment that staleness and due dates are measured at, on the map of `mapAsOf`; null: now."
    ),
]
MapAsOf = Annotated[
    datetime | None,
    strawberry.argument(
        description="The map as of this instant (DOMAIN.md rule 18; `asOf` here keeps its own meaning, the "
        "moment of measure); null: now."
    ),
]
Converter = Annotated[
    Stakeholder | Annotated["TeamMember", strawberry.lazy("service.schema.types.team")],
    strawberry.union("Converter"),
]


@dataclass
class Refs:
    """The objects an analytic's rows name, loaded once for all rows."""

    people: dict[str, Stakeholder] = field(default_factory=dict)
    team: dict[str, TeamMember] = field(default_factory=dict)
    circles: dict[str, PoliticalCircle] = field(default_factory=dict)

    def node(self, ref: NodeRef) -> Node:
        return self.team[ref.id] if ref.kind is NodeKind.TEAM_MEMBER else self.people[ref.id]

    def nodes(self, refs: Iterable[NodeRef]) -> list[Node]:
        return [self.node(ref) for ref in refs]


_SNAPSHOT_REFS = "schema.refs"


async def load_refs(
    info: strawberry.Info[Context],
    graph: AccountGraph,
    people: Iterable[str] = (),
    team: Iterable[str] = (),
    circles: Iterable[str] = (),
) -> Refs:
    """The named objects, kept with the snapshot: the analytics of a snapshot keep naming the same
    people, so later requests find them built. People come from the records read with the snapshot, so
    they show the state the answers were computed from. A write moves the graph clock, and the next
    request gets a new snapshot and its own objects."""
    from service.schema.types.circle import PoliticalCircle
    from service.schema.types.team import TeamMember

    refs = remembered(graph.memo, _SNAPSHOT_REFS, Refs)
    people_ids = [i for i in dict.fromkeys(people) if i not in refs.people]
    records = graph.records
    refs.people.update((i, Stakeholder.from_domain(records[i])) for i in people_ids)
    team_ids = [i for i in dict.fromkeys(team) if i not in refs.team]
    for team_id, member in zip(team_ids, await info.context.loaders.team_member.load_many(team_ids), strict=True):
        assert member is not None, "analytics only name stored team members"
        refs.team[team_id] = TeamMember.from_domain(member)
    circle_ids = [i for i in dict.fromkeys(circles) if i not in refs.circles]
    for circle_id, circle in zip(circle_ids, await info.context.loaders.circle.load_many(circle_ids), strict=True):
        assert circle is not None, "analytics only name stored circles"
        refs.circles[circle_id] = PoliticalCircle.from_domain(circle)
    return refs


def _wants(info: strawberry.Info[Context], *fields: str) -> bool:
    return not selected_paths(info).isdisjoint(fields)


def _people_on(refs: Iterable[NodeRef]) -> list[str]:
    return [r.id for r in refs if r.kind is NodeKind.STAKEHOLDER]


def _team_on(refs: Iterable[NodeRef]) -> list[str]:
    return [r.id for r in refs if r.kind is NodeKind.TEAM_MEMBER]


async def computed(
    info: strawberry.Info[Context], name: str, graph: AccountGraph, analytic: Callable[..., T], *args: Any
) -> T:
    """Run an analytic off the event loop (`usecases.analytics`); its input errors are the client's fault
    and name the argument."""
    try:
        return await compute(info.context.services, name, graph, analytic, *args)
    except analytics.AnalyticsInputError as error:
        raise ClientError(f"`{error.field}`: {error.message}", code="INVALID_ARGUMENT", field=error.field) from None
    except AnalyticsTimeout as error:
        raise ClientError(str(error), code="ANALYTICS_TIMEOUT") from None


@strawberry.type
class InfluencePath:
    row: strawberry.Private[analytics.InfluencePath]
    refs: strawberry.Private[Refs]
    strength: float
    hops: int
    reason: str

    @strawberry.field
    def influencer(self) -> Stakeholder:
        return self.refs.people[self.row.influencer]

    @strawberry.field
    def target(self) -> Stakeholder:
        return self.refs.people[self.row.target]

    @strawberry.field(description="Stakeholders from influencer to target, both included.")
    def path(self) -> list[Stakeholder]:
        return [self.refs.people[i] for i in self.row.path]


@strawberry.type
class ConversionTarget:
    row: strawberry.Private[analytics.ConversionTarget]
    refs: strawberry.Private[Refs]
    leverage: float
    converter_strength: float
    converter_hops: int
    reason: str

    @strawberry.field
    def stakeholder(self) -> Stakeholder:
        return self.refs.people[self.row.stakeholder]

    @strawberry.field(
        description="Who can move this person: a supporter/mentor, a team member who covers them, "
        "or a neutral-or-better influencer (for opponents)."
    )
    def converter(self) -> Converter | None:
        return None if self.row.converter is None else self.refs.node(self.row.converter)  # type: ignore[return-value]

    @strawberry.field(description="From the converter to the target, both included.")
    def path(self) -> list[Node]:
        return self.refs.nodes(self.row.path)


@strawberry.type
class CoverageGap:
    row: strawberry.Private[analytics.CoverageGap]
    refs: strawberry.Private[Refs]
    kind: GapKind
    role: BuyingRole | None
    buyer_type: BuyerType | None
    severity: float
    reason: str
    suggestion: str | None

    @strawberry.field
    def stakeholder(self) -> Stakeholder | None:
        return None if self.row.stakeholder is None else self.refs.people[self.row.stakeholder]

    @strawberry.field
    def circle(self) -> PoliticalCircleRef | None:
        return None if self.row.circle is None else self.refs.circles[self.row.circle]

    @strawberry.field(
        description="SINGLE_POINT_OF_FAILURE only: the one team member or stakeholder every warm route to "
        "`stakeholder` depends on (DOMAIN.md rule 15); null for the other kinds."
    )
    def single_point(self) -> Node | None:
        return None if self.row.single_point is None else self.refs.node(self.row.single_point)


@strawberry.type
class StakeholderPair:
    consolidation: strawberry.Private[analytics.SupporterConsolidation]
    a: Stakeholder
    b: Stakeholder

    @strawberry.field
    def reason(self) -> str:
        return self.consolidation.pair_reason(self.a.raw_id, self.b.raw_id)


@strawberry.type
class SupporterConsolidation:
    result: strawberry.Private[analytics.SupporterConsolidation]
    graph: strawberry.Private[AccountGraph]

    @strawberry.field(
        description="Supporter pairs with neither an influence link nor a KNOWS/ALLY tie: the first `first` of "
        "them, by influence(a) + influence(b) desc (unrated counts as 1), then the two names; "
        "`unlinkedPairCount` counts them all."
    )
    async def unlinked_pairs(
        self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST
    ) -> list[StakeholderPair]:
        pairs = self.result.unlinked_pairs[: bounded_first(first, DEFAULT_FIRST)]
        refs = await load_refs(info, self.graph, people=[person for pair in pairs for person in pair])
        people = refs.people
        return [StakeholderPair(consolidation=self.result, a=people[a], b=people[b]) for a, b in pairs]

    @strawberry.field(description="How many pairs `unlinkedPairs` has in all.")
    def unlinked_pair_count(self) -> int:
        return len(self.result.unlinked_pairs)

    @strawberry.field(
        description="Supporters with no path of at most `maxHops` influence links to a neutral: the first `first` "
        "of them, by influence desc, then name; `isolatedSupporterCount` counts them all."
    )
    async def isolated_supporters(
        self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST
    ) -> list[Stakeholder]:
        rows = self.result.isolated_supporters[: bounded_first(first, DEFAULT_FIRST)]
        refs = await load_refs(info, self.graph, people=[row.stakeholder for row in rows])
        return [refs.people[row.stakeholder] for row in rows]

    @strawberry.field(description="How many supporters `isolatedSupporters` has in all.")
    def isolated_supporter_count(self) -> int:
        return len(self.result.isolated_supporters)


@strawberry.type
class CoachCandidate:
    row: strawberry.Private[analytics.CoachCandidate]
    refs: strawberry.Private[Refs]
    qualified: bool
    breadth: int
    circles_reached: int
    leverage: float
    covered: bool
    reasons: list[str]

    @strawberry.field
    def stakeholder(self) -> Stakeholder:
        return self.refs.people[self.row.stakeholder]

    @strawberry.field(
        description="Empty when we already cover the candidate; else from a covered stakeholder to the candidate."
    )
    def introduced_via(self) -> list[Stakeholder]:
        return [self.refs.people[i] for i in self.row.introduced_via]


@strawberry.type
class CircleBalance:
    row: strawberry.Private[analytics.CircleBalance]
    refs: strawberry.Private[Refs]
    members: int
    core_members: int
    influence_total: int
    stance_balance: float | None
    covered_core_members: int
    decision_circle: bool
    reason: str

    @strawberry.field
    def circle(self) -> PoliticalCircleRef:
        return self.refs.circles[self.row.circle]


@strawberry.type
class PowerMap:
    result: strawberry.Private[analytics.PowerMap]
    graph: strawberry.Private[AccountGraph]

    @strawberry.field(
        description="The first `first` circles: decision circles first, then by influence total desc, then name; "
        "`circleCount` counts them all."
    )
    async def circles(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[CircleBalance]:
        rows = self.result.circles[: bounded_first(first, DEFAULT_FIRST)]
        refs = await load_refs(info, self.graph, circles=[c.circle for c in rows] if _wants(info, "circle") else ())
        return [
            CircleBalance(
                row=c,
                refs=refs,
                members=c.members,
                core_members=c.core_members,
                influence_total=c.influence_total,
                stance_balance=c.stance_balance,
                covered_core_members=c.covered_core_members,
                decision_circle=c.decision_circle,
                reason=c.reason,
            )
            for c in rows
        ]

    @strawberry.field(description="How many circles `circles` has in all.")
    def circle_count(self) -> int:
        return len(self.result.circles)

    @strawberry.field(
        description="The first `first` stakeholders in no circle, by name; `unaffiliatedCount` counts them all."
    )
    async def unaffiliated(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[Stakeholder]:
        ids = self.result.unaffiliated[: bounded_first(first, DEFAULT_FIRST)]
        refs = await load_refs(info, self.graph, people=ids)
        return [refs.people[i] for i in ids]

    @strawberry.field(description="How many stakeholders `unaffiliated` has in all.")
    def unaffiliated_count(self) -> int:
        return len(self.result.unaffiliated)


@strawberry.type
class AccessPath:
    row: strawberry.Private[analytics.AccessPath]
    refs: strawberry.Private[Refs]
    strength: float
    hops: int
    reason: str

    @strawberry.field
    def team_member(self) -> TeamMemberRef:
        return self.refs.team[self.row.team_member]

    @strawberry.field
    def target(self) -> Stakeholder:
        return self.refs.people[self.row.target]

    @strawberry.field(description="From the team member to the target, both included.")
    def path(self) -> list[Node]:
        return self.refs.nodes(self.row.path)


@strawberry.input
class StanceChangeInput:
    stakeholder: strawberry.ID
    stance: Stance


async def _conversion_rows(
    info: strawberry.Info[Context], graph: AccountGraph, rows: Sequence[analytics.ConversionTarget]
) -> list[ConversionTarget]:
    refs = Refs()
    if _wants(info, "stakeholder", "converter", "path"):
        named = [ref for r in rows for ref in (*r.path, *([r.converter] if r.converter else []))]
        refs = await load_refs(
            info, graph, people=[*(r.stakeholder for r in rows), *_people_on(named)], team=_team_on(named)
        )
    return [
        ConversionTarget(
            row=r,
            refs=refs,
            leverage=r.leverage,
            converter_strength=r.converter_strength,
            converter_hops=r.converter_hops,
            reason=r.reason,
        )
        for r in rows
    ]


@strawberry.type
class SnapshotAnalytics:
    """The analytics that both the account and a simulation (computed on the changed snapshot, DOMAIN.md
    rule 17) answer. Every list answer returns the first `first` rows (at most 100) of the full ordered
    list, and a count field beside it, with the same arguments but `first`, gives the full list's length."""

    async def _snapshot(
        self, info: strawberry.Info[Context], opportunity: strawberry.ID | None = None, as_of: datetime | None = None
    ) -> AccountGraph:
        raise NotImplementedError

    async def _coverage_gaps(
        self,
        info: strawberry.Info[Context],
        stale_after_days: int | None,
        as_of: datetime | None,
        opportunity: strawberry.ID | None,
        map_as_of: datetime | None,
    ) -> tuple[AccountGraph, list[analytics.CoverageGap]]:
        graph = await self._snapshot(info, opportunity, map_as_of)
        days = STALE_AFTER_DAYS if stale_after_days is None else stale_after_days
        return graph, await computed(info, "coverageGaps", graph, analytics.coverage_gaps, days, as_of)

    @strawberry.field(
        description="The first `first` coverage gaps, most severe first, each with a suggested action; "
        "`coverageGapCount` counts them all."
    )
    async def coverage_gaps(
        self,
        info: strawberry.Info[Context],
        stale_after_days: int | None = STALE_AFTER_DAYS,
        as_of: AsOfMoment = None,
        first: First = DEFAULT_FIRST,
        opportunity: OpportunityArgument = None,
        map_as_of: MapAsOf = None,
    ) -> list[CoverageGap]:
        count = bounded_first(first, DEFAULT_FIRST)
        graph, gaps = await self._coverage_gaps(info, stale_after_days, as_of, opportunity, map_as_of)
        rows = gaps[:count]
        points = [r.single_point for r in rows if r.single_point] if _wants(info, "singlePoint") else []
        refs = await load_refs(
            info,
            graph,
            people=[
                *([r.stakeholder for r in rows if r.stakeholder] if _wants(info, "stakeholder") else ()),
                *_people_on(points),
            ],
            team=_team_on(points),
            circles=[r.circle for r in rows if r.circle] if _wants(info, "circle") else (),
        )
        return [
            CoverageGap(
                row=r,
                refs=refs,
                kind=r.kind,
                role=r.role,
                buyer_type=r.buyer_type,
                severity=r.severity,
                reason=r.reason,
                suggestion=r.suggestion,
            )
            for r in rows
        ]

    @strawberry.field(description="How many rows `coverageGaps` has in all, for the same arguments.")
    async def coverage_gap_count(
        self,
        info: strawberry.Info[Context],
        stale_after_days: int | None = STALE_AFTER_DAYS,
        as_of: AsOfMoment = None,
        opportunity: OpportunityArgument = None,
        map_as_of: MapAsOf = None,
    ) -> int:
        _, gaps = await self._coverage_gaps(info, stale_after_days, as_of, opportunity, map_as_of)
        return len(gaps)

    async def _neutrals(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None,
        opportunity: strawberry.ID | None,
        as_of: datetime | None,
    ) -> tuple[AccountGraph, analytics.Ranked[analytics.ConversionTarget]]:
        graph = await self._snapshot(info, opportunity, as_of)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        return graph, await computed(info, "neutralsToConvert", graph, analytics.neutrals_to_convert, hops)

    @strawberry.field(
        description="Neutrals with leverage on the decision, each with the best converter: the first `first`; "
        "`neutralToConvertCount` counts them all."
    )
    async def neutrals_to_convert(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None = DEFAULT_MAX_HOPS,
        first: First = DEFAULT_FIRST_TARGETS,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> list[ConversionTarget]:
        count = bounded_first(first, DEFAULT_FIRST_TARGETS)
        graph, ranked = await self._neutrals(info, max_hops, opportunity, as_of)
        return await _conversion_rows(info, graph, ranked[:count])

    @strawberry.field(description="How many rows `neutralsToConvert` has in all, for the same `maxHops`.")
    async def neutral_to_convert_count(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None = DEFAULT_MAX_HOPS,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> int:
        _, ranked = await self._neutrals(info, max_hops, opportunity, as_of)
        return len(ranked)

    @strawberry.field(description="The balance of each political circle, decision circles first.")
    async def power_map(
        self, info: strawberry.Info[Context], opportunity: OpportunityArgument = None, as_of: AsOf = None
    ) -> PowerMap:
        graph = await self._snapshot(info, opportunity, as_of)
        return PowerMap(result=await computed(info, "powerMap", graph, analytics.power_map), graph=graph)


@strawberry.type
class Simulation(SnapshotAnalytics):
    """The counts before and after the changes; the other fields are computed on the changed snapshot, with
    the buying centre of the `opportunity` given to `simulate` (their own `opportunity` is not used)."""

    support_score_before: float | None
    support_score_after: float | None
    neutrals_before: int
    neutrals_after: int
    opponents_before: int
    opponents_after: int
    after: strawberry.Private[AccountGraph]

    async def _snapshot(
        self, info: strawberry.Info[Context], opportunity: strawberry.ID | None = None, as_of: datetime | None = None
    ) -> AccountGraph:
        return self.after  # scoped already, by the opportunity given to `simulate`


@strawberry.type
class AccountAnalytics(SnapshotAnalytics):
    raw_id: strawberry.Private[str]

    async def _snapshot(
        self, info: strawberry.Info[Context], opportunity: strawberry.ID | None = None, as_of: datetime | None = None
    ) -> AccountGraph:
        if as_of is None:
            graph = await info.context.loaders.account_graph.load(self.raw_id)
        else:
            try:
                graph = await info.context.loaders.account_graph_as_of.load((self.raw_id, as_of))
            except HistoryTooLong as error:
                raise ClientError(str(error), code="LIMIT_EXCEEDED", field="asOf") from None
        return await scoped(info, graph, self.raw_id, opportunity)

    async def _influencers(
        self,
        info: strawberry.Info[Context],
        of: strawberry.ID | None,
        max_hops: int | None,
        min_strength: float | None,
        opportunity: strawberry.ID | None,
        as_of: datetime | None,
    ) -> tuple[AccountGraph, analytics.Ranked[analytics.InfluencePath]]:
        target = None if of is None else require_raw_id(of, "Stakeholder", "of")
        graph = await self._snapshot(info, opportunity, as_of)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        floor = DEFAULT_MIN_STRENGTH if min_strength is None else min_strength
        return graph, await computed(info, "influencers", graph, analytics.influencers, target, hops, floor)

    @strawberry.field(
        description="Who influences the decision makers (or `of`): the first `first`, strongest path first; "
        "`influencerCount` counts them all."
    )
    async def influencers(
        self,
        info: strawberry.Info[Context],
        of: strawberry.ID | None = None,
        max_hops: int | None = DEFAULT_MAX_HOPS,
        min_strength: float | None = DEFAULT_MIN_STRENGTH,
        first: First = DEFAULT_FIRST,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> list[InfluencePath]:
        count = bounded_first(first, DEFAULT_FIRST)
        graph, ranked = await self._influencers(info, of, max_hops, min_strength, opportunity, as_of)
        rows = ranked[:count]
        named = [i for r in rows for i in r.path] if _wants(info, "influencer", "target", "path") else []
        refs = await load_refs(info, graph, people=named)
        return [InfluencePath(row=r, refs=refs, strength=r.strength, hops=r.hops, reason=r.reason) for r in rows]

    @strawberry.field(description="How many rows `influencers` has in all, for the same arguments.")
    async def influencer_count(
        self,
        info: strawberry.Info[Context],
        of: strawberry.ID | None = None,
        max_hops: int | None = DEFAULT_MAX_HOPS,
        min_strength: float | None = DEFAULT_MIN_STRENGTH,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> int:
        _, ranked = await self._influencers(info, of, max_hops, min_strength, opportunity, as_of)
        return len(ranked)

    async def _opponents(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None,
        opportunity: strawberry.ID | None,
        as_of: datetime | None,
    ) -> tuple[AccountGraph, analytics.Ranked[analytics.ConversionTarget]]:
        graph = await self._snapshot(info, opportunity, as_of)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        return graph, await computed(info, "opponentsToNeutralize", graph, analytics.opponents_to_neutralize, hops)

    @strawberry.field(
        description="Enemies and opponents with leverage, each with the neutral-or-better lever to move them: "
        "the first `first`; `opponentToNeutralizeCount` counts them all."
    )
    async def opponents_to_neutralize(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None = DEFAULT_MAX_HOPS,
        first: First = DEFAULT_FIRST_TARGETS,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> list[ConversionTarget]:
        count = bounded_first(first, DEFAULT_FIRST_TARGETS)
        graph, ranked = await self._opponents(info, max_hops, opportunity, as_of)
        return await _conversion_rows(info, graph, ranked[:count])

    @strawberry.field(description="How many rows `opponentsToNeutralize` has in all, for the same `maxHops`.")
    async def opponent_to_neutralize_count(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None = DEFAULT_MAX_HOPS,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> int:
        _, ranked = await self._opponents(info, max_hops, opportunity, as_of)
        return len(ranked)

    @strawberry.field(description="Supporters to tie together, and supporters who reach no neutral.")
    async def supporter_consolidation(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None = DEFAULT_MAX_HOPS,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> SupporterConsolidation:
        graph = await self._snapshot(info, opportunity, as_of)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        return SupporterConsolidation(
            result=await computed(info, "supporterConsolidation", graph, analytics.supporter_consolidation, hops),
            graph=graph,
        )

    @strawberry.field(
        description="Inside-contact candidates (broad network, influence, willingness), qualified first: "
        "the first `first`; `coachCandidateCount` counts them all."
    )
    async def coach_candidates(
        self,
        info: strawberry.Info[Context],
        first: First = DEFAULT_FIRST_COACHES,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> list[CoachCandidate]:
        count = bounded_first(first, DEFAULT_FIRST_COACHES)
        graph = await self._snapshot(info, opportunity, as_of)
        rows = (await computed(info, "coachCandidates", graph, analytics.coach_candidates))[:count]
        named = [i for r in rows for i in (r.stakeholder, *r.introduced_via)]
        refs = await load_refs(info, graph, people=named if _wants(info, "stakeholder", "introducedVia") else ())
        return [
            CoachCandidate(
                row=r,
                refs=refs,
                qualified=r.qualified,
                breadth=r.breadth,
                circles_reached=r.circles_reached,
                leverage=r.leverage,
                covered=r.covered,
                reasons=list(r.reasons),
            )
            for r in rows
        ]

    @strawberry.field(description="How many rows `coachCandidates` has in all.")
    async def coach_candidate_count(
        self, info: strawberry.Info[Context], opportunity: OpportunityArgument = None, as_of: AsOf = None
    ) -> int:
        graph = await self._snapshot(info, opportunity, as_of)
        return len(await computed(info, "coachCandidates", graph, analytics.coach_candidates))

    @strawberry.field(description="Influence-weighted mean stance (-2..+2) of the buying centre; null when unknown.")
    async def support_score(
        self, info: strawberry.Info[Context], opportunity: OpportunityArgument = None, as_of: AsOf = None
    ) -> float | None:
        graph = await self._snapshot(info, opportunity, as_of)
        return await computed(info, "supportScore", graph, analytics.support_score)

    async def _access_paths(
        self,
        info: strawberry.Info[Context],
        to: strawberry.ID,
        max_hops: int | None,
        opportunity: strawberry.ID | None,
        as_of: datetime | None,
    ) -> tuple[AccountGraph, analytics.Ranked[analytics.AccessPath]]:
        target = require_raw_id(to, "Stakeholder", "to")
        graph = await self._snapshot(info, opportunity, as_of)
        hops = ACCESS_DEFAULT_MAX_HOPS if max_hops is None else max_hops
        return graph, await computed(info, "accessPaths", graph, analytics.access_paths, target, hops)

    @strawberry.field(
        description="Warm introduction paths from our team to `to`, through supporters only, the best per team "
        "member: the first `first`, strongest first; `accessPathCount` counts them all."
    )
    async def access_paths(
        self,
        info: strawberry.Info[Context],
        to: strawberry.ID,
        max_hops: int | None = ACCESS_DEFAULT_MAX_HOPS,
        first: First = DEFAULT_FIRST_ACCESS_PATHS,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> list[AccessPath]:
        count = bounded_first(first, DEFAULT_FIRST_ACCESS_PATHS)
        graph, ranked = await self._access_paths(info, to, max_hops, opportunity, as_of)
        rows = ranked[:count]
        named = [ref for r in rows for ref in r.path]
        refs = await load_refs(
            info,
            graph,
            people=[*(r.target for r in rows), *_people_on(named)],
            team=[*(r.team_member for r in rows), *_team_on(named)],
        )
        return [AccessPath(row=r, refs=refs, strength=r.strength, hops=r.hops, reason=r.reason) for r in rows]

    @strawberry.field(description="How many rows `accessPaths` has in all, for the same `to` and `maxHops`.")
    async def access_path_count(
        self,
        info: strawberry.Info[Context],
        to: strawberry.ID,
        max_hops: int | None = ACCESS_DEFAULT_MAX_HOPS,
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> int:
        _, ranked = await self._access_paths(info, to, max_hops, opportunity, as_of)
        return len(ranked)

    @strawberry.field(
        description="Support and stance counts before and after hypothetical stance changes, and the coverage "
        "gaps, neutrals to convert and power map as they would be after them; writes nothing."
    )
    async def simulate(
        self,
        info: strawberry.Info[Context],
        changes: list[StanceChangeInput],
        opportunity: OpportunityArgument = None,
        as_of: AsOf = None,
    ) -> Simulation:
        pairs = [
            (require_raw_id(c.stakeholder, "Stakeholder", f"changes.{i}.stakeholder"), c.stance)
            for i, c in enumerate(changes)
        ]
        graph = await self._snapshot(info, opportunity, as_of)
        result = await computed(info, "simulate", graph, analytics.simulate, pairs)
        return Simulation(
            support_score_before=result.support_score_before,
            support_score_after=result.support_score_after,
            neutrals_before=result.neutrals_before,
            neutrals_after=result.neutrals_after,
            opponents_before=result.opponents_before,
            opponents_after=result.opponents_after,
            after=await computed(info, "simulate", graph, analytics.changed_snapshot, pairs),
        )
