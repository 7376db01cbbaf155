"""Item 11: warm introduction paths from our team to a stakeholder.

First hop: a team member covers a stakeholder (weight relationshipStep / 5). Then influence links
in either direction or KNOWS/ALLY ties (weight strength / 5). Every stakeholder on the path except
the target - the covered first one included - must be a SUPPORTER or MENTOR: we only ask friends
to introduce us. Hops count the coverage hop.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import rating, score
from service.rules.analytics.errors import AnalyticsInputError
from service.rules.analytics.memo import per_snapshot
from service.rules.analytics.nodes import NodeKind, NodeRef
from service.rules.analytics.ordering import is_positive, tolerant_sorted
from service.rules.analytics.policy import (
    ACCESS_DEFAULT_MAX_HOPS,
    BONDING_TIE_KINDS,
    SUPPORTIVE_STANCES,
)
from service.rules.analytics.ranked import Ranked
from service.rules.analytics.strongest_paths import search_from
from service.rules.analytics.validation import validate_max_hops
from service.rules.analytics.weights import rating_weight, step_rating, tie_rating


@dataclass(frozen=True, slots=True)
class AccessPath:
    team_member: str
    target: str
    strength: float
    hops: int
    path: tuple[NodeRef, ...]
    """From the team member to the target, both included."""
    reason: str


_Step = tuple[float, str, int]
"""The strongest arc between two consecutive nodes, and how to say it: (weight, verb, rating)."""
_Steps = dict[tuple[int, int], _Step]
"""Keyed by node numbers (see `_Nodes`)."""


class _Nodes:
    """Stakeholders and team members numbered in the tie-break order (name, kind, id), so a search
    compares integers and builds no NodeRef until a row is returned."""

    def __init__(self, view: ActiveView) -> None:
        stakeholder, team_member = NodeKind.STAKEHOLDER.value, NodeKind.TEAM_MEMBER.value
        entries = [(p.name, stakeholder, p.id) for p in view.people.values()]
        entries += [(m.name, team_member, m.id) for m in view.team.values()]
        entries.sort()
        self._entries = entries
        self.person = {node_id: n for n, (_, kind, node_id) in enumerate(entries) if kind == stakeholder}
        self.member = {node_id: n for n, (_, kind, node_id) in enumerate(entries) if kind == team_member}

    def name(self, node: int) -> str:
        return self._entries[node][0]

    def id(self, node: int) -> str:
        return self._entries[node][2]

    def ref(self, node: int) -> NodeRef:
        _, kind, node_id = self._entries[node]
        return NodeRef(NodeKind(kind), node_id)


@per_snapshot
def access_paths(
    graph: AccountGraph,
    to: str,
    max_hops: int = ACCESS_DEFAULT_MAX_HOPS,
) -> Ranked[AccessPath]:
    """The best path per team member, strongest first, then fewer hops, then team member name."""
    validate_max_hops(max_hops)
    view = active_view(graph)
    if to not in view.people:
        raise AnalyticsInputError("to", f"no active stakeholder with id {to!r} in this account")
    nodes = _Nodes(view)
    steps = _steps(view, nodes)
    backwards: dict[int, list[tuple[int, float]]] = {}
    for (a, b), step in steps.items():
        backwards.setdefault(b, []).append((a, step[0]))
    # One search backwards from the target serves every team member at once.
    found = search_from([nodes.person[to]], backwards, max_hops, _identity, only=set(nodes.member.values()))
    ranked = tolerant_sorted(
        found.best_layer,
        key=lambda n: (-found.strength(n), found.best_layer[n], nodes.name(n), nodes.id(n)),
    )
    return Ranked.of(ranked, lambda n: _row(nodes, steps, found.walk_back(n), found.strength(n)))


def _identity(node: int) -> int:
    return node


def _steps(view: ActiveView, nodes: _Nodes) -> _Steps:
    """Arcs from team members and supporters only: nobody else introduces us."""
    steps: _Steps = {}
    weights: dict[int, float] = {}
    person = nodes.person
    supportive = {p.id for p in view.people.values() if p.stance in SUPPORTIVE_STANCES}

    def offer(a: int, b: int, rated: int, verb: str) -> None:
        weight = weights.get(rated)
        if weight is None:
            weight = weights[rated] = rating_weight(rated)
        held = steps.get((a, b))
        # Equal weights: the verb decides, so the reason does not depend on input order.
        if is_positive(weight) and (held is None or (-weight, verb) < (-held[0], held[1])):
            steps[(a, b)] = (weight, verb, rated)

    for coverage in view.coverage:
        offer(nodes.member[coverage.team_member], person[coverage.person], step_rating(coverage), "covers")
    for (source, target), strength in view.link_strength.items():
        if source in supportive:
            offer(person[source], person[target], strength, "influences")
        if target in supportive:
            offer(person[target], person[source], strength, "is influenced by")
    for tie in view.ties:
        if tie.kind in BONDING_TIE_KINDS and (tie.a in supportive or tie.b in supportive):
            a, b, rated, verb = person[tie.a], person[tie.b], tie_rating(tie), tie.kind.value
            if tie.a in supportive:
                offer(a, b, rated, verb)
            if tie.b in supportive:
                offer(b, a, rated, verb)
    return steps


def _row(nodes: _Nodes, steps: _Steps, path: tuple[int, ...], strength: float) -> AccessPath:
    hops = [
        f"{nodes.name(a)} {steps[(a, b)][1]} {nodes.name(b)} {rating(steps[(a, b)][2])}"
        for a, b in zip(path, path[1:], strict=False)
    ]
    return AccessPath(
        team_member=nodes.id(path[0]),
        target=nodes.id(path[-1]),
        strength=strength,
        hops=len(path) - 1,
        path=tuple(nodes.ref(n) for n in path),
        reason=f"{'; '.join(hops)}: strength {score(strength)}.",
    )
