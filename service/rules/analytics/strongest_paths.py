"""Strongest paths by dynamic programming over hops; paths are never enumerated.

Layer k holds, for every node, the strongest walk of exactly k arcs from the origin (ties go to the
predecessor with the smaller rank). Each layer relaxes every arc once, so one origin costs
O(max_hops x arcs). A node's answer is its strongest layer, the earliest on equal strength.

Why the answer is a simple path: every weight is in (0, 1], so cutting a cycle out of a walk never
lowers its strength and always lowers its hop count; the strongest walk with the fewest hops
therefore repeats no node. Layer by layer reconstruction follows exactly the walk that was scored.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from service.rules.analytics.ordering import compare_scores

N = TypeVar("N", bound=Hashable)

Adjacency = Mapping[N, Iterable[tuple[N, float]]]
"""Node -> (next node, weight in (0, 1]) for every arc leaving it."""
Rank = tuple[str, ...]
"""Deterministic tie-break between equally strong predecessors: smaller first (name, then id)."""


@dataclass(frozen=True, slots=True)
class BestPath(Generic[N]):
    strength: float
    hops: int
    path: tuple[N, ...]
    """From the origin of the search to the node, both included."""


def strongest_paths_from(
    origin: N,
    adjacency: Adjacency[N],
    max_hops: int,
    rank: Callable[[N], Rank],
) -> dict[N, BestPath[N]]:
    """The strongest path of at most `max_hops` arcs from `origin` to every node it reaches.

    Among equally strong paths the one with fewer hops wins, then the one whose node before the end
    has the smaller `rank` (name, then id). The origin itself is not in the result.
    """
    layers = _relax_layers(origin, adjacency, max_hops, rank)
    best_layer: dict[N, int] = {}
    for hops in range(1, len(layers)):
        for node, (strength, _) in layers[hops].items():
            held = best_layer.get(node)
            if node != origin and (held is None or strength >= layers[held][node][0] - 1e-9):
                best_layer[node] = hops
    return {
        node: BestPath(layers[hops][node][0], hops, _reconstruct(layers, node, hops))
        for node, hops in best_layer.items()
    }


_Layer = dict[N, tuple[float, N]]
"""Node -> (strength of its strongest walk with this many arcs, node before it on that walk)."""


def _relax_layers(origin: N, adjacency: Adjacency[N], max_hops: int, rank: Callable[[N], Rank]) -> list[_Layer[N]]:
    layers: list[_Layer[N]] = [{origin: (1.0, origin)}]
    for _ in range(max_hops):
        current: _Layer[N] = {}
        for node, (strength, _) in layers[-1].items():
            for neighbour, weight in adjacency.get(node, ()):
                candidate = strength * weight
                held = current.get(neighbour)
                if held is None or _beats(candidate, node, held, rank):
                    current[neighbour] = (candidate, node)
        if not current:
            break
        layers.append(current)
    return layers


def _beats(strength: float, predecessor: N, held: tuple[float, N], rank: Callable[[N], Rank]) -> bool:
    outcome = compare_scores(strength, held[0])
    return outcome > 0 or (outcome == 0 and rank(predecessor) < rank(held[1]))


def _reconstruct(layers: list[_Layer[N]], node: N, hops: int) -> tuple[N, ...]:
    path = [node]
    for layer in range(hops, 0, -1):
        node = layers[layer][node][1]
        path.append(node)
    path.reverse()
    return tuple(path)
