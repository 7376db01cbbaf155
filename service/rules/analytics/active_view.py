"""The account as the analytics see it: archived people and everything touching them dropped, once.

Also drops references to ids that are not in the snapshot, self-links and links rated below the
minimum, and merges duplicates (strongest link per ordered pair, one membership per person and
circle, core if any record says so), so every analytic can trust its input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import TypeVar

from service.rules.account_graph import (
    AccountGraph,
    Circle,
    Coverage,
    Membership,
    Person,
    ReportingLine,
    TeamMember,
    Tie,
)
from service.rules.analytics.ordering import person_key
from service.rules.analytics.policy import MIN_STRENGTH_RATING
from service.rules.analytics.weights import rating_weight
from service.rules.enums import BuyingRole

T = TypeVar("T")
Arc = tuple[str, float]
"""(neighbour id, weight) in an adjacency list."""


@dataclass(frozen=True)
class ActiveView:
    people: dict[str, Person]
    link_strength: dict[tuple[str, str], int]
    """Strength of the influence link `source -> target`, one per ordered pair."""
    ties: tuple[Tie, ...]
    reporting_lines: tuple[ReportingLine, ...]
    circles: dict[str, Circle]
    memberships: tuple[Membership, ...]
    team: dict[str, TeamMember]
    coverage: tuple[Coverage, ...]
    decision_makers: tuple[str, ...]
    """People holding DECISION_MAKER, by name then id."""
    covered: frozenset[str]
    memberships_of: dict[str, tuple[Membership, ...]]
    coverage_of: dict[str, tuple[Coverage, ...]]
    """Person id -> the coverage of that person."""
    key_person_scope: frozenset[str] | None = None
    """As in `AccountGraph`: who may be a key person; None: anyone."""
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Structures several analytics share (leverage, the network), built once per view; see `memo.remembered`."""

    # Built on first use, once per view: not every analytic follows links.
    @cached_property
    def influences_out(self) -> dict[str, tuple[Arc, ...]]:
        return _adjacency(self.people, self.link_strength, reverse=False)

    @cached_property
    def influences_in(self) -> dict[str, tuple[Arc, ...]]:
        return _adjacency(self.people, self.link_strength, reverse=True)

    @cached_property
    def rank_of(self) -> dict[str, int]:
        """Person id -> position in the order of `person_key`, so tie-breaks compare integers."""
        ordered = sorted(self.people.values(), key=attrgetter("name", "id"))
        return {person.id: position for position, person in enumerate(ordered)}

    def person(self, person_id: str) -> Person:
        return self.people[person_id]

    def forget_kept(self) -> None:
        """Drop what the view keeps (shared structures, the adjacency built on first use), one piece at a
        time (see `memo.forget_kept`); whoever uses the view next builds again what it needs."""
        while self.memo:
            self.memo.popitem()
        for name, attribute in vars(ActiveView).items():
            if isinstance(attribute, cached_property):
                self.__dict__.pop(name, None)

    def name(self, person_id: str) -> str:
        return self.people[person_id].name

    def sorted_ids(self, person_ids: Iterable[str]) -> list[str]:
        return sorted(person_ids, key=self.rank_of.__getitem__)


def active_view(graph: AccountGraph) -> ActiveView:
    """The snapshot without archived people and whatever touches them; built once per snapshot."""
    cached = graph.memo.get("active_view")
    if isinstance(cached, ActiveView):
        return cached
    view = _build_view(graph)
    graph.memo["active_view"] = view
    return view


def _build_view(graph: AccountGraph) -> ActiveView:
    people = {person.id: person for person in graph.people if not person.archived}
    link_strength = _link_strengths(graph, people)
    team = {member.id: member for member in graph.team}
    coverage = tuple(c for c in graph.coverage if c.person in people and c.team_member in team)
    memberships = _merged_memberships(graph, people)
    return ActiveView(
        people=people,
        link_strength=link_strength,
        ties=tuple(t for t in graph.ties if t.a != t.b and t.a in people and t.b in people),
        reporting_lines=tuple(
            r for r in graph.reporting_lines if r.person != r.manager and r.person in people and r.manager in people
        ),
        circles={circle.id: circle for circle in graph.circles},
        memberships=memberships,
        team=team,
        coverage=coverage,
        decision_makers=tuple(
            sorted(
                (p.id for p in people.values() if BuyingRole.DECISION_MAKER in p.buying_roles),
                key=lambda person_id: person_key(people[person_id]),
            )
        ),
        covered=frozenset(c.person for c in coverage),
        memberships_of=_grouped(memberships, lambda m: m.person),
        coverage_of=_grouped(coverage, lambda c: c.person),
        key_person_scope=graph.key_person_scope,
    )


def _grouped(items: Iterable[T], person_of: Callable[[T], str]) -> dict[str, tuple[T, ...]]:
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(person_of(item), []).append(item)
    return {person_id: tuple(group) for person_id, group in groups.items()}


def _link_strengths(graph: AccountGraph, people: dict[str, Person]) -> dict[tuple[str, str], int]:
    strengths: dict[tuple[str, str], int] = {}
    held = strengths.get
    for link in graph.links:
        source, target, strength = link
        if strength >= MIN_STRENGTH_RATING and source != target and source in people and target in people:
            pair = (source, target)
            previous = held(pair)
            if previous is None or strength > previous:
                strengths[pair] = strength
    return strengths


def _merged_memberships(graph: AccountGraph, people: dict[str, Person]) -> tuple[Membership, ...]:
    core_by_pair: dict[tuple[str, str], bool] = {}
    circle_ids = {circle.id for circle in graph.circles}
    for membership in graph.memberships:
        if membership.person in people and membership.circle in circle_ids:
            pair = (membership.person, membership.circle)
            core_by_pair[pair] = core_by_pair.get(pair, False) or membership.core
    return tuple(Membership(person, circle, core) for (person, circle), core in core_by_pair.items())


def _adjacency(
    people: dict[str, Person], link_strength: dict[tuple[str, str], int], *, reverse: bool
) -> dict[str, tuple[Arc, ...]]:
    """Everyone's arcs in link order: to the targets of their links or, `reverse`, to their sources. Tuples
    of plain tuples, which the garbage collector stops tracking: a view is kept with its snapshot."""
    weight = {strength: rating_weight(strength) for strength in set(link_strength.values())}
    lists: dict[str, list[Arc]] = {person_id: [] for person_id in people}
    if reverse:
        for (source, target), strength in link_strength.items():
            lists[target].append((source, weight[strength]))
    else:
        for (source, target), strength in link_strength.items():
            lists[source].append((target, weight[strength]))
    return {person_id: tuple(arcs) for person_id, arcs in lists.items()}
