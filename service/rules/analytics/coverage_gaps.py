"""Item 7: coverage gaps, one row per finding, most severe first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from service.rules.account_graph import AccountGraph, Circle, Person
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.coach import coach_candidates_in
from service.rules.analytics.describe import label
from service.rules.analytics.key_people import as_utc, is_stale, key_person_grounds
from service.rules.analytics.leverage import leverage_in
from service.rules.analytics.ordering import SortKey, tolerant_sorted
from service.rules.analytics.policy import (
    CRITICAL_MISSING_ROLES,
    DEFAULT_MAX_HOPS,
    HOSTILE_STANCES,
    MIN_PERSON_SEVERITY,
    SEVERITY_CRITICAL,
    SEVERITY_STRUCTURAL,
    SINGLE_THREADED_MAX_COVERED,
    STALE_AFTER_DAYS,
    SUPPORTIVE_STANCES,
)
from service.rules.analytics.validation import validate_stale_after_days
from service.rules.enums import BuyerType, BuyingRole, GapKind, Stance

_KIND_ORDER = {kind: index for index, kind in enumerate(GapKind)}


@dataclass(frozen=True, slots=True)
class CoverageGap:
    kind: GapKind
    severity: float
    reason: str
    suggestion: str
    stakeholder: str | None = None
    role: BuyingRole | None = None
    buyer_type: BuyerType | None = None
    circle: str | None = None
    subject_name: str = ""
    """The stakeholder's or circle's name, the role or type value; "" for account-wide gaps."""


def coverage_gaps(
    graph: AccountGraph, stale_after_days: int = STALE_AFTER_DAYS, as_of: datetime | None = None
) -> list[CoverageGap]:
    """Every gap of DOMAIN.md item 7, by severity desc, then kind (GapKind order), then subject name.

    `as_of` defaults to now (UTC); naive datetimes are taken as UTC.
    """
    validate_stale_after_days(stale_after_days)
    view = active_view(graph)
    moment = as_utc(as_of) if as_of is not None else datetime.now(UTC)
    leverage = leverage_in(view, DEFAULT_MAX_HOPS)
    gaps = [
        *_person_gaps(view, leverage, moment, stale_after_days),
        *_missing_roles(view),
        *_missing_buyer_types(view),
        *_core_access_gaps(view),
        *_single_thread_gaps(view),
        *_coach_gaps(view, leverage),
    ]
    return tolerant_sorted(gaps, key=_rank)


def _rank(gap: CoverageGap) -> SortKey:
    subject_id = gap.stakeholder or gap.circle or ""
    return (-gap.severity, _KIND_ORDER[gap.kind], gap.subject_name, subject_id)


def _person_gaps(
    view: ActiveView, leverage: dict[str, float], as_of: datetime, stale_after_days: int
) -> list[CoverageGap]:
    gaps = []
    for person in view.people.values():
        grounds = key_person_grounds(view, person)
        if grounds:
            severity = max(leverage[person.id], MIN_PERSON_SEVERITY)
            who = f"{label(view, person.id)} is a key person ({', '.join(grounds)})"
            findings = _person_findings(person, who, as_of, stale_after_days, person.id in view.covered)
            gaps += [
                CoverageGap(kind, severity, reason, suggestion, stakeholder=person.id, subject_name=person.name)
                for kind, reason, suggestion in findings
            ]
    return gaps


def _person_findings(
    person: Person, who: str, as_of: datetime, stale_after_days: int, covered: bool
) -> list[tuple[GapKind, str, str]]:
    findings = []
    if not covered:
        findings.append(
            (
                GapKind.UNCOVERED_KEY_PERSON,
                f"{who} and nobody on our team covers them.",
                _cover_suggestion(person),
            )
        )
    elif is_stale(person, as_of, stale_after_days):
        findings.append(
            (
                GapKind.STALE_COVERAGE,
                f"{who}; {_last_contact(person)}, more than {stale_after_days} days before {as_of.date().isoformat()}.",
                f"Schedule a visit or call with {person.name} to keep the relationship warm.",
            )
        )
    if person.stance is Stance.UNKNOWN:
        findings.append(
            (
                GapKind.UNKNOWN_STANCE,
                f"{who} and we do not know where they stand.",
                f"Ask the people we cover how {person.name} sees us, then record their stance.",
            )
        )
    return findings


def _last_contact(person: Person) -> str:
    if person.last_contact_at is None:
        return "we have never met them"
    return f"last contact {person.last_contact_at.date().isoformat()}"


def _cover_suggestion(person: Person) -> str:
    if person.stance in HOSTILE_STANCES:
        return (
            f"Assign a team member to {person.name} and move them toward neutral through a colleague "
            "they trust who is neutral or better toward us."
        )
    if person.stance in SUPPORTIVE_STANCES:
        return f"Assign a team member to {person.name} and tie them to our other supporters."
    if person.stance is Stance.NEUTRAL:
        return f"Assign a team member to {person.name} and win them over through a supporter they listen to."
    return f"Assign a team member to {person.name} and find out where they stand."


def _missing_roles(view: ActiveView) -> list[CoverageGap]:
    held = {role for person in view.people.values() for role in person.buying_roles}
    return [
        CoverageGap(
            GapKind.MISSING_ROLE,
            SEVERITY_CRITICAL if role in CRITICAL_MISSING_ROLES else SEVERITY_STRUCTURAL,
            f"Nobody in this account is recorded as {role.value}.",
            f"Find out who acts as {role.value} in this purchase and record the role.",
            role=role,
            subject_name=role.value,
        )
        for role in BuyingRole
        if role not in held
    ]


def _missing_buyer_types(view: ActiveView) -> list[CoverageGap]:
    held = {kind for person in view.people.values() for kind in person.buyer_types}
    return [
        CoverageGap(
            GapKind.MISSING_BUYER_TYPE,
            SEVERITY_STRUCTURAL,
            f"Nobody in this account is recorded as the {kind.value} buyer.",
            _buyer_type_suggestion(kind),
            buyer_type=kind,
            subject_name=kind.value,
        )
        for kind in BuyerType
        if kind not in held
    ]


def _buyer_type_suggestion(kind: BuyerType) -> str:
    if kind is BuyerType.INFLUENCER:
        return "线人和小秘在哪里? Find the secretaries, assistants and relatives who shape opinions."
    if kind is BuyerType.COACH:
        return "Develop an inside contact who will guide us through the purchase."
    return f"Identify who plays the {kind.value} buyer and what they need from this purchase."


def decision_circles(view: ActiveView) -> list[Circle]:
    """Circles with a decision maker in their core."""
    cores = {m.circle for m in view.memberships if m.core and m.person in view.decision_makers}
    return [circle for circle in view.circles.values() if circle.id in cores]


def _core_access_gaps(view: ActiveView) -> list[CoverageGap]:
    gaps = []
    for circle in decision_circles(view):
        core = view.sorted_ids(m.person for m in view.memberships if m.circle == circle.id and m.core)
        if view.covered.isdisjoint(core):
            core_names = ", ".join(label(view, p) for p in core)
            gaps.append(
                CoverageGap(
                    GapKind.NO_CORE_ACCESS,
                    SEVERITY_CRITICAL,
                    f"{circle.name} holds the decision and we cover none of its core: {core_names}.",
                    f"Reach the core of {circle.name}: ask a supporter to introduce us to {core_names}.",
                    circle=circle.id,
                    subject_name=circle.name,
                )
            )
    return gaps


def _single_thread_gaps(view: ActiveView) -> list[CoverageGap]:
    if len(view.covered) > SINGLE_THREADED_MAX_COVERED:
        return []
    only = f": only {', '.join(label(view, p) for p in view.covered)}" if view.covered else ""
    return [
        CoverageGap(
            GapKind.SINGLE_THREADED,
            SEVERITY_STRUCTURAL,
            f"We cover {len(view.covered)} stakeholder(s){only}; one contact is a single point of failure.",
            "Multi-thread the account: cover the decision maker, the approver and the technical buyers too.",
        )
    ]


def _coach_gaps(view: ActiveView, leverage: dict[str, float]) -> list[CoverageGap]:
    # Qualified candidates rank first: if any is qualified, the best one is.
    candidates = coach_candidates_in(view, first=1, leverage=leverage)
    if candidates and candidates[0].qualified:
        return []
    best = f" Best prospect: {label(view, candidates[0].stakeholder)}." if candidates else ""
    return [
        CoverageGap(
            GapKind.NO_COACH,
            SEVERITY_STRUCTURAL,
            "No qualified inside contact (内线): nobody combines a broad network, influence and a supportive stance.",
            "Develop an inside contact: a well-connected, influential person willing to help us succeed; "
            f"liking us is not enough.{best}",
        )
    ]
