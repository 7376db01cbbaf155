"""Undirected neighbourhoods of stakeholders, for breadth and introduction paths (hop counts only)."""

from __future__ import annotations

from collections.abc import Collection

from service.rules.analytics.active_view import ActiveView
from service.rules.enums import TieKind

Neighbours = dict[str, set[str]]


class Network:
    """Each person's breadth and introduction neighbours, with one walk over the links for both: the
    breadth neighbours are the introduction ones plus those joined by another kind of tie, kept apart
    as they are few."""

    def __init__(self, view: ActiveView, introduction_tie_kinds: Collection[TieKind]) -> None:
        self.introductions = introduction_neighbours(view, introduction_tie_kinds)
        self._others: Neighbours = {}
        for a, b in [(tie.a, tie.b) for tie in view.ties if tie.kind not in introduction_tie_kinds]:
            self._others.setdefault(a, set()).add(b)
            self._others.setdefault(b, set()).add(a)

    def breadth(self, person_id: str) -> int:
        """How many breadth neighbours `person_id` has."""
        found = self.introductions[person_id]
        others = self._others.get(person_id)
        return len(found) + len(others - found) if others else len(found)

    def neighbours(self, person_id: str) -> set[str]:
        """The breadth neighbours of `person_id`: a new set."""
        return self.introductions[person_id] | self._others.get(person_id, set())


def introduction_neighbours(view: ActiveView, tie_kinds: Collection[TieKind]) -> Neighbours:
    """Others joined by an influence link or a reporting line (either way), or a tie of one of `tie_kinds`."""
    neighbours: Neighbours = {person_id: set() for person_id in view.people}
    ties = [(tie.a, tie.b) for tie in view.ties if tie.kind in tie_kinds]
    for pairs in (view.link_strength, ties, [(line.person, line.manager) for line in view.reporting_lines]):
        for a, b in pairs:
            neighbours[a].add(b)
            neighbours[b].add(a)
    return neighbours


def hop_distances(neighbours: Neighbours, sources: Collection[str], targets: Collection[str] = ()) -> dict[str, int]:
    """Fewest hops from the nearest of `sources` to every node reachable from them; given `targets`,
    only as far as the farthest of them, which is all `fewest_hop_path` needs to reach them."""
    distance = dict.fromkeys(sources, 0)
    missing = set(targets).difference(distance)
    frontier = list(distance)
    hops = 0
    while frontier and (missing or not targets):
        hops += 1
        reached = []
        for node in frontier:
            for neighbour in neighbours[node]:
                if neighbour not in distance:
                    distance[neighbour] = hops
                    reached.append(neighbour)
        missing.difference_update(reached)
        frontier = reached
    return distance


def fewest_hop_path(view: ActiveView, neighbours: Neighbours, distance: dict[str, int], target: str) -> tuple[str, ...]:
    """A fewest-hop path from the sources `distance` was measured from to `target`; () if none.

    Built from the target end: each step back goes to the neighbour one hop nearer the sources with
    the smallest (name, id). One breadth-first search (`hop_distances`) serves every target.
    """
    if target not in distance:
        return ()
    path = [target]
    while distance[path[-1]] > 0:
        nearer = (n for n in neighbours[path[-1]] if distance.get(n) == distance[path[-1]] - 1)
        path.append(min(nearer, key=view.rank_of.__getitem__))
    path.reverse()
    return tuple(path)
