"""Items 11 and 13: warm introduction paths from our team to a stakeholder.

First hop: a team member covers a stakeholder (weight relationshipStep / 5). Then influence links
in either direction, KNOWS/ALLY ties (weight strength / 5) or reporting lines in either direction
(weight 3/5). Every stakeholder on the path except the target - the covered first one included -
must be a SUPPORTER or MENTOR: we only ask friends to introduce us. Hops count the coverage hop.
The arcs are in `warm_arcs`.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import active_view
from service.rules.analytics.describe import rating, score
from service.rules.analytics.errors import AnalyticsInputError
from service.rules.analytics.memo import per_snapshot
from service.rules.analytics.nodes import NodeRef
from service.rules.analytics.ordering import tolerant_sorted
from service.rules.analytics.policy import ACCESS_DEFAULT_MAX_HOPS
from service.rules.analytics.ranked import Ranked
from service.rules.analytics.strongest_paths import search_from
from service.rules.analytics.validation import validate_max_hops
from service.rules.analytics.warm_arcs import Steps, WarmNodes, warm_arcs


@dataclass(frozen=True, slots=True)
class AccessPath:
    team_member: str
    target: str
    strength: float
    hops: int
    path: tuple[NodeRef, ...]
    """From the team member to the target, both included."""
    reason: str


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
    arcs = warm_arcs(view)
    nodes, steps = arcs.nodes, arcs.steps
    # One search backwards from the target serves every team member at once.
    found = search_from([nodes.person[to]], arcs.backwards, max_hops, _identity, only=set(nodes.member.values()))
    ranked = tolerant_sorted(
        found.best_layer,
        key=lambda n: (-found.strength(n), found.best_layer[n], nodes.name(n), nodes.id(n)),
    )
    return Ranked.of(ranked, lambda n: _row(nodes, steps, found.walk_back(n), found.strength(n)))


def _identity(node: int) -> int:
    return node


def _row(nodes: WarmNodes, steps: Steps, path: tuple[int, ...], strength: float) -> AccessPath:
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
