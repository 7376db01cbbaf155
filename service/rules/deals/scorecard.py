"""Item 19: the weighted scorecard (项目评估矩阵), and the criteria we lose with the people who care."""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.analytics.describe import label, rating
from service.rules.analytics.ordering import SortKey, tolerant_sorted
from service.rules.analytics.weights import influence_of
from service.rules.deals.context import DealContext, deal_context
from service.rules.deals.exact import weighted_sum
from service.rules.deals.model import Criterion, DealSnapshot


@dataclass(frozen=True, slots=True)
class SupplierTotal:
    competitor: str | None
    """None: us."""
    total: float
    """Sum of weight x score over the criteria this supplier is scored on."""
    unscored: tuple[str, ...]
    """Criteria with no score for this supplier, in scorecard order."""
    reason: str


@dataclass(frozen=True, slots=True)
class CompetitorAhead:
    competitor: str
    score: int
    gap: int
    """Their score minus ours."""


@dataclass(frozen=True, slots=True)
class CaringMember:
    stakeholder: str
    care: int
    influence: int
    """As rated; unrated counts as 1."""
    favours: tuple[str, ...]
    """Competitors they favour, by name."""


@dataclass(frozen=True, slots=True)
class LostCriterion:
    criterion: str
    weight: float
    our_score: int
    gap: int
    """The largest gap to a competitor ahead of us."""
    ahead: tuple[CompetitorAhead, ...]
    """Best score first, then competitor name."""
    caring_members: tuple[CaringMember, ...]
    """Buying-centre members who care, by care x influence desc, then name."""
    reason: str


@dataclass(frozen=True, slots=True)
class ScorecardAnalysis:
    totals: tuple[SupplierTotal, ...]
    """Us and each involved competitor, by total desc; on equal totals us first, then by name."""
    lost_criteria: tuple[LostCriterion, ...]
    """Criteria where an involved competitor scores higher than us: weight x gap desc, then scorecard order."""


def scorecard(graph: AccountGraph, snapshot: DealSnapshot) -> ScorecardAnalysis:
    """Empty when the deal has no scorecard."""
    context = deal_context(graph, snapshot)
    card = snapshot.deal.scorecard
    if card is None:
        return ScorecardAnalysis((), ())
    criteria = card.criteria
    totals = [_total(context, criteria, None), *(_total(context, criteria, c) for c in context.involved)]
    lost = [row for position, criterion in enumerate(criteria) if (row := _lost(context, criterion, position))]
    return ScorecardAnalysis(
        totals=tuple(tolerant_sorted(totals, key=lambda row: _total_rank(context, row))),
        lost_criteria=tuple(row for _, row in tolerant_sorted(lost, key=lambda pair: pair[0])),
    )


def score_of(criterion: Criterion, competitor: str | None) -> int | None:
    """Our score (None) or the competitor's; None when they are not scored on it."""
    if competitor is None:
        return criterion.our_score
    return next((s.score for s in criterion.competitor_scores if s.competitor == competitor), None)


def _total(context: DealContext, criteria: tuple[Criterion, ...], competitor: str | None) -> SupplierTotal:
    scored = [(c.weight, score) for c in criteria if (score := score_of(c, competitor)) is not None]
    unscored = tuple(c.name for c in criteria if score_of(c, competitor) is None)
    total = weighted_sum(scored)
    return SupplierTotal(competitor, total, unscored, _total_reason(context, competitor, total, unscored))


def _total_rank(context: DealContext, row: SupplierTotal) -> SortKey:
    if row.competitor is None:
        return (-row.total, 0, "", "")
    return (-row.total, 1, context.competitor_name(row.competitor), row.competitor)


def _total_reason(context: DealContext, competitor: str | None, total: float, unscored: tuple[str, ...]) -> str:
    who = "Us" if competitor is None else _supplier(context, competitor)
    text = f"{who}: weighted total {total:g}"
    return f"{text}; not scored on {', '.join(unscored)}." if unscored else f"{text}."


def _supplier(context: DealContext, competitor: str) -> str:
    found = context.competitors[competitor]
    notes = [found.origin] if found.origin else []
    if competitor in context.incumbents:
        notes.append("incumbent")
    return f"{found.name} ({', '.join(notes)})" if notes else found.name


def _lost(context: DealContext, criterion: Criterion, position: int) -> tuple[SortKey, LostCriterion] | None:
    ahead = _ahead(context, criterion)
    if not ahead:
        return None
    gap = ahead[0].gap
    carers = _caring_members(context, criterion)
    row = LostCriterion(
        criterion.name,
        criterion.weight,
        criterion.our_score,
        gap,
        ahead,
        carers,
        _lost_reason(context, criterion, ahead, carers),
    )
    return (-weighted_sum([(criterion.weight, gap)]), position), row


def _ahead(context: DealContext, criterion: Criterion) -> tuple[CompetitorAhead, ...]:
    rows = []
    for competitor in context.involved:
        score = score_of(criterion, competitor)
        if score is not None and score > criterion.our_score:
            rows.append(CompetitorAhead(competitor, score, score - criterion.our_score))
    rows.sort(key=lambda row: (-row.score, context.competitor_name(row.competitor), row.competitor))
    return tuple(rows)


def _caring_members(context: DealContext, criterion: Criterion) -> tuple[CaringMember, ...]:
    care_of: dict[str, int] = {}
    for care in criterion.cares:
        if care.stakeholder in context.members:
            care_of[care.stakeholder] = max(care.weight, care_of.get(care.stakeholder, 0))
    rows = [_caring(context, person_id, care) for person_id, care in care_of.items()]
    people = context.view.people
    rows.sort(key=lambda r: (-r.care * r.influence, people[r.stakeholder].name, r.stakeholder))
    return tuple(rows)


def _caring(context: DealContext, person_id: str, care: int) -> CaringMember:
    favoured = {favour.competitor for favour in context.favours_of.get(person_id, ())}
    by_name = sorted(favoured, key=lambda competitor: (context.competitor_name(competitor), competitor))
    return CaringMember(person_id, care, influence_of(context.view.people[person_id]), tuple(by_name))


def _lost_reason(
    context: DealContext, criterion: Criterion, ahead: tuple[CompetitorAhead, ...], carers: tuple[CaringMember, ...]
) -> str:
    rivals = ", ".join(f"{context.competitor_name(a.competitor)} {a.score}" for a in ahead)
    text = f"{criterion.name} (weight {criterion.weight:g}): we score {criterion.our_score}, behind {rivals}."
    if not carers:
        return f"{text} Nobody in the buying centre is recorded as caring about it."
    return f"{text} Who cares: {'; '.join(_carer_text(context, c) for c in carers)}."


def _carer_text(context: DealContext, carer: CaringMember) -> str:
    text = f"{label(context.view, carer.stakeholder)}, care {rating(carer.care)}, influence {rating(carer.influence)}"
    if carer.favours:
        return f"{text}, favours {', '.join(context.competitor_name(c) for c in carer.favours)}"
    return text
