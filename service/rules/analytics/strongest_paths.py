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

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from service.rules.analytics.ordering import compare_scores, is_stronger

N = TypeVar("N", bound=Hashable)

Adjacency = Mapping[N, Iterable[tuple[N, float]]]
"""Node -> (next node, weight in (0, 1]) for every arc leaving it."""
Rank = tuple[str, ...]
"""Deterministic tie-break between nodes: smaller first (name, then id)."""


@dataclass(frozen=True, slots=True)
class BestPath(Generic[N]):
    strength: float
    hops: int
    path: tuple[N, ...]
    """From the origin of the search to the node, both included."""


@dataclass(frozen=True, slots=True)
class _Entry(Generic[N]):
    strength: float
    predecessor: N
    origin: N


_Layer = dict[N, _Entry[N]]


def strongest_paths_from(
    origins: Iterable[N],
    adjacency: Adjacency[N],
    max_hops: int,
    rank: Callable[[N], Rank],
) -> dict[N, BestPath[N]]:
    """For every node reached from one of `origins` in at most `max_hops` arcs (origins excluded):
    the strongest path, then the one with fewer hops, then the one from the origin ranked first."""
    start: _Layer[N] = {origin: _Entry(1.0, origin, origin) for origin in origins}
    layers = _relax_layers(start, adjacency, max_hops, rank)
    best_layer: dict[N, int] = {}
    for hops in range(1, len(layers)):
        for node, entry in layers[hops].items():
            held = best_layer.get(node)
            if node not in start and (held is None or is_stronger(entry.strength, layers[held][node].strength)):
                best_layer[node] = hops
    return {
        node: BestPath(layers[hops][node].strength, hops, _reconstruct(layers, node, hops))
        for node, hops in best_layer.items()
    }


def _relax_layers(
    start: _Layer[N], adjacency: Adjacency[N], max_hops: int, rank: Callable[[N], Rank]
) -> list[_Layer[N]]:
    layers = [start]
    for _ in range(max_hops):
        current: _Layer[N] = {}
        for node, entry in layers[-1].items():
            for neighbour, weight in adjacency.get(node, ()):
                candidate = _Entry(entry.strength * weight, node, entry.origin)
                held = current.get(neighbour)
                if held is None or _beats(candidate, held, rank):
                    current[neighbour] = candidate
        if not current:
            break
        layers.append(current)
    return layers


def _beats(candidate: _Entry[N], held: _Entry[N], rank: Callable[[N], Rank]) -> bool:
    outcome = compare_scores(candidate.strength, held.strength)
    if outcome:
        return outcome > 0
    return (rank(candidate.origin), rank(candidate.predecessor)) < (rank(held.origin), rank(held.predecessor))


def _reconstruct(layers: list[_Layer[N]], node: N, hops: int) -> tuple[N, ...]:
    path = [node]
    for layer in range(hops, 0, -1):
        node = layers[layer][node].predecessor
        path.append(node)
    path.reverse()
    return tuple(path)
