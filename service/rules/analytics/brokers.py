"""Rule 16: brokers, the people who bridge the account's factions.

Betweenness centrality on the undirected simple graph of influence links, ties (any kind) and
reporting lines among the active stakeholders, normalised as networkx's `betweenness_centrality(G,
normalized=True)`: the sum over ordered pairs (s, t), s != v != t, of the share of shortest s-t paths
through v, divided by (n - 1)(n - 2) (no scaling when n <= 2, where every value is 0).

Computed exactly by igraph (Brandes' algorithm in C, see `centrality`). Nodes are numbered in name
order and edges sorted, so the floating-point sums, and with them the answers, do not depend on input
order.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.centrality import normalised_betweenness
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
    edges = sorted(
        (number[person_id], number[other])
        for person_id in ordered
        for other in network[person_id]
        if number[person_id] < number[other]
    )
    values = normalised_betweenness(len(ordered), edges)
    return {person_id: values[k] for k, person_id in enumerate(ordered)}


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
