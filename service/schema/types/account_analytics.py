"""The strategy analytics of an account (DOMAIN.md, "Analytics"), computed by `service.rules.analytics`.

Every analytic field of one request shares one snapshot of the account, loaded in one round trip.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry

from service.rules import analytics
from service.rules.account_graph import AccountGraph
from service.rules.analytics import NodeKind, NodeRef
from service.rules.analytics.policy import (
    ACCESS_DEFAULT_MAX_HOPS,
    DEFAULT_FIRST_ACCESS_PATHS,
    DEFAULT_FIRST_COACHES,
    DEFAULT_FIRST_TARGETS,
    DEFAULT_MAX_HOPS,
    DEFAULT_MIN_STRENGTH,
    STALE_AFTER_DAYS,
)
from service.schema.context import Context
from service.schema.enums import BuyerType, BuyingRole, GapKind, Stance
from service.schema.errors import ClientError
from service.schema.ids import require_raw_id
from service.schema.types.common import Node
from service.schema.types.links import load_stakeholder, load_stakeholders
from service.schema.types.stakeholder import Stakeholder

if TYPE_CHECKING:
    from service.schema.types.circle import PoliticalCircle
    from service.schema.types.team import TeamMember

T = TypeVar("T")
TeamMemberRef = Annotated["TeamMember", strawberry.lazy("service.schema.types.team")]
PoliticalCircleRef = Annotated["PoliticalCircle", strawberry.lazy("service.schema.types.circle")]
Converter = Annotated[
    Stakeholder | Annotated["TeamMember", strawberry.lazy("service.schema.types.team")],
    strawberry.union("Converter"),
]


async def _nodes(info: strawberry.Info[Context], refs: Sequence[NodeRef]) -> list[Node]:
    """Path members in order; stakeholders in one batch, team members through their loader."""
    people = iter(await load_stakeholders(info, [r.id for r in refs if r.kind is NodeKind.STAKEHOLDER]))
    team = iter(await asyncio.gather(*(_team_member(info, r.id) for r in refs if r.kind is NodeKind.TEAM_MEMBER)))
    return [next(team) if r.kind is NodeKind.TEAM_MEMBER else next(people) for r in refs]


async def _team_member(info: strawberry.Info[Context], raw_id: str) -> TeamMember:
    from service.schema.types.team import load_team_member

    return await load_team_member(info, raw_id)


async def _node(info: strawberry.Info[Context], ref: NodeRef) -> Node:
    if ref.kind is NodeKind.TEAM_MEMBER:
        return await _team_member(info, ref.id)
    return await load_stakeholder(info, ref.id)


def _computed(compute: Callable[[], T]) -> T:
    """Run an analytic; its input errors are the client's fault and name the argument."""
    try:
        return compute()
    except analytics.AnalyticsInputError as error:
        raise ClientError(f"`{error.field}`: {error.message}", code="INVALID_ARGUMENT", field=error.field) from None


@strawberry.type
class InfluencePath:
    row: strawberry.Private[analytics.InfluencePath]
    strength: float
    hops: int
    reason: str

    @strawberry.field
    async def influencer(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.row.influencer)

    @strawberry.field
    async def target(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.row.target)

    @strawberry.field(description="Stakeholders from influencer to target, both included.")
    async def path(self, info: strawberry.Info[Context]) -> list[Stakeholder]:
        return await load_stakeholders(info, self.row.path)


@strawberry.type
class ConversionTarget:
    row: strawberry.Private[analytics.ConversionTarget]
    leverage: float
    converter_strength: float
    converter_hops: int
    reason: str

    @strawberry.field
    async def stakeholder(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.row.stakeholder)

    @strawberry.field(
        description="Who can move this person: a supporter/mentor, a team member who covers them, "
        "or a neutral-or-better influencer (for opponents)."
    )
    async def converter(self, info: strawberry.Info[Context]) -> Converter | None:
        return None if self.row.converter is None else await _node(info, self.row.converter)  # type: ignore[return-value]

    @strawberry.field(description="From the converter to the target, both included.")
    async def path(self, info: strawberry.Info[Context]) -> list[Node]:
        return await _nodes(info, self.row.path)


@strawberry.type
class CoverageGap:
    row: strawberry.Private[analytics.CoverageGap]
    kind: GapKind
    role: BuyingRole | None
    buyer_type: BuyerType | None
    severity: float
    reason: str
    suggestion: str | None

    @strawberry.field
    async def stakeholder(self, info: strawberry.Info[Context]) -> Stakeholder | None:
        return None if self.row.stakeholder is None else await load_stakeholder(info, self.row.stakeholder)

    @strawberry.field
    async def circle(self, info: strawberry.Info[Context]) -> PoliticalCircleRef | None:
        from service.schema.types.circle import load_circle

        return None if self.row.circle is None else await load_circle(info, self.row.circle)


@strawberry.type
class StakeholderPair:
    pair: strawberry.Private[analytics.SupporterPair]
    reason: str

    @strawberry.field
    async def a(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.pair.a)

    @strawberry.field
    async def b(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.pair.b)


@strawberry.type
class SupporterConsolidation:
    result: strawberry.Private[analytics.SupporterConsolidation]

    @strawberry.field
    def unlinked_pairs(self) -> list[StakeholderPair]:
        return [StakeholderPair(pair=p, reason=p.reason) for p in self.result.unlinked_pairs]

    @strawberry.field
    async def isolated_supporters(self, info: strawberry.Info[Context]) -> list[Stakeholder]:
        return await load_stakeholders(info, [s.stakeholder for s in self.result.isolated_supporters])


@strawberry.type
class CoachCandidate:
    row: strawberry.Private[analytics.CoachCandidate]
    qualified: bool
    breadth: int
    circles_reached: int
    leverage: float
    covered: bool
    reasons: list[str]

    @strawberry.field
    async def stakeholder(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.row.stakeholder)

    @strawberry.field(
        description="Empty when we already cover the candidate; else from a covered stakeholder to the candidate."
    )
    async def introduced_via(self, info: strawberry.Info[Context]) -> list[Stakeholder]:
        return await load_stakeholders(info, self.row.introduced_via)


@strawberry.type
class CircleBalance:
    row: strawberry.Private[analytics.CircleBalance]
    members: int
    core_members: int
    influence_total: int
    stance_balance: float | None
    covered_core_members: int
    decision_circle: bool
    reason: str

    @strawberry.field
    async def circle(self, info: strawberry.Info[Context]) -> PoliticalCircleRef:
        from service.schema.types.circle import load_circle

        return await load_circle(info, self.row.circle)


@strawberry.type
class PowerMap:
    result: strawberry.Private[analytics.PowerMap]

    @strawberry.field
    def circles(self) -> list[CircleBalance]:
        return [
            CircleBalance(
                row=c,
                members=c.members,
                core_members=c.core_members,
                influence_total=c.influence_total,
                stance_balance=c.stance_balance,
                covered_core_members=c.covered_core_members,
                decision_circle=c.decision_circle,
                reason=c.reason,
            )
            for c in self.result.circles
        ]

    @strawberry.field
    async def unaffiliated(self, info: strawberry.Info[Context]) -> list[Stakeholder]:
        return await load_stakeholders(info, self.result.unaffiliated)


@strawberry.type
class AccessPath:
    row: strawberry.Private[analytics.AccessPath]
    strength: float
    hops: int
    reason: str

    @strawberry.field
    async def team_member(self, info: strawberry.Info[Context]) -> TeamMemberRef:
        return await _team_member(info, self.row.team_member)

    @strawberry.field
    async def target(self, info: strawberry.Info[Context]) -> Stakeholder:
        return await load_stakeholder(info, self.row.target)

    @strawberry.field(description="From the team member to the target, both included.")
    async def path(self, info: strawberry.Info[Context]) -> list[Node]:
        return await _nodes(info, self.row.path)


@strawberry.input
class StanceChangeInput:
    stakeholder: strawberry.ID
    stance: Stance


@strawberry.type
class Simulation:
    support_score_before: float | None
    support_score_after: float | None
    neutrals_before: int
    neutrals_after: int
    opponents_before: int
    opponents_after: int


def _conversion_rows(rows: Sequence[analytics.ConversionTarget]) -> list[ConversionTarget]:
    return [
        ConversionTarget(
            row=r,
            leverage=r.leverage,
            converter_strength=r.converter_strength,
            converter_hops=r.converter_hops,
            reason=r.reason,
        )
        for r in rows
    ]


@strawberry.type
class AccountAnalytics:
    raw_id: strawberry.Private[str]

    async def _snapshot(self, info: strawberry.Info[Context]) -> AccountGraph:
        return await info.context.loaders.account_graph.load(self.raw_id)

    @strawberry.field(description="Coverage gaps, most severe first, each with a suggested action.")
    async def coverage_gaps(
        self,
        info: strawberry.Info[Context],
        stale_after_days: int | None = STALE_AFTER_DAYS,
        as_of: datetime | None = None,
    ) -> list[CoverageGap]:
        graph = await self._snapshot(info)
        days = STALE_AFTER_DAYS if stale_after_days is None else stale_after_days
        rows = _computed(lambda: analytics.coverage_gaps(graph, days, as_of))
        return [
            CoverageGap(
                row=r,
                kind=r.kind,
                role=r.role,
                buyer_type=r.buyer_type,
                severity=r.severity,
                reason=r.reason,
                suggestion=r.suggestion,
            )
            for r in rows
        ]

    @strawberry.field(description="Who influences the decision makers (or `of`), by strongest path.")
    async def influencers(
        self,
        info: strawberry.Info[Context],
        of: strawberry.ID | None = None,
        max_hops: int | None = DEFAULT_MAX_HOPS,
        min_strength: float | None = DEFAULT_MIN_STRENGTH,
    ) -> list[InfluencePath]:
        target = None if of is None else require_raw_id(of, "Stakeholder", "of")
        graph = await self._snapshot(info)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        floor = DEFAULT_MIN_STRENGTH if min_strength is None else min_strength
        rows = _computed(lambda: analytics.influencers(graph, target, hops, floor))
        return [InfluencePath(row=r, strength=r.strength, hops=r.hops, reason=r.reason) for r in rows]

    @strawberry.field(description="Neutrals with leverage on the decision, each with the best converter.")
    async def neutrals_to_convert(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None = DEFAULT_MAX_HOPS,
        first: int | None = DEFAULT_FIRST_TARGETS,
    ) -> list[ConversionTarget]:
        graph = await self._snapshot(info)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        count = DEFAULT_FIRST_TARGETS if first is None else first
        return _conversion_rows(_computed(lambda: analytics.neutrals_to_convert(graph, hops, count)))

    @strawberry.field(
        description="Enemies and opponents with leverage, each with the neutral-or-better lever to move them."
    )
    async def opponents_to_neutralize(
        self,
        info: strawberry.Info[Context],
        max_hops: int | None = DEFAULT_MAX_HOPS,
        first: int | None = DEFAULT_FIRST_TARGETS,
    ) -> list[ConversionTarget]:
        graph = await self._snapshot(info)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        count = DEFAULT_FIRST_TARGETS if first is None else first
        return _conversion_rows(_computed(lambda: analytics.opponents_to_neutralize(graph, hops, count)))

    @strawberry.field(description="Supporters to tie together, and supporters who reach no neutral.")
    async def supporter_consolidation(
        self, info: strawberry.Info[Context], max_hops: int | None = DEFAULT_MAX_HOPS
    ) -> SupporterConsolidation:
        graph = await self._snapshot(info)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        return SupporterConsolidation(result=_computed(lambda: analytics.supporter_consolidation(graph, hops)))

    @strawberry.field(description="Inside-contact candidates: broad network, influence, willingness; qualified first.")
    async def coach_candidates(
        self, info: strawberry.Info[Context], first: int | None = DEFAULT_FIRST_COACHES
    ) -> list[CoachCandidate]:
        graph = await self._snapshot(info)
        count = DEFAULT_FIRST_COACHES if first is None else first
        rows = _computed(lambda: analytics.coach_candidates(graph, count))
        return [
            CoachCandidate(
                row=r,
                qualified=r.qualified,
                breadth=r.breadth,
                circles_reached=r.circles_reached,
                leverage=r.leverage,
                covered=r.covered,
                reasons=list(r.reasons),
            )
            for r in rows
        ]

    @strawberry.field(description="The balance of each political circle, decision circles first.")
    async def power_map(self, info: strawberry.Info[Context]) -> PowerMap:
        graph = await self._snapshot(info)
        return PowerMap(result=analytics.power_map(graph))

    @strawberry.field(description="Influence-weighted mean stance (-2..+2) of the buying centre; null when unknown.")
    async def support_score(self, info: strawberry.Info[Context]) -> float | None:
        return analytics.support_score(await self._snapshot(info))

    @strawberry.field(description="Warm introduction paths from our team to `to`, through supporters only.")
    async def access_paths(
        self,
        info: strawberry.Info[Context],
        to: strawberry.ID,
        max_hops: int | None = ACCESS_DEFAULT_MAX_HOPS,
        first: int | None = DEFAULT_FIRST_ACCESS_PATHS,
    ) -> list[AccessPath]:
        target = require_raw_id(to, "Stakeholder", "to")
        graph = await self._snapshot(info)
        hops = ACCESS_DEFAULT_MAX_HOPS if max_hops is None else max_hops
        count = DEFAULT_FIRST_ACCESS_PATHS if first is None else first
        rows = _computed(lambda: analytics.access_paths(graph, target, hops, count))
        return [AccessPath(row=r, strength=r.strength, hops=r.hops, reason=r.reason) for r in rows]

    @strawberry.field(
        description="Support and stance counts before and after hypothetical stance changes; writes nothing."
    )
    async def simulate(self, info: strawberry.Info[Context], changes: list[StanceChangeInput]) -> Simulation:
        pairs = [
            (require_raw_id(c.stakeholder, "Stakeholder", f"changes.{i}.stakeholder"), c.stance)
            for i, c in enumerate(changes)
        ]
        graph = await self._snapshot(info)
        result = _computed(lambda: analytics.simulate(graph, pairs))
        return Simulation(
            support_score_before=result.support_score_before,
            support_score_after=result.support_score_after,
            neutrals_before=result.neutrals_before,
            neutrals_after=result.neutrals_after,
            opponents_before=result.opponents_before,
            opponents_after=result.opponents_after,
        )
