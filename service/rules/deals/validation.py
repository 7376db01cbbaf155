"""Checks on deal input as data (`Problem`s with input-relative paths), never raising.

Each function serves one mutation (named in its docstring) and the import's deal section.
References are checked against the ids the caller knows (internal ids for a mutation, the
document's external ids for an import); `None` skips that reference check.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Hashable, Sequence
from decimal import Decimal
from typing import TypeVar

from service.rules.deals.exact import as_written
from service.rules.deals.model import (
    BurningIssue,
    BuyingCentreMember,
    Care,
    Competitor,
    CompetitorRep,
    CompetitorScore,
    Criterion,
    Favour,
    Involvement,
    Opportunity,
    RepContact,
    Scorecard,
    Ucv,
)
from service.rules.deals.policy import CARE_RANGE, PROCUREMENT_STEPS, SCORE_RANGE, WEIGHT_SUM_TOLERANCE
from service.rules.enums import ErrorCode
from service.rules.validation import (
    MAX_NAME_LENGTH,
    STRENGTH_RANGE,
    Problem,
    in_range,
    optional_text,
    required_text,
)

T = TypeVar("T")
Path = tuple[str, ...]

MAX_ESTIMATED_VALUE = Decimal(10) ** 15
CURRENCY = re.compile(r"[A-Z]{3}")
MAX_VISITS_PER_MONTH = 100.0
TYPICAL_MINUTES_RANGE = range(1, 24 * 60 + 1)
MAX_TOPICS = 20
MAX_CRITERIA = 50
MAX_BUYING_CENTRE = 500
MAX_PER_CRITERION = 500
"""Competitor scores or cares on one criterion."""


# --- Opportunities (opportunityCreate, opportunityUpdate) --------------------------------------
def validate_opportunity(opportunity: Opportunity, stakeholders: Collection[str] | None = None) -> list[Problem]:
    """A whole opportunity: what `opportunityCreate` makes, or the stored one with an update applied.
    `stakeholders`: the account's, for the burning issue's owner."""
    problems = [
        *required_text(opportunity.name, ("name",), "name"),
        *_estimated_value(opportunity),
        *in_range(opportunity.procurement_step, PROCUREMENT_STEPS, ("procurementStep",), "procurementStep"),
    ]
    if opportunity.burning_issue is not None:
        problems += _under("burningIssue", validate_burning_issue(opportunity.burning_issue, stakeholders))
    if opportunity.ucv is not None:
        problems += _under("ucv", validate_ucv(opportunity.ucv))
    return problems


def _estimated_value(opportunity: Opportunity) -> list[Problem]:
    value, currency = opportunity.estimated_value, opportunity.currency
    problems = []
    if value is not None and not (value.is_finite() and 0 <= value < MAX_ESTIMATED_VALUE):
        problems.append(
            Problem(("estimatedValue",), f"estimatedValue must be at least 0 and below 10^15, got {value}.")
        )
    if currency is not None and not CURRENCY.fullmatch(currency):
        problems.append(Problem(("currency",), f"currency must be an ISO 4217 code such as CNY, got {currency!r}."))
    elif value is not None and currency is None:
        problems.append(Problem(("currency",), "currency is required with an estimatedValue."))
    return problems


def validate_burning_issue(issue: BurningIssue, stakeholders: Collection[str] | None = None) -> list[Problem]:
    problems = required_text(issue.text, ("text",), "text", 10_000)
    if issue.owner is not None:
        problems += _reference(issue.owner, stakeholders, ("owner",), "stakeholder")
    return problems


def validate_ucv(ucv: Ucv) -> list[Problem]:
    return [
        *required_text(ucv.text, ("text",), "text", 10_000),
        *optional_text(ucv.metric, ("metric",), "metric", MAX_NAME_LENGTH),
    ]


# --- Buying centre (buyingCentreMemberSet) -----------------------------------------------------
def validate_buying_centre_member(
    member: BuyingCentreMember, stakeholders: Collection[str] | None = None
) -> list[Problem]:
    """`stakeholders`: the account's active stakeholders."""
    return _reference(member.stakeholder, stakeholders, ("stakeholder",), "stakeholder")


def validate_buying_centre(
    members: Sequence[BuyingCentreMember], stakeholders: Collection[str] | None = None
) -> list[Problem]:
    """A whole buying centre (the import): each stakeholder once."""
    if len(members) > MAX_BUYING_CENTRE:
        return [_too_many((), len(members), MAX_BUYING_CENTRE, "buying-centre members")]
    return [
        *_duplicates([m.stakeholder for m in members], "stakeholder"),
        *_each(members, lambda m: validate_buying_centre_member(m, stakeholders)),
    ]


# --- Competitors (competitorCreate, competitorRepCreate, competitorContactSet, ...) -------------
def validate_competitor(competitor: Competitor) -> list[Problem]:
    return [
        *required_text(competitor.name, ("name",), "name"),
        *optional_text(competitor.origin, ("origin",), "origin", MAX_NAME_LENGTH),
    ]


def validate_competitor_rep(rep: CompetitorRep, competitors: Collection[str] | None = None) -> list[Problem]:
    return [
        *required_text(rep.name, ("name",), "name"),
        *_reference(rep.competitor, competitors, ("competitor",), "competitor"),
    ]


def validate_involvements(
    involvements: Sequence[Involvement], competitors: Collection[str] | None = None
) -> list[Problem]:
    """The competitors of an opportunity (`opportunityCreate`/`opportunityUpdate` `competitors`)."""
    return [
        *_duplicates([i.competitor for i in involvements], "competitor"),
        *_each(involvements, lambda i: _reference(i.competitor, competitors, ("competitor",), "competitor")),
    ]


def validate_rep_contact(
    contact: RepContact, reps: Collection[str] | None = None, stakeholders: Collection[str] | None = None
) -> list[Problem]:
    """`competitorContactSet`."""
    problems = [
        *_reference(contact.rep, reps, ("rep",), "competitor rep"),
        *_reference(contact.stakeholder, stakeholders, ("stakeholder",), "stakeholder"),
        *in_range(contact.typical_minutes, TYPICAL_MINUTES_RANGE, ("typicalMinutes",), "typicalMinutes"),
        *optional_text(contact.form, ("form",), "form", MAX_NAME_LENGTH),
        *in_range(contact.strength, STRENGTH_RANGE, ("strength",), "strength"),
        *_topics(contact.topics),
    ]
    visits = contact.visits_per_month
    if visits is not None and not (math.isfinite(visits) and 0 <= visits <= MAX_VISITS_PER_MONTH):
        message = f"visitsPerMonth must be between 0 and {MAX_VISITS_PER_MONTH:g}, got {visits}."
        problems.insert(2, Problem(("visitsPerMonth",), message))
    return problems


def _topics(topics: Sequence[str]) -> list[Problem]:
    if len(topics) > MAX_TOPICS:
        return [_too_many(("topics",), len(topics), MAX_TOPICS, "topics")]
    return [p for i, topic in enumerate(topics) for p in required_text(topic, ("topics", str(i)), "a topic")]


def validate_favour(
    favour: Favour, competitors: Collection[str] | None = None, stakeholders: Collection[str] | None = None
) -> list[Problem]:
    """`stakeholderFavourSet`."""
    return [
        *_reference(favour.stakeholder, stakeholders, ("stakeholder",), "stakeholder"),
        *_reference(favour.competitor, competitors, ("competitor",), "competitor"),
        *optional_text(favour.note, ("note",), "note"),
    ]


# --- Scorecard (scorecardSet) ------------------------------------------------------------------
def validate_scorecard(
    scorecard: Scorecard, involved: Collection[str] | None = None, stakeholders: Collection[str] | None = None
) -> list[Problem]:
    """`involved`: the competitors of the opportunity; `stakeholders`: the account's."""
    criteria = scorecard.criteria
    if not criteria:
        return [Problem(("criteria",), "a scorecard needs at least one criterion.")]
    if len(criteria) > MAX_CRITERIA:
        return [_too_many(("criteria",), len(criteria), MAX_CRITERIA, "criteria")]
    problems = [
        *_duplicates([c.name.strip() for c in criteria], "name"),
        *_each(criteria, lambda c: _criterion(c, involved, stakeholders)),
    ]
    problems = [p.under("criteria") for p in problems]
    if all(not _weight(c.weight) for c in criteria):
        problems += _weight_sum(criteria)
    return problems


def _criterion(
    criterion: Criterion, involved: Collection[str] | None, stakeholders: Collection[str] | None
) -> list[Problem]:
    problems = [
        *required_text(criterion.name, ("name",), "name"),
        *_weight(criterion.weight),
        *in_range(criterion.our_score, SCORE_RANGE, ("ourScore",), "ourScore"),
    ]
    scores, cares = criterion.competitor_scores, criterion.cares
    if len(scores) > MAX_PER_CRITERION or len(cares) > MAX_PER_CRITERION:
        return [*problems, _too_many((), max(len(scores), len(cares)), MAX_PER_CRITERION, "scores or cares")]
    problems += _under(
        "competitorScores",
        [*_duplicates([s.competitor for s in scores], "competitor"), *_each(scores, lambda s: _score(s, involved))],
    )
    problems += _under(
        "cares",
        [*_duplicates([c.stakeholder for c in cares], "stakeholder"), *_each(cares, lambda c: _care(c, stakeholders))],
    )
    return problems


def _weight(weight: float) -> list[Problem]:
    if math.isfinite(weight) and 0 < weight <= 1:
        return []
    return [Problem(("weight",), f"weight must be above 0 and at most 1, got {weight}.")]


def _weight_sum(criteria: Sequence[Criterion]) -> list[Problem]:
    total = sum((as_written(c.weight) for c in criteria), Decimal(0))
    if abs(total - 1) <= Decimal(repr(WEIGHT_SUM_TOLERANCE)):
        return []
    return [Problem(("criteria",), f"the criteria's weights must sum to 1, got {total}.")]


def _score(score: CompetitorScore, involved: Collection[str] | None) -> list[Problem]:
    problems = in_range(score.score, SCORE_RANGE, ("score",), "score")
    if involved is not None and score.competitor not in involved:
        message = (
            f"competitor {score.competitor!r} is not involved in this opportunity; add it to its competitors first."
        )
        problems.insert(0, Problem(("competitor",), message, ErrorCode.NOT_FOUND))
    return problems


def _care(care: Care, stakeholders: Collection[str] | None) -> list[Problem]:
    return [
        *_reference(care.stakeholder, stakeholders, ("stakeholder",), "stakeholder"),
        *in_range(care.weight, CARE_RANGE, ("weight",), "weight"),
    ]


# --- Shared ------------------------------------------------------------------------------------
def _reference(key: str, known: Collection[str] | None, path: Path, what: str) -> list[Problem]:
    if known is None or key in known:
        return []
    return [Problem(path, f"no {what} with id {key!r}.", ErrorCode.NOT_FOUND)]


def _each(items: Sequence[T], check: Callable[[T], list[Problem]]) -> list[Problem]:
    return [problem.under(str(index)) for index, item in enumerate(items) for problem in check(item)]


def _duplicates(keys: Sequence[Hashable], field: str) -> list[Problem]:
    """Items are addressed by index; each repeat names the first."""
    seen: dict[Hashable, int] = {}
    problems = []
    for index, key in enumerate(keys):
        if key in seen:
            message = f"duplicates item {seen[key]}; each {field} may appear once."
            problems.append(Problem((str(index), field), message, ErrorCode.CONFLICT))
        else:
            seen[key] = index
    return problems


def _under(prefix: str, problems: list[Problem]) -> list[Problem]:
    return [problem.under(prefix) for problem in problems]


def _too_many(path: Path, size: int, limit: int, what: str) -> Problem:
    return Problem(path, f"at most {limit} {what}, got {size}.", ErrorCode.LIMIT_EXCEEDED)
