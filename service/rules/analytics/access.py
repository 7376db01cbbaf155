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
from service.rules.analytics.nodes import NodeKind, NodeRef
from service.rules.analytics.ordering import is_positive, tolerant_sorted
from service.rules.analytics.policy import (
    ACCESS_DEFAULT_MAX_HOPS,
    BONDING_TIE_KINDS,
    DEFAULT_FIRST_ACCESS_PATHS,
    SUPPORTIVE_STANCES,
)
from service.rules.analytics.strongest_paths import strongest_paths_from
from service.rules.analytics.validation import validate_first, validate_max_hops
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


@dataclass(frozen=True, slots=True)
class _Step:
    """The strongest arc between two consecutive nodes, and how to say it."""

    weight: float
    rating: int
    verb: str


_Steps = dict[tuple[NodeRef, NodeRef], _Step]


def access_paths(
    graph: AccountGraph,
    to: str,
    max_hops: int = ACCESS_DEFAULT_MAX_HOPS,
    first: int = DEFAULT_FIRST_ACCESS_PATHS,
) -> list[AccessPath]:
    """The best path per team member, strongest first, then fewer hops, then team member name."""
    validate_max_hops(max_hops)
    validate_first(first)
    view = active_view(graph)
    if to not in view.people:
        raise AnalyticsInputError("to", f"no active stakeholder with id {to!r} in this account")
    steps = _steps(view)
    backwards: dict[NodeRef, list[tuple[NodeRef, float]]] = {}
    for (a, b), step in steps.items():
        backwards.setdefault(b, []).append((a, step.weight))
    target = NodeRef.stakeholder(to)
    # One search backwards from the target serves every team member at once.
    found = strongest_paths_from([target], backwards, max_hops, lambda node: _rank(view, node))
    rows = [
        _row(view, steps, tuple(reversed(best.path)), best.strength)
        for node, best in found.items()
        if node.kind is NodeKind.TEAM_MEMBER
    ]
    ranked = tolerant_sorted(
        rows, key=lambda row: (-row.strength, row.hops, view.team[row.team_member].name, row.team_member)
    )
    return ranked[:first]


def _rank(view: ActiveView, node: NodeRef) -> tuple[str, ...]:
    name = view.team[node.id].name if node.kind is NodeKind.TEAM_MEMBER else view.name(node.id)
    return (name, node.kind.value, node.id)


def _steps(view: ActiveView) -> _Steps:
    steps: _Steps = {}

    def offer(a: NodeRef, b: NodeRef, step: _Step) -> None:
        held = steps.get((a, b))
        # Equal weights: the verb decides, so the reason does not depend on input order.
        if is_positive(step.weight) and (held is None or (-step.weight, step.verb) < (-held.weight, held.verb)):
            steps[(a, b)] = step

    for coverage in view.coverage:
        member, person = NodeRef.team_member(coverage.team_member), NodeRef.stakeholder(coverage.person)
        offer(member, person, _Step(rating_weight(step_rating(coverage)), step_rating(coverage), "covers"))
    for (source, target), strength in view.link_strength.items():
        a, b = NodeRef.stakeholder(source), NodeRef.stakeholder(target)
        offer(a, b, _Step(rating_weight(strength), strength, "influences"))
        offer(b, a, _Step(rating_weight(strength), strength, "is influenced by"))
    for tie in view.ties:
        if tie.kind in BONDING_TIE_KINDS:
            a, b = NodeRef.stakeholder(tie.a), NodeRef.stakeholder(tie.b)
            step = _Step(rating_weight(tie_rating(tie)), tie_rating(tie), tie.kind.value)
            offer(a, b, step)
            offer(b, a, step)
    return {
        (a, b): step
        for (a, b), step in steps.items()
        if a.kind is NodeKind.TEAM_MEMBER or view.people[a.id].stance in SUPPORTIVE_STANCES
    }


def _row(view: ActiveView, steps: _Steps, path: tuple[NodeRef, ...], strength: float) -> AccessPath:
    def name(node: NodeRef) -> str:
        return view.team[node.id].name if node.kind is NodeKind.TEAM_MEMBER else view.name(node.id)

    hops = [
        f"{name(a)} {steps[(a, b)].verb} {name(b)} {rating(steps[(a, b)].rating)}"
        for a, b in zip(path, path[1:], strict=False)
    ]
    return AccessPath(
        team_member=path[0].id,
        target=path[-1].id,
        strength=strength,
        hops=len(path) - 1,
        path=path,
        reason=f"{'; '.join(hops)}: strength {score(strength)}.",
    )
