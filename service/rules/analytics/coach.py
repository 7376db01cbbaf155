"""Item 8: inside contacts (内线). The seed rule: a broad network, influence and the will to help;
liking us, old friendship, title and rank do not qualify anyone."""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph, Person
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import names, rating
from service.rules.analytics.leverage import leverage_in
from service.rules.analytics.network import (
    Neighbours,
    breadth_neighbours,
    fewest_hop_path,
    hop_distances,
    introduction_neighbours,
)
from service.rules.analytics.ordering import SortKey, person_key, tolerant_sorted
from service.rules.analytics.policy import (
    COACH_CANDIDATE_STANCES,
    COACH_MIN_BREADTH,
    COACH_MIN_INFLUENCE,
    COACH_QUALIFIED_STANCES,
    DEFAULT_FIRST_COACHES,
    DEFAULT_MAX_HOPS,
    INTRODUCTION_TIE_KINDS,
)
from service.rules.analytics.validation import validate_first
from service.rules.analytics.weights import influence_of


@dataclass(frozen=True, slots=True)
class CoachCandidate:
    stakeholder: str
    qualified: bool
    """A candidate who already supports us (SUPPORTER or MENTOR)."""
    breadth: int
    circles_reached: int
    influence: int
    """As rated; unrated counts as 1."""
    leverage: float
    covered: bool
    introduced_via: tuple[str, ...]
    """Empty when covered (or when nobody we cover reaches them); else covered stakeholder .. candidate."""
    reasons: tuple[str, ...]


def coach_candidates(graph: AccountGraph, first: int = DEFAULT_FIRST_COACHES) -> list[CoachCandidate]:
    """Stance NEUTRAL or better, breadth >= 3, influence >= 3. Qualified first, then breadth x
    influence, then leverage (default max hops), then name."""
    validate_first(first)
    return coach_candidates_in(active_view(graph))[:first]


def coach_candidates_in(view: ActiveView) -> list[CoachCandidate]:
    neighbours = breadth_neighbours(view)
    introductions = _Introductions(view)
    leverage = leverage_in(view, DEFAULT_MAX_HOPS)
    candidates = [
        _candidate(view, person, neighbours, introductions, leverage[person.id])
        for person in view.people.values()
        if _is_candidate(person, len(neighbours[person.id]))
    ]
    return tolerant_sorted(candidates, key=lambda c: _rank(view, c))


def _is_candidate(person: Person, breadth: int) -> bool:
    return (
        person.stance in COACH_CANDIDATE_STANCES
        and breadth >= COACH_MIN_BREADTH
        and influence_of(person) >= COACH_MIN_INFLUENCE
    )


def _rank(view: ActiveView, candidate: CoachCandidate) -> SortKey:
    return (
        0 if candidate.qualified else 1,
        -candidate.breadth * candidate.influence,
        -candidate.leverage,
        *person_key(view.people[candidate.stakeholder]),
    )


def circles_reached(view: ActiveView, person_id: str, neighbours: Neighbours) -> int:
    reached = neighbours[person_id] | {person_id}
    return len({m.circle for p in reached for m in view.memberships_of.get(p, ())})


class _Introductions:
    """Fewest-hop introduction paths from anyone we cover, over links and bonding ties (any direction)."""

    def __init__(self, view: ActiveView) -> None:
        self._view = view
        self._neighbours = introduction_neighbours(view, INTRODUCTION_TIE_KINDS)
        self._distance = hop_distances(self._neighbours, view.sorted_ids(view.covered))

    def to(self, person_id: str) -> tuple[str, ...]:
        if person_id in self._view.covered:
            return ()
        return fewest_hop_path(self._view, self._neighbours, self._distance, person_id)


def _candidate(
    view: ActiveView, person: Person, neighbours: Neighbours, introductions: _Introductions, leverage: float
) -> CoachCandidate:
    covered = person.id in view.covered
    via = introductions.to(person.id)
    breadth = len(neighbours[person.id])
    circles = circles_reached(view, person.id, neighbours)
    qualified = person.stance in COACH_QUALIFIED_STANCES
    return CoachCandidate(
        stakeholder=person.id,
        qualified=qualified,
        breadth=breadth,
        circles_reached=circles,
        influence=influence_of(person),
        leverage=leverage,
        covered=covered,
        introduced_via=via,
        reasons=(
            f"broad network: {breadth} people across {circles} circle(s)",
            f"influence {rating(influence_of(person))}",
            _willingness(person, qualified),
            _access(view, covered, via),
        ),
    )


def _willingness(person: Person, qualified: bool) -> str:
    if qualified:
        return f"stance {person.stance.value}: willing to help"
    return f"stance {person.stance.value}: not yet willing to help, win them over first"


def _access(view: ActiveView, covered: bool, via: tuple[str, ...]) -> str:
    if covered:
        return "we already cover them"
    if via:
        return f"introduction: {names(view, via)}"
    return "nobody we cover can introduce us yet"
