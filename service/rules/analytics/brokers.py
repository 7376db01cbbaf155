"""Rule 16: brokers, the people who bridge the account's factions.

Betweenness centrality on the undirected simple graph of influence links, ties (any kind) and
reporting lines among the active stakeholders, normalised as networkx's `betweenness_centrality(G,
normalized=True)`: the sum over ordered pairs (s, t), s != v != t, of the share of shortest s-t paths
through v, divided by (n - 1)(n - 2) (no scaling when n <= 2, where every value is 0).

Brandes' algorithm (2001): one breadth-first search per source counts the shortest paths, then the
dependencies are accumulated in reverse order of distance. Exact, no path enumerated; O(n x edges)
time, which no exact algorithm beats in general (leaves are the one shortcut taken, see `brandes`). Nodes are numbered in name order and neighbours
sorted, so the floating-point sums, and with them the answers, do not depend on input order.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import label, score
from service.rules.analytics.memo import per_snapshot, remembered
from service.rules.analytics.ordering import SortKey, person_key, tolerant_sorted
from service.rules.analytics.ranked import Ranked
from service.rules.analytics.weights import influence_of


@dataclass(frozen=True, slots=True)
class Broker:
    stakeholder: str
    betweenness: float
    """Normalised: in [0, 1]."""
    covered: bool
    reason: str


@per_snapshot
def brokers(graph: AccountGraph) -> Ranked[Broker]:
    """Stakeholders with betweenness > 0, by betweenness desc, then influence desc, then name; the
    reason calls out a broker nobody on our team covers."""
    view = active_view(graph)
    centrality = betweenness_in(view)
    found = [view.people[p] for p, value in centrality.items() if value > 0]
    ranked = tolerant_sorted(found, key=lambda p: _rank(centrality[p.id], influence_of(p), person_key(p)))
    return Ranked.of(ranked, lambda person: _broker(view, person.id, centrality[person.id]))


def betweenness(graph: AccountGraph) -> dict[str, float]:
    """Active stakeholder id -> normalised betweenness centrality."""
    return dict(betweenness_in(active_view(graph)))


def betweenness_in(view: ActiveView) -> dict[str, float]:
    """`betweenness` over the view, computed once per view: shared, do not change it."""
    return remembered(view.memo, "brokers/betweenness", lambda: _betweenness(view))


def broker_network(view: ActiveView) -> dict[str, set[str]]:
    """Each active stakeholder's neighbours by influence link (either way), tie or reporting line."""

    def build() -> dict[str, set[str]]:
        neighbours: dict[str, set[str]] = {person_id: set() for person_id in view.people}
        pairs = [*view.link_strength, *((t.a, t.b) for t in view.ties)]
        pairs += [(line.person, line.manager) for line in view.reporting_lines]
        for a, b in pairs:
            neighbours[a].add(b)
            neighbours[b].add(a)
        return neighbours

    return remembered(view.memo, "brokers/network", build)


def _rank(value: float, influence: int, name_key: tuple[str, str]) -> SortKey:
    return (-value, -influence, *name_key)


def _betweenness(view: ActiveView) -> dict[str, float]:
    ordered = view.sorted_ids(view.people)
    number = {person_id: n for n, person_id in enumerate(ordered)}
    network = broker_network(view)
    adjacency = [sorted(number[other] for other in network[person_id]) for person_id in ordered]
    raw = brandes(adjacency)
    n = len(ordered)
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {person_id: raw[k] * scale for k, person_id in enumerate(ordered)}


def brandes(adjacency: list[list[int]]) -> list[float]:
    """Unnormalised betweenness of an undirected graph (nodes 0..n-1, each edge listed at both ends),
    summed over ordered pairs of endpoints.

    A leaf `s` (one neighbour `u`, which has others) needs no search of its own: every shortest path
    from `s` is `s, u` followed by a shortest path from `u`, so `s` depends on `u` for every other
    node it reaches, and on any other node `v` exactly as `u` does (the pair (u, s) has no inside).
    """
    n = len(adjacency)
    total = [0.0] * n
    for source in range(n):
        if len(adjacency[source]) > 0 and not _is_leaf_on_a_hub(adjacency, source):
            leaves = sum(1 for other in adjacency[source] if _is_leaf_on_a_hub(adjacency, other))
            _add_dependencies(adjacency, source, total, 1 + leaves)
    return total


def _is_leaf_on_a_hub(adjacency: list[list[int]], node: int) -> bool:
    return len(adjacency[node]) == 1 and len(adjacency[adjacency[node][0]]) > 1


def _add_dependencies(adjacency: list[list[int]], source: int, total: list[float], leaves_too: int) -> None:
    """Brandes' single-source step: add every node's dependency on `source` to `total`, times
    `leaves_too` (the source and the leaves hanging on it), and each leaf's dependency on the source.
    The inner loops are written out, as they run n x edges times."""
    n = len(adjacency)
    distance = [-1] * n
    paths = [0.0] * n
    distance[source] = 0
    paths[source] = 1.0
    order = [source]
    reach = order.append
    for v in order:  # grows while it is read: a breadth-first search
        next_distance = distance[v] + 1
        paths_v = paths[v]
        for w in adjacency[v]:
            distance_w = distance[w]
            if distance_w < 0:
                distance[w] = next_distance
                paths[w] = paths_v
                reach(w)
            elif distance_w == next_distance:
                paths[w] += paths_v
    dependency = [0.0] * n
    for w in reversed(order):
        share = (1.0 + dependency[w]) / paths[w]
        previous_distance = distance[w] - 1
        for v in adjacency[w]:
            if distance[v] == previous_distance:
                dependency[v] += paths[v] * share
    dependency[source] = 0.0
    for v in order:
        total[v] += dependency[v] * leaves_too
    # each leaf reaches everyone the source reaches, but itself and the source, through the source
    total[source] += (leaves_too - 1) * (len(order) - 2)


def _broker(view: ActiveView, person_id: str, value: float) -> Broker:
    neighbours = broker_network(view)[person_id]
    reached = neighbours | {person_id}
    circles = len({m.circle for p in reached for m in view.memberships_of.get(p, ())})
    return Broker(
        stakeholder=person_id,
        betweenness=value,
        covered=person_id in view.covered,
        reason=(
            f"{label(view, person_id)} bridges the account: betweenness {score(value)}, linked to "
            f"{len(neighbours)} people across {circles} circle(s); {_coverage(view, person_id)}."
        ),
    )


def _coverage(view: ActiveView, person_id: str) -> str:
    if person_id not in view.covered:
        return "nobody on our team covers them: a broker we do not reach"
    members = sorted({view.team[c.team_member].name for c in view.coverage_of[person_id]})
    return f"we cover them ({', '.join(members)})"
