"""Items 7 and 15: coverage gaps, one row per finding, most severe first."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from service.rules.account_graph import AccountGraph, Circle, Person
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.coach import coach_candidates_in
from service.rules.analytics.describe import ARROW, label, node_name
from service.rules.analytics.key_people import as_utc, is_stale, key_person_grounds
from service.rules.analytics.leverage import leverage_in
from service.rules.analytics.memo import remembered
from service.rules.analytics.nodes import NodeRef
from service.rules.analytics.ordering import SortKey, tolerant_sorted
from service.rules.analytics.policy import (
    CRITICAL_MISSING_ROLES,
    DEFAULT_MAX_HOPS,
    HOSTILE_STANCES,
    MIN_PERSON_SEVERITY,
    SEVERITY_CRITICAL,
    SEVERITY_STRUCTURAL,
    SINGLE_POINT_MAX_HOPS,
    SINGLE_THREADED_MAX_COVERED,
    STALE_AFTER_DAYS,
    SUPPORTIVE_STANCES,
)
from service.rules.analytics.single_points import SinglePoint, single_points
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
    single_point: NodeRef | None = None
    """SINGLE_POINT_OF_FAILURE only: the one team member or stakeholder every route to them depends on."""


def coverage_gaps(
    graph: AccountGraph, stale_after_days: int = STALE_AFTER_DAYS, as_of: datetime | None = None
) -> list[CoverageGap]:
    """Every gap of DOMAIN.md items 7 and 15, by severity desc, then kind (GapKind order), then subject name.

    `as_of` defaults to now (UTC); naive datetimes are taken as UTC.
    """
    validate_stale_after_days(stale_after_days)
    view = active_view(graph)
    moment = as_utc(as_of) if as_of is not None else datetime.now(UTC)
    stale = [
        _stale_gap(key, moment, stale_after_days)
        for key in _key_people(view)
        if key.person.id in view.covered and is_stale(key.person, moment, stale_after_days)
    ]
    return tolerant_sorted([*_timeless_gaps(view), *stale], key=_rank)


def _rank(gap: CoverageGap) -> SortKey:
    subject_id = gap.stakeholder or gap.circle or ""
    return (-gap.severity, _KIND_ORDER[gap.kind], gap.subject_name, subject_id)


@dataclass(frozen=True, slots=True)
class _KeyPerson:
    person: Person
    severity: float
    who: str
    """"<label> is a key person (<grounds>)", the start of every reason about them."""


def _key_people(view: ActiveView) -> list[_KeyPerson]:
    """Computed once per view (shared, do not change it)."""

    def find() -> list[_KeyPerson]:
        leverage = leverage_in(view, DEFAULT_MAX_HOPS)
        found = []
        for person in view.people.values():
            grounds = key_person_grounds(view, person)
            if grounds:
                severity = max(leverage[person.id], MIN_PERSON_SEVERITY)
                found.append(
                    _KeyPerson(person, severity, f"{label(view, person.id)} is a key person ({', '.join(grounds)})")
                )
        return found

    return remembered(view.memo, "coverage/key_people", find)


def _timeless_gaps(view: ActiveView) -> list[CoverageGap]:
    """Every gap that does not depend on the day or the staleness window; once per view (shared)."""

    def find() -> list[CoverageGap]:
        return [
            *(gap for key in _key_people(view) for gap in _person_gaps(view, key)),
            *_single_point_gaps(view),
            *_missing_roles(view),
            *_missing_buyer_types(view),
            *_core_access_gaps(view),
            *_single_thread_gaps(view),
            *_coach_gaps(view),
        ]

    return remembered(view.memo, "coverage/timeless", find)


def _person_gaps(view: ActiveView, key: _KeyPerson) -> list[CoverageGap]:
    person = key.person
    gaps = []
    if person.id not in view.covered:
        gaps.append(
            _person_gap(
                GapKind.UNCOVERED_KEY_PERSON,
                key,
                f"{key.who} and nobody on our team covers them.",
                _cover_suggestion(person),
            )
        )
    if person.stance is Stance.UNKNOWN:
        gaps.append(
            _person_gap(
                GapKind.UNKNOWN_STANCE,
                key,
                f"{key.who} and we do not know where they stand.",
                f"Ask the people we cover how {person.name} sees us, then record their stance.",
            )
        )
    return gaps


def _single_point_gaps(view: ActiveView) -> list[CoverageGap]:
    keys = {key.person.id: key for key in _key_people(view)}
    found = single_points(view, keys, SINGLE_POINT_MAX_HOPS)
    return [_single_point_gap(view, keys[target], point) for target, point in found.items()]


def _single_point_gap(view: ActiveView, key: _KeyPerson, point: SinglePoint) -> CoverageGap:
    name = key.person.name
    member = view.team[point.team_member].name if point.team_member else None
    route = ARROW.join(node_name(view, node) for node in point.route)
    if point.stakeholders:
        through = ", then ".join(label(view, p) for p in point.stakeholders)
        starts = f"starts at our {member} and " if member else ""
        reason = f"{key.who}; every warm route we have to them {starts}goes through {through}: {route}."
        suggestion = (
            f"Open a second route to {name} that does not depend on {view.name(point.point.id)}: cover "
            f"{name} directly, or win a supporter who reaches them another way."
        )
    else:
        reason = f"{key.who}; only our {member} has a warm route to them: {route}."
        suggestion = f"Have a second team member build a relationship with {name} or with a supporter close to them."
    gap = _person_gap(GapKind.SINGLE_POINT_OF_FAILURE, key, reason, suggestion)
    return replace(gap, single_point=point.point)


def _stale_gap(key: _KeyPerson, as_of: datetime, stale_after_days: int) -> CoverageGap:
    return _person_gap(
        GapKind.STALE_COVERAGE,
        key,
        f"{key.who}; {_last_contact(key.person)}, more than {stale_after_days} days before {as_of.date().isoformat()}.",
        f"Schedule a visit or call with {key.person.name} to keep the relationship warm.",
    )


def _person_gap(kind: GapKind, key: _KeyPerson, reason: str, suggestion: str) -> CoverageGap:
    return CoverageGap(kind, key.severity, reason, suggestion, stakeholder=key.person.id, subject_name=key.person.name)


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


def _coach_gaps(view: ActiveView) -> list[CoverageGap]:
    # Qualified candidates rank first: if any is qualified, the best one is.
    candidates = coach_candidates_in(view)[:1]
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
