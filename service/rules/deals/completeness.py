"""Item 22: 三级信息, how much of what a deal needs we know, level 2 and level 3 apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from service.rules.account_graph import AccountGraph
from service.rules.analytics.key_people import as_utc, is_stale, key_person_grounds
from service.rules.deals.cadence import cadence_days
from service.rules.deals.context import DealContext, deal_context
from service.rules.deals.enums import InformationItem
from service.rules.deals.model import DealSnapshot
from service.rules.deals.people import names
from service.rules.deals.policy import PROCUREMENT_STEP_NAMES
from service.rules.enums import BuyerType, BuyingRole

LEVEL_2 = 2
LEVEL_3 = 3
_DECIDING_ROLES = frozenset({BuyingRole.DECISION_MAKER, BuyingRole.APPROVER})


@dataclass(frozen=True, slots=True)
class InformationCheck:
    level: int
    item: InformationItem
    met: bool
    stakeholders: tuple[str, ...]
    """Per-person items: that person; DECISION_MAKER_CONTACT: the decision makers reachable (met) or
    not (missing); KEY_PERSON_INTERACTIONS: the key persons not met within the cadence."""
    reason: str


@dataclass(frozen=True, slots=True)
class LevelScore:
    met: int
    applicable: int

    @property
    def score(self) -> float | None:
        """met / applicable; None when nothing applies."""
        return self.met / self.applicable if self.applicable else None


@dataclass(frozen=True, slots=True)
class InformationCompleteness:
    level_2: LevelScore
    level_3: LevelScore
    checks: tuple[InformationCheck, ...]
    """Every applicable item: by level, then `InformationItem` order, then person name."""
    cadence_days: int
    """The interval the key-person interactions are checked against."""

    @property
    def score(self) -> float:
        """Items met / items applicable over both levels (level 2 always has five)."""
        return (self.level_2.met + self.level_3.met) / (self.level_2.applicable + self.level_3.applicable)

    @property
    def missing(self) -> tuple[InformationCheck, ...]:
        return tuple(check for check in self.checks if not check.met)


def information_completeness(
    graph: AccountGraph, snapshot: DealSnapshot, as_of: datetime | None = None
) -> InformationCompleteness:
    """`as_of` (default now; naive is UTC) bounds the key-person interaction window."""
    context = deal_context(graph, snapshot)
    moment = as_utc(as_of) if as_of is not None else datetime.now(UTC)
    cadence = cadence_days(snapshot.account_tier, snapshot.portfolio_class)
    level_2 = [check(context) for check in _LEVEL_2_CHECKS]
    level_3 = [*_person_checks(context), *_relation_checks(context), *_interaction_checks(context, moment, cadence)]
    checks = (*level_2, *level_3)  # each list is built in the documented order
    return InformationCompleteness(_level_score(level_2), _level_score(level_3), checks, cadence)


def _level_score(checks: list[InformationCheck]) -> LevelScore:
    return LevelScore(sum(1 for check in checks if check.met), len(checks))


def _check(
    level: int, item: InformationItem, met: bool, reason: str, stakeholders: list[str] | None = None
) -> InformationCheck:
    return InformationCheck(level, item, met, tuple(stakeholders or ()), reason)


# --- Level 2 -----------------------------------------------------------------------------------
def _budget(context: DealContext) -> InformationCheck:
    opportunity = context.snapshot.opportunity
    if opportunity.estimated_value is None:
        return _check(LEVEL_2, InformationItem.BUDGET_KNOWN, False, "No budget (estimated value) recorded.")
    value = f"{opportunity.estimated_value:,} {opportunity.currency or ''}".rstrip()
    return _check(LEVEL_2, InformationItem.BUDGET_KNOWN, True, f"Budget: {value}.")


def _close_date(context: DealContext) -> InformationCheck:
    close = context.snapshot.opportunity.expected_close_date
    if close is None:
        return _check(LEVEL_2, InformationItem.CLOSE_DATE, False, "No expected close date.")
    return _check(LEVEL_2, InformationItem.CLOSE_DATE, True, f"Expected close: {close.isoformat()}.")


def _decision_maker_contact(context: DealContext) -> InformationCheck:
    deciders = [p for p in context.view.decision_makers if p in context.members]
    reachable = [p for p in deciders if _has(context, p, "phone") or _has(context, p, "email")]
    item = InformationItem.DECISION_MAKER_CONTACT
    if reachable:
        return _check(
            LEVEL_2, item, True, f"Decision maker with phone or email: {names(context, reachable)}.", reachable
        )
    if deciders:
        return _check(
            LEVEL_2, item, False, f"No phone or email for the decision maker {names(context, deciders)}.", deciders
        )
    return _check(LEVEL_2, item, False, "No decision maker in the buying centre.")


def _procurement_step(context: DealContext) -> InformationCheck:
    step = context.snapshot.opportunity.procurement_step
    if step is None:
        return _check(LEVEL_2, InformationItem.PROCUREMENT_STEP, False, "The customer's procurement step is not set.")
    reason = f"Procurement step {step} ({PROCUREMENT_STEP_NAMES[step - 1]})."
    return _check(LEVEL_2, InformationItem.PROCUREMENT_STEP, True, reason)


def _competitor_recorded(context: DealContext) -> InformationCheck:
    if not context.involved:
        return _check(LEVEL_2, InformationItem.COMPETITOR_RECORDED, False, "No competitor recorded for the deal.")
    reason = f"Competitors: {', '.join(context.competitor_name(c) for c in context.involved)}."
    return _check(LEVEL_2, InformationItem.COMPETITOR_RECORDED, True, reason)


_LEVEL_2_CHECKS: tuple[Callable[[DealContext], InformationCheck], ...] = (
    _budget,
    _close_date,
    _decision_maker_contact,
    _procurement_step,
    _competitor_recorded,
)


# --- Level 3 -----------------------------------------------------------------------------------
def _has(context: DealContext, person_id: str, field: str) -> bool:
    record = context.graph.records.get(person_id)
    value = getattr(record, field, None) if record is not None else None
    return bool(value and value.strip())


def _deciders(context: DealContext) -> list[str]:
    """Members holding DECISION_MAKER or APPROVER in the deal, by name."""
    people = context.view.people
    return [p for p in context.sorted_members() if people[p].buying_roles & _DECIDING_ROLES]


def _person_checks(context: DealContext) -> list[InformationCheck]:
    """Notes, then a phone, for each decision maker, approver and technical buyer."""
    people = context.view.people
    subjects = [
        p
        for p in context.sorted_members()
        if people[p].buying_roles & _DECIDING_ROLES or BuyerType.TECHNICAL in people[p].buyer_types
    ]
    notes = [
        _person_check(context, p, InformationItem.BACKGROUND_NOTES, "notes", "background and interests")
        for p in subjects
    ]
    phones = [_person_check(context, p, InformationItem.PHONE, "phone", "phone") for p in subjects]
    return notes + phones


def _person_check(
    context: DealContext, person_id: str, item: InformationItem, field: str, what: str
) -> InformationCheck:
    met = _has(context, person_id, field)
    reason = f"{names(context, [person_id])}: {what} {'recorded' if met else 'missing'}."
    return _check(LEVEL_3, item, met, reason, [person_id])


def _relation_checks(context: DealContext) -> list[InformationCheck]:
    checks = []
    deciders = _deciders(context)
    if len(deciders) >= 2:
        related = _related(context, set(deciders))
        reason = (
            f"A link or tie among the decision makers and approvers ({names(context, deciders)})."
            if related
            else f"No link or tie known among the decision makers and approvers {names(context, deciders)}."
        )
        checks.append(_check(LEVEL_3, InformationItem.DECISION_MAKER_RELATIONS, related, reason))
    if context.involved:
        worked = [p for p in context.sorted_members() if p in context.contacts_of or p in context.favours_of]
        reason = (
            f"Competitor relations recorded for {names(context, worked)}."
            if worked
            else "No competitor rep contact or favour recorded for anyone in the buying centre."
        )
        checks.append(_check(LEVEL_3, InformationItem.COMPETITOR_RELATIONS, bool(worked), reason))
    return checks


def _related(context: DealContext, people: set[str]) -> bool:
    links = any(a in people and b in people for a, b in context.view.link_strength)
    return links or any(tie.a in people and tie.b in people for tie in context.view.ties)


def _interaction_checks(context: DealContext, as_of: datetime, cadence: int) -> list[InformationCheck]:
    view = context.view
    keys = [p for p in context.sorted_members() if key_person_grounds(view, view.people[p])]
    if not keys:
        return []
    unmet = [p for p in keys if is_stale(view.people[p], as_of, cadence)]
    item = InformationItem.KEY_PERSON_INTERACTIONS
    if unmet:
        reason = f"No interaction in the last {cadence} days with the key persons {names(context, unmet)}."
        return [_check(LEVEL_3, item, False, reason, unmet)]
    return [_check(LEVEL_3, item, True, f"Every key person met within the last {cadence} days.")]
