"""The arcs of warm introductions (items 11 and 13), shared by access paths and single points of failure.

First hop: a team member covers a stakeholder (weight relationshipStep / 5). Then, from a SUPPORTER or
MENTOR only (we only ask friends to introduce us): an influence link in either direction, a KNOWS or
ALLY tie, or a reporting line in either direction (weight 3/5: a subordinate who supports us can
introduce us to their manager, and the reverse). Nodes are numbered so searches compare integers.
"""

from __future__ import annotations

from functools import cached_property

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.memo import remembered
from service.rules.analytics.nodes import NodeKind, NodeRef
from service.rules.analytics.ordering import is_positive
from service.rules.analytics.policy import BONDING_TIE_KINDS, REPORTING_LINE_STRENGTH, SUPPORTIVE_STANCES
from service.rules.analytics.weights import rating_weight, step_rating, tie_rating

Step = tuple[float, str, int]
"""The strongest arc between two consecutive nodes, and how to say it: (weight, verb, rating)."""
Steps = dict[tuple[int, int], Step]
"""Keyed by node numbers (see `WarmNodes`)."""


class WarmNodes:
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


class WarmArcs:
    """The arcs, and adjacency lists built on first use (access paths search backwards, single points
    of failure forwards)."""

    def __init__(self, nodes: WarmNodes, steps: Steps) -> None:
        self.nodes = nodes
        self.steps = steps

    @cached_property
    def forwards(self) -> dict[int, list[int]]:
        """Node -> the nodes its arcs lead to."""
        forwards: dict[int, list[int]] = {}
        for a, b in self.steps:
            forwards.setdefault(a, []).append(b)
        return forwards

    @cached_property
    def backwards(self) -> dict[int, list[tuple[int, float]]]:
        """Node -> (node whose arc leads here, weight)."""
        backwards: dict[int, list[tuple[int, float]]] = {}
        for (a, b), step in self.steps.items():
            backwards.setdefault(b, []).append((a, step[0]))
        return backwards


def warm_arcs(view: ActiveView) -> WarmArcs:
    """Built once per view (shared, do not change it)."""

    def build() -> WarmArcs:
        nodes = WarmNodes(view)
        return WarmArcs(nodes, _steps(view, nodes))

    return remembered(view.memo, "warm/arcs", build)


def _steps(view: ActiveView, nodes: WarmNodes) -> Steps:
    """Arcs from team members and supporters only: nobody else introduces us."""
    steps: Steps = {}
    weights: dict[int, float | None] = {}
    person = nodes.person
    supportive = {p.id for p in view.people.values() if p.stance in SUPPORTIVE_STANCES}

    def offer(a: int, b: int, rated: int, verb: str) -> None:
        if rated not in weights:
            weights[rated] = rating_weight(rated) if is_positive(rating_weight(rated)) else None
        weight = weights[rated]
        held = steps.get((a, b))
        # Equal weights: the verb decides, so the reason does not depend on input order.
        if weight is not None and (held is None or (-weight, verb) < (-held[0], held[1])):
            steps[(a, b)] = (weight, verb, rated)

    for coverage in view.coverage:
        offer(nodes.member[coverage.team_member], person[coverage.person], step_rating(coverage), "covers")
    # Written out for links, the many: most of them touch no supporter.
    for (source, target), strength in view.link_strength.items():
        if source in supportive:
            offer(person[source], person[target], strength, "influences")
        if target in supportive:
            offer(person[target], person[source], strength, "is influenced by")
    pairs = [(t.a, t.b, tie_rating(t), t.kind.value, t.kind.value) for t in view.ties if t.kind in BONDING_TIE_KINDS]
    pairs += [(r.person, r.manager, REPORTING_LINE_STRENGTH, "reports to", "manages") for r in view.reporting_lines]
    for a, b, rated, verb, reverse_verb in pairs:
        if a in supportive:
            offer(person[a], person[b], rated, verb)
        if b in supportive:
            offer(person[b], person[a], rated, reverse_verb)
    return steps
