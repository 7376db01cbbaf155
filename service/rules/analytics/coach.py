"""Item 8: inside contacts (内线). The seed rule: a broad network, influence and the will to help;
liking us, old friendship, title and rank do not qualify anyone."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from service.rules.account_graph import AccountGraph, Person
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import names, rating
from service.rules.analytics.leverage import leverage_in
from service.rules.analytics.memo import per_snapshot, remembered
from service.rules.analytics.network import Neighbours, Network, fewest_hop_path, hop_distances
from service.rules.analytics.ordering import SortKey, person_key, tolerant_sorted
from service.rules.analytics.policy import (
    COACH_CANDIDATE_STANCES,
    COACH_MIN_BREADTH,
    COACH_MIN_INFLUENCE,
    COACH_QUALIFIED_STANCES,
    DEFAULT_MAX_HOPS,
    INTRODUCTION_TIE_KINDS,
)
from service.rules.analytics.ranked import Ranked
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


@per_snapshot
def coach_candidates(graph: AccountGraph) -> Ranked[CoachCandidate]:
    """Stance NEUTRAL or better, breadth >= 3, influence >= 3. Qualified first, then breadth x
    influence, then leverage (default max hops), then name."""
    return coach_candidates_in(active_view(graph))


def coach_candidates_in(view: ActiveView) -> Ranked[CoachCandidate]:
    """The ranked candidates; circles, introductions and reasons only for the rows read."""
    network = _network(view)
    leverage_of = leverage_in(view, DEFAULT_MAX_HOPS)
    ranked = _ranked_candidates(view)

    def build(start: int, stop: int) -> list[CoachCandidate]:
        chosen = ranked[start:stop]
        introductions = _Introductions(view, network.introductions, [person.id for person in chosen])
        return [_candidate(view, person, network, introductions, leverage_of[person.id]) for person in chosen]

    return Ranked(len(ranked), build)


def _network(view: ActiveView) -> Network:
    return remembered(view.memo, "coach/network", lambda: Network(view, INTRODUCTION_TIE_KINDS))


def _ranked_candidates(view: ActiveView) -> list[Person]:
    """Every candidate, best first; computed once per view (shared, do not change it)."""

    def rank() -> list[Person]:
        network = _network(view)
        leverage_of = leverage_in(view, DEFAULT_MAX_HOPS)
        people = [person for person in view.people.values() if _is_candidate(person, network)]
        return tolerant_sorted(people, key=lambda p: _rank(p, network.breadth(p.id), leverage_of[p.id]))

    return remembered(view.memo, "coach/ranked", rank)


def _is_candidate(person: Person, network: Network) -> bool:
    return (
        person.stance in COACH_CANDIDATE_STANCES
        and influence_of(person) >= COACH_MIN_INFLUENCE
        and network.breadth(person.id) >= COACH_MIN_BREADTH
    )


def _rank(person: Person, breadth: int, leverage: float) -> SortKey:
    return (
        0 if person.stance in COACH_QUALIFIED_STANCES else 1,
        -breadth * influence_of(person),
        -leverage,
        *person_key(person),
    )


def circles_reached(view: ActiveView, person_id: str, network: Network) -> int:
    reached = network.neighbours(person_id) | {person_id}
    return len({m.circle for p in reached for m in view.memberships_of.get(p, ())})


class _Introductions:
    """Fewest-hop introduction paths from anyone we cover, over links, bonding ties and reporting lines
    (any direction; rule 13)."""

    def __init__(self, view: ActiveView, neighbours: Neighbours, targets: list[str]) -> None:
        self._view = view
        self._neighbours = neighbours
        self._targets = [target for target in targets if target not in view.covered]

    @cached_property
    def _distance(self) -> dict[str, int]:
        return hop_distances(self._neighbours, self._view.sorted_ids(self._view.covered), self._targets)

    def to(self, person_id: str) -> tuple[str, ...]:
        if person_id in self._view.covered:
            return ()
        return fewest_hop_path(self._view, self._neighbours, self._distance, person_id)


def _candidate(
    view: ActiveView, person: Person, network: Network, introductions: _Introductions, leverage: float
) -> CoachCandidate:
    covered = person.id in view.covered
    via = introductions.to(person.id)
    breadth = network.breadth(person.id)
    circles = circles_reached(view, person.id, network)
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
