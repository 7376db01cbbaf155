"""The arcs of warm introductions (items 11 and 13), shared by access paths and single points of failure.

First hop: a team member covers a stakeholder (weight relationshipStep / 5). Then, from a SUPPORTER or
MENTOR only (we only ask friends to introduce us): an influence link in either direction, a KNOWS or
ALLY tie, or a reporting line in either direction (weight 3/5: a subordinate who supports us can
introduce us to their manager, and the reverse). Nodes are numbered so searches compare integers.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    def is_member(self, node: int) -> bool:
        return self._entries[node][1] == NodeKind.TEAM_MEMBER.value

    def ref(self, node: int) -> NodeRef:
        _, kind, node_id = self._entries[node]
        return NodeRef(NodeKind(kind), node_id)


@dataclass(frozen=True, slots=True)
class WarmArcs:
    nodes: WarmNodes
    steps: Steps
    forwards: dict[int, list[int]]
    """Node -> the nodes its arcs lead to."""
    backwards: dict[int, list[tuple[int, float]]]
    """Node -> (node whose arc leads here, weight)."""


def warm_arcs(view: ActiveView) -> WarmArcs:
    """Built once per view (shared, do not change it)."""

    def build() -> WarmArcs:
        nodes = WarmNodes(view)
        steps = _steps(view, nodes)
        forwards: dict[int, list[int]] = {}
        backwards: dict[int, list[tuple[int, float]]] = {}
        for (a, b), step in steps.items():
            forwards.setdefault(a, []).append(b)
            backwards.setdefault(b, []).append((a, step[0]))
        return WarmArcs(nodes, steps, forwards, backwards)

    return remembered(view.memo, "warm/arcs", build)


def _steps(view: ActiveView, nodes: WarmNodes) -> Steps:
    """Arcs from team members and supporters only: nobody else introduces us."""
    steps: Steps = {}
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

    def offer_both(a: str, b: str, rated: int, verb: str, reverse_verb: str) -> None:
        if a in supportive:
            offer(person[a], person[b], rated, verb)
        if b in supportive:
            offer(person[b], person[a], rated, reverse_verb)

    for coverage in view.coverage:
        offer(nodes.member[coverage.team_member], person[coverage.person], step_rating(coverage), "covers")
    for (source, target), strength in view.link_strength.items():
        offer_both(source, target, strength, "influences", "is influenced by")
    for tie in view.ties:
        if tie.kind in BONDING_TIE_KINDS:
            offer_both(tie.a, tie.b, tie_rating(tie), tie.kind.value, tie.kind.value)
    for line in view.reporting_lines:
        offer_both(line.person, line.manager, REPORTING_LINE_STRENGTH, "reports to", "manages")
    return steps
