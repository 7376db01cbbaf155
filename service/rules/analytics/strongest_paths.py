"""Strongest paths by dynamic programming over hops; paths are never enumerated.

Layer k holds, for every node, the strongest walk of exactly k arcs from any origin. Each layer
relaxes every arc once, so a search costs O(max_hops x arcs) however many origins it starts from.
A node's answer is its strongest layer, the earliest on equal strength.

Ties: equal strength (within the tolerance) goes to the walk whose origin ranks first, then to the
one whose predecessor ranks first. This keeps the optimal substructure (multiplying by a positive
weight preserves the order of (strength, origin)), so the result is the strongest path, then the
fewest hops, then the first origin by rank - exactly as if each origin had been searched alone.

Why the answer is a simple path: every weight is in (0, 1], so cutting a cycle out of a walk never
lowers its strength and always lowers its hop count; the strongest walk with the fewest hops
therefore repeats no node and passes through no second origin. Reconstruction follows, layer by
layer, exactly the walk that was scored.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from service.rules.analytics.policy import TOLERANCE

N = TypeVar("N", bound=Hashable)

Adjacency = Mapping[N, Iterable[tuple[N, float]]]
"""Node -> (next node, weight in (0, 1]) for every arc leaving it."""
Rank = int
"""A node's position in the deterministic tie-break order (by name first, then id): smaller first."""


@dataclass(frozen=True, slots=True)
class BestPath(Generic[N]):
    strength: float
    hops: int
    path: tuple[N, ...]
    """From the origin of the search to the node, both included."""


_Entry = tuple[float, Rank, Rank, N, N]
"""Strength, rank of the origin, rank of the predecessor, predecessor, origin."""
_Layer = dict[N, _Entry[N]]


class Search(Generic[N]):
    """The outcome of one search: each reached node's strongest layer; paths are rebuilt on request."""

    def __init__(self, layers: list[_Layer[N]], best_layer: dict[N, int]) -> None:
        self._layers = layers
        self.best_layer = best_layer
        """Reached node -> its hop count, in the order the nodes were first reached."""

    def strength(self, node: N) -> float:
        return self._layers[self.best_layer[node]][node][0]

    def origin(self, node: N) -> N:
        return self._layers[self.best_layer[node]][node][4]

    def strengths(self) -> dict[N, float]:
        layers = self._layers
        return {node: layers[hops][node][0] for node, hops in self.best_layer.items()}

    def best(self, node: N) -> BestPath[N]:
        hops = self.best_layer[node]
        return BestPath(self._layers[hops][node][0], hops, self.path(node))

    def path(self, node: N) -> tuple[N, ...]:
        return tuple(reversed(self.walk_back(node)))

    def walk_back(self, node: N) -> tuple[N, ...]:
        """The path reversed: from the node back to the origin."""
        hops = self.best_layer[node]
        walk = [node]
        for layer in range(hops, 0, -1):
            node = self._layers[layer][node][3]
            walk.append(node)
        return tuple(walk)


def strongest_paths_from(
    origins: Iterable[N],
    adjacency: Adjacency[N],
    max_hops: int,
    rank: Callable[[N], Rank],
) -> dict[N, BestPath[N]]:
    """For every node reached from one of `origins` in at most `max_hops` arcs (origins excluded):
    the strongest path, then the one with fewer hops, then the one from the origin ranked first."""
    found = search_from(origins, adjacency, max_hops, rank)
    return {node: found.best(node) for node in found.best_layer}


def search_from(
    origins: Iterable[N],
    adjacency: Adjacency[N],
    max_hops: int,
    rank: Callable[[N], Rank],
    only: Collection[N] | None = None,
) -> Search[N]:
    """Like `strongest_paths_from`, without building any path; `only` limits the answer to those nodes."""
    start: _Layer[N] = {}
    for origin in origins:
        origin_rank = rank(origin)
        start[origin] = (1.0, origin_rank, origin_rank, origin, origin)
    layers = _relax_layers(start, adjacency, max_hops, rank, only)
    best_layer: dict[N, int] = {}
    best_strength: dict[N, float] = {}
    for hops in range(1, len(layers)):
        for node, entry in layers[hops].items():
            strength = entry[0]
            held = best_strength.get(node)
            if held is None:
                if node not in start and (only is None or node in only):
                    best_layer[node] = hops
                    best_strength[node] = strength
            elif strength > held + TOLERANCE:
                best_layer[node] = hops
                best_strength[node] = strength
    return Search(layers, best_layer)


def _relax_layers(
    start: _Layer[N], adjacency: Adjacency[N], max_hops: int, rank: Callable[[N], Rank], only: Collection[N] | None
) -> list[_Layer[N]]:
    layers = [start]
    no_arcs: tuple[tuple[N, float], ...] = ()
    for hops in range(1, max_hops + 1):
        # The last layer feeds no other: it only needs the nodes asked for.
        wanted = only if hops == max_hops else None
        current: _Layer[N] = {}
        held_at = current.get
        for node, (strength, origin_rank, _, _, origin) in layers[-1].items():
            node_rank = rank(node)
            arcs = adjacency.get(node, no_arcs)
            if wanted is not None:
                arcs = [arc for arc in arcs if arc[0] in wanted]
            for neighbour, weight in arcs:
                candidate = strength * weight
                held = held_at(neighbour)
                # Inlined `compare_scores`: stronger beyond the tolerance wins, weaker loses, else
                # the origin ranked first, then the predecessor ranked first.
                if (
                    held is None
                    or candidate > held[0] + TOLERANCE
                    or (
                        not candidate < held[0] - TOLERANCE
                        and (origin_rank < held[1] or (origin_rank == held[1] and node_rank < held[2]))
                    )
                ):
                    current[neighbour] = (candidate, origin_rank, node_rank, node, origin)
        if not current:
            break
        layers.append(current)
    return layers
