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


def fewest_hop_path(view: ActiveView, neighbours: Neighbours, sources: Collection[str], target: str) -> tuple[str, ...]:
    """A fewest-hop path from one of `sources` to `target`; () when none reaches it.

    Among equally short paths, the smallest sequence of (name, id) read from the source end: the
    nearest source first, then the smallest next step that still lies on a shortest path.
    """
    distance = _distances_from(neighbours, target)
    reachable = [s for s in sources if s in distance]
    if not reachable:
        return ()
    node = min(reachable, key=lambda s: (distance[s], *person_key(view.people[s])))
    path = [node]
    while node != target:
        node = min(
            (n for n in neighbours[node] if distance.get(n) == distance[node] - 1),
            key=lambda n: person_key(view.people[n]),
        )
        path.append(node)
    return tuple(path)


def _distances_from(neighbours: Neighbours, origin: str) -> dict[str, int]:
    distance = {origin: 0}
    queue = deque([origin])
    while queue:
        node = queue.popleft()
        for neighbour in neighbours[node]:
            if neighbour not in distance:
                distance[neighbour] = distance[node] + 1
                queue.append(neighbour)
    return distance
