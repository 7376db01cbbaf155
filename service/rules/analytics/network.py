"""Undirected neighbourhoods of stakeholders, for breadth and introduction paths (hop counts only)."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.ordering import person_key
from service.rules.enums import TieKind

Neighbours = dict[str, set[str]]


def breadth_neighbours(view: ActiveView) -> Neighbours:
    """Others joined to each person by an influence link (either way), a tie of any kind or a
    reporting line (either way)."""
    pairs = list(view.link_strength)
    pairs += [(tie.a, tie.b) for tie in view.ties]
    pairs += [(line.person, line.manager) for line in view.reporting_lines]
    return _undirected(view, pairs)


def introduction_neighbours(view: ActiveView, tie_kinds: Collection[TieKind]) -> Neighbours:
    """Others joined by an influence link (either way) or a tie of one of `tie_kinds`."""
    pairs = list(view.link_strength)
    pairs += [(tie.a, tie.b) for tie in view.ties if tie.kind in tie_kinds]
    return _undirected(view, pairs)


def _undirected(view: ActiveView, pairs: Iterable[tuple[str, str]]) -> Neighbours:
    neighbours: Neighbours = {person_id: set() for person_id in view.people}
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    return neighbours


def hop_distances(neighbours: Neighbours, sources: Collection[str]) -> dict[str, int]:
    """Fewest hops from the nearest of `sources` to every node reachable from them."""
    distance = dict.fromkeys(sources, 0)
    queue = deque(sources)
    while queue:
        node = queue.popleft()
        for neighbour in neighbours[node]:
            if neighbour not in distance:
                distance[neighbour] = distance[node] + 1
                queue.append(neighbour)
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
        path.append(min(nearer, key=lambda n: person_key(view.people[n])))
    path.reverse()
    return tuple(path)
