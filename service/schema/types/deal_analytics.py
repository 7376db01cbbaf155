"""The deal analytics of an opportunity (DOMAIN.md items 19-22), computed by `service.rules.deals` from the
account's snapshot and the opportunity's deal snapshot. Rows name people from the snapshot's records and
competitors and reps from the deal snapshot, so they resolve without further reads (team members named as
converters come in one batch). Lists are bounded: `first` (0 to 100) with a count beside."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import strawberry

from service.rules import deals
from service.rules.account_graph import AccountGraph
from service.rules.analytics import NodeKind
from service.schema.context import Context
from service.schema.enums import InformationItem, QualificationCheck, SalesStage, StageAlignment, StageGate
from service.schema.types.account_analytics import Converter, Refs, computed, load_refs
from service.schema.types.bounded import DEFAULT_FIRST, First, first_of
from service.schema.types.common import Node
from service.schema.types.competitor import Competitor, CompetitorRep, Favour, RepContact
from service.schema.types.stakeholder import Stakeholder

T = TypeVar("T")


@dataclass
class Named:
    """What a deal answer names: people (and team members) from the snapshot, competitors and reps from
    the deal snapshot."""

    refs: Refs
    competitors: Mapping[str, Competitor]
    reps: Mapping[str, CompetitorRep]

    def people(self, ids: Iterable[str]) -> list[Stakeholder]:
        return [self.refs.people[i] for i in ids]


async def named(
    info: strawberry.Info[Context],
    graph: AccountGraph,
    deal: deals.DealSnapshot,
    people: Iterable[str] = (),
    team: Iterable[str] = (),
) -> Named:
    competitors = {c.id: Competitor.from_domain(c) for c in deal.competitors}
    reps = {r.id: CompetitorRep.from_domain(r) for r in deal.reps}
    return Named(await load_refs(info, graph, people=people, team=team), competitors, reps)


# --- Scorecard (item 19) -----------------------------------------------------------------------
@strawberry.type
class CompetitorScore:
    competitor: Competitor
    score: int


@strawberry.type
class Care:
    stakeholder: Stakeholder
    weight: int = strawberry.field(description="How much they care, 1..5.")


@strawberry.type(description="One row of the matrix: its weight, our score, the competitors' scores, who cares.")
class ScorecardCriterion:
    row: strawberry.Private[deals.Criterion]
    known: strawberry.Private[Named]
    name: str
    weight: float
    our_score: int

    @strawberry.field(description="By competitor name; `competitorScoreCount` counts them all.")
    def competitor_scores(self, first: First = DEFAULT_FIRST) -> list[CompetitorScore]:
        competitors = self.known.competitors
        scores = sorted(self.row.competitor_scores, key=lambda s: (competitors[s.competitor].name, s.competitor))
        return [CompetitorScore(competitor=competitors[s.competitor], score=s.score) for s in first_of(scores, first)]

    @strawberry.field
    def competitor_score_count(self) -> int:
        return len(self.row.competitor_scores)

    @strawberry.field(description="Who cares, by weight desc, then name; `careCount` counts them all.")
    def cares(self, first: First = DEFAULT_FIRST) -> list[Care]:
        people = self.known.refs.people
        cares = sorted(self.row.cares, key=lambda c: (-c.weight, people[c.stakeholder].name, c.stakeholder))
        return [Care(stakeholder=people[c.stakeholder], weight=c.weight) for c in first_of(cares, first)]

    @strawberry.field
    def care_count(self) -> int:
        return len(self.row.cares)


@strawberry.type(description="A supplier's weighted total; `competitor` null: us.")
class SupplierTotal:
    competitor: Competitor | None
    total: float
    unscored: list[str] = strawberry.field(description="Criteria with no score for this supplier, in matrix order.")
    reason: str


@strawberry.type
class CompetitorAhead:
    competitor: Competitor
    score: int
    gap: int = strawberry.field(description="Their score minus ours.")


@strawberry.type
class CaringMember:
    stakeholder: Stakeholder
    care: int
    influence: int = strawberry.field(description="As rated; unrated counts as 1.")
    favours: list[Competitor] = strawberry.field(description="The competitors they favour, by name.")


@strawberry.type(description="A criterion where a competitor scores higher than us.")
class LostCriterion:
    row: strawberry.Private[deals.LostCriterion]
    known: strawberry.Private[Named]
    criterion: str
    weight: float
    our_score: int
    gap: int = strawberry.field(description="The largest gap to a competitor ahead of us.")
    reason: str

    @strawberry.field(description="Best score first, then name; `aheadCount` counts them all.")
    def ahead(self, first: First = DEFAULT_FIRST) -> list[CompetitorAhead]:
        competitors = self.known.competitors
        return [
            CompetitorAhead(competitor=competitors[a.competitor], score=a.score, gap=a.gap)
            for a in first_of(self.row.ahead, first)
        ]

    @strawberry.field
    def ahead_count(self) -> int:
        return len(self.row.ahead)

    @strawberry.field(
        description="Buying-centre members who care, by care x influence desc, then name; "
        "`caringMemberCount` counts them all."
    )
    def caring_members(self, first: First = DEFAULT_FIRST) -> list[CaringMember]:
        people, competitors = self.known.refs.people, self.known.competitors
        return [
            CaringMember(
                stakeholder=people[c.stakeholder],
                care=c.care,
                influence=c.influence,
                favours=[competitors[f] for f in c.favours],
            )
            for c in first_of(self.row.caring_members, first)
        ]

    @strawberry.field
    def caring_member_count(self) -> int:
        return len(self.row.caring_members)


@strawberry.type(description="The 项目评估矩阵 and what it says: weighted totals and the criteria we lose.")
class Scorecard:
    card: strawberry.Private[deals.Scorecard]
    analysis: strawberry.Private[deals.ScorecardAnalysis]
    known: strawberry.Private[Named]

    @strawberry.field(description="The matrix, in its order; `criterionCount` counts the criteria.")
    def criteria(self, first: First = DEFAULT_FIRST) -> list[ScorecardCriterion]:
        return [
            ScorecardCriterion(row=c, known=self.known, name=c.name, weight=c.weight, our_score=c.our_score)
            for c in first_of(self.card.criteria, first)
        ]

    @strawberry.field
    def criterion_count(self) -> int:
        return len(self.card.criteria)

    @strawberry.field(
        description="Us and each competitor involved, by weighted total desc (us first on a tie, then by name); "
        "`totalCount` counts them all."
    )
    def totals(self, first: First = DEFAULT_FIRST) -> list[SupplierTotal]:
        competitors = self.known.competitors
        return [
            SupplierTotal(
                competitor=None if t.competitor is None else competitors[t.competitor],
                total=t.total,
                unscored=list(t.unscored),
                reason=t.reason,
            )
            for t in first_of(self.analysis.totals, first)
        ]

    @strawberry.field
    def total_count(self) -> int:
        return len(self.analysis.totals)

    @strawberry.field(
        description="Criteria where a competitor scores higher than us, by weight x gap desc, then matrix order; "
        "`lostCriterionCount` counts them all."
    )
    def lost_criteria(self, first: First = DEFAULT_FIRST) -> list[LostCriterion]:
        return [
            LostCriterion(
                row=r,
                known=self.known,
                criterion=r.criterion,
                weight=r.weight,
                our_score=r.our_score,
                gap=r.gap,
                reason=r.reason,
            )
            for r in first_of(self.analysis.lost_criteria, first)
        ]

    @strawberry.field
    def lost_criterion_count(self) -> int:
        return len(self.analysis.lost_criteria)


async def scorecard_of(
    info: strawberry.Info[Context], graph: AccountGraph, deal: deals.DealSnapshot
) -> Scorecard | None:
    card = deal.deal.scorecard
    if card is None:
        return None
    analysis = await computed(info, "scorecard", graph, deals.scorecard, deal)
    people = [x.stakeholder for c in card.criteria for x in c.cares]
    people += [m.stakeholder for row in analysis.lost_criteria for m in row.caring_members]
    return Scorecard(card=card, analysis=analysis, known=await named(info, graph, deal, people=people))


# --- Qualification (item 20) -------------------------------------------------------------------
@strawberry.type
class QualificationCheckResult:
    row: strawberry.Private[deals.CheckResult]
    known: strawberry.Private[Named]
    check: QualificationCheck
    met: bool
    reason: str

    @strawberry.field(
        description="NOT_OPPOSED: the opposing decision-chain members, by name; `stakeholderCount` counts them all."
    )
    def stakeholders(self, first: First = DEFAULT_FIRST) -> list[Stakeholder]:
        return self.known.people(first_of(self.row.stakeholders, first))

    @strawberry.field
    def stakeholder_count(self) -> int:
        return len(self.row.stakeholders)


@strawberry.type(description="The burning issue or the UCV: recorded or not, qualified when every check is met.")
class QualificationPart:
    recorded: bool
    qualified: bool
    reason: str
    checks: list[QualificationCheckResult] = strawberry.field(description="Every check (three or four), in order.")


@strawberry.type
class StageGateResult:
    row: strawberry.Private[deals.GateResult]
    known: strawberry.Private[Named]
    stage: SalesStage = strawberry.field(description="The stage the gate belongs to.")
    gate: StageGate
    met: bool
    reason: str

    @strawberry.field(description="The people the verdict rests on, by name; `stakeholderCount` counts them all.")
    def stakeholders(self, first: First = DEFAULT_FIRST) -> list[Stakeholder]:
        return self.known.people(first_of(self.row.stakeholders, first))

    @strawberry.field
    def stakeholder_count(self) -> int:
        return len(self.row.stakeholders)


@strawberry.type(description="Is the deal qualified (B.I. and UCV), are our stage's gates met, are we in step?")
class Qualification:
    qualified: bool
    reason: str
    burning_issue: QualificationPart
    ucv: QualificationPart
    gates: list[StageGateResult] = strawberry.field(
        description="The gates of our current stage and of every earlier one (at most five), earliest first."
    )
    alignment: StageAlignment | None = strawberry.field(
        description="The customer's procurement step against our stage; null when the step is not recorded."
    )
    alignment_reason: str


def _part(part: deals.QualificationPart, known: Named) -> QualificationPart:
    return QualificationPart(
        recorded=part.recorded,
        qualified=part.qualified,
        reason=part.reason,
        checks=[
            QualificationCheckResult(row=c, known=known, check=c.check, met=c.met, reason=c.reason) for c in part.checks
        ],
    )


async def qualification_of(
    info: strawberry.Info[Context], graph: AccountGraph, deal: deals.DealSnapshot
) -> Qualification:
    result = await computed(info, "qualification", graph, deals.qualification, deal)
    people = [p for part in (result.burning_issue, result.ucv) for c in part.checks for p in c.stakeholders]
    people += [p for g in result.gates for p in g.stakeholders]
    known = await named(info, graph, deal, people=people)
    return Qualification(
        qualified=result.qualified,
        reason=result.reason,
        burning_issue=_part(result.burning_issue, known),
        ucv=_part(result.ucv, known),
        gates=[
            StageGateResult(row=g, known=known, stage=g.stage, gate=g.gate, met=g.met, reason=g.reason)
            for g in result.gates
        ],
        alignment=result.alignment,
        alignment_reason=result.alignment_reason,
    )


# --- Competitor threats (item 21) --------------------------------------------------------------
@strawberry.type(description="A buying-centre member a competitor is working on, and who can win them back.")
class CompetitorThreat:
    row: strawberry.Private[deals.CompetitorThreat]
    known: strawberry.Private[Named]
    leverage: float
    contact_strength: int = strawberry.field(
        description="The strongest rep contact with them (unrated counts as 1); 0 when no rep meets them."
    )
    converter_strength: float
    converter_hops: int
    reason: str

    @strawberry.field
    def stakeholder(self) -> Stakeholder:
        return self.known.refs.people[self.row.stakeholder]

    @strawberry.field(description="The competitors they favour, by name; `favourCount` counts them all.")
    def favours(self, first: First = DEFAULT_FIRST) -> list[Favour]:
        competitors = self.known.competitors
        return [Favour.from_domain(f, competitors[f.competitor]) for f in first_of(self.row.favours, first)]

    @strawberry.field
    def favour_count(self) -> int:
        return len(self.row.favours)

    @strawberry.field(
        description="Every rep contact with them: strength desc, visits desc, then rep name; "
        "`contactCount` counts them all."
    )
    def contacts(self, first: First = DEFAULT_FIRST) -> list[RepContact]:
        reps = self.known.reps
        return [RepContact.from_domain(c, reps[c.rep]) for c in first_of(self.row.contacts, first)]

    @strawberry.field
    def contact_count(self) -> int:
        return len(self.row.contacts)

    @strawberry.field(description="The competitors behind the threat, by name; `competitorCount` counts them all.")
    def competitors(self, first: First = DEFAULT_FIRST) -> list[Competitor]:
        return [self.known.competitors[c] for c in first_of(self.row.competitors, first)]

    @strawberry.field
    def competitor_count(self) -> int:
        return len(self.row.competitors)

    @strawberry.field(description="Our best converter (rule 3): a supporter, or a team member who covers them.")
    def converter(self) -> Converter | None:
        converter = self.row.converter
        return None if converter is None else self.known.refs.node(converter)  # type: ignore[return-value]

    @strawberry.field(description="From the converter to them, both included (at most `maxHops` + 1).")
    def path(self) -> list[Node]:
        return self.known.refs.nodes(self.row.path)


async def threats_of(
    info: strawberry.Info[Context], graph: AccountGraph, deal: deals.DealSnapshot, rows: list[deals.CompetitorThreat]
) -> list[CompetitorThreat]:
    nodes = [n for r in rows for n in (*r.path, *([r.converter] if r.converter else []))]
    people = [r.stakeholder for r in rows] + [n.id for n in nodes if n.kind is NodeKind.STAKEHOLDER]
    team = [n.id for n in nodes if n.kind is NodeKind.TEAM_MEMBER]
    known = await named(info, graph, deal, people=people, team=team)
    return [
        CompetitorThreat(
            row=r,
            known=known,
            leverage=r.leverage,
            contact_strength=r.contact_strength,
            converter_strength=r.converter_strength,
            converter_hops=r.converter_hops,
            reason=r.reason,
        )
        for r in rows
    ]


# --- Information completeness (item 22) --------------------------------------------------------
@strawberry.type
class InformationCheck:
    row: strawberry.Private[deals.InformationCheck]
    known: strawberry.Private[Named]
    level: int = strawberry.field(description="2 or 3 (三级信息).")
    item: InformationItem
    met: bool
    reason: str

    @strawberry.field(description="The people the item is about, by name; `stakeholderCount` counts them all.")
    def stakeholders(self, first: First = DEFAULT_FIRST) -> list[Stakeholder]:
        return self.known.people(first_of(self.row.stakeholders, first))

    @strawberry.field
    def stakeholder_count(self) -> int:
        return len(self.row.stakeholders)


@strawberry.type(description="How much of what the deal needs we know: level 2 and level 3 items (三级信息).")
class InformationCompleteness:
    result: strawberry.Private[deals.InformationCompleteness]
    known: strawberry.Private[Named]
    score: float = strawberry.field(description="Items met / items applicable, both levels.")
    level2_met: int
    level2_applicable: int
    level2_score: float | None
    level3_met: int
    level3_applicable: int
    level3_score: float | None = strawberry.field(description="Null when no level-3 item applies.")
    cadence_days: int = strawberry.field(description="The interval key-person interactions are checked against.")

    def _checks(self, rows: Iterable[deals.InformationCheck], first: int | None) -> list[InformationCheck]:
        return [
            InformationCheck(row=c, known=self.known, level=c.level, item=c.item, met=c.met, reason=c.reason)
            for c in first_of(list(rows), first)
        ]

    @strawberry.field(
        description="Every applicable item: by level, then item, then person name; `checkCount` counts them all."
    )
    def checks(self, first: First = DEFAULT_FIRST) -> list[InformationCheck]:
        return self._checks(self.result.checks, first)

    @strawberry.field
    def check_count(self) -> int:
        return len(self.result.checks)

    @strawberry.field(description="The items not met, in the same order; `missingCount` counts them all.")
    def missing(self, first: First = DEFAULT_FIRST) -> list[InformationCheck]:
        return self._checks(self.result.missing, first)

    @strawberry.field
    def missing_count(self) -> int:
        return len(self.result.missing)


async def completeness_of(
    info: strawberry.Info[Context], graph: AccountGraph, deal: deals.DealSnapshot, result: deals.InformationCompleteness
) -> InformationCompleteness:
    known = await named(info, graph, deal, people=[p for c in result.checks for p in c.stakeholders])
    return InformationCompleteness(
        result=result,
        known=known,
        score=result.score,
        level2_met=result.level_2.met,
        level2_applicable=result.level_2.applicable,
        level2_score=result.level_2.score,
        level3_met=result.level_3.met,
        level3_applicable=result.level_3.applicable,
        level3_score=result.level_3.score,
        cadence_days=result.cadence_days,
    )
