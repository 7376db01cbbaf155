"""Rule 15: single points of failure on our way to a person.

The routes to `k` are all its access paths (`warm_arcs`, at most `max_hops` hops, a direct coverage
being a route of one hop). A single point of failure is the one team member every route starts at,
or a stakeholder on every route strictly between the team member and `k`.

No route is enumerated (there can be exponentially many). One hop-bounded search from all team
members at once carries, for every node `v` and hop budget `h`, the meet over all walks of at most
`h` arcs from a team member to `v` of: the team member the walk starts at (or "several"), and the set
of stakeholders the walk passes strictly between its ends. A walk of at most `h` arcs avoiding a node
contains a simple path of at most `h` arcs avoiding it (cut out the cycles: the ends stay, hops only
drop, and every node left was already allowed), so the meet over walks equals the meet over routes.
The hop bound is why a plain dominator tree would not do: the only route avoiding `x` may be too long.

The recurrence is semi-naive: in round `h + 1` only the arcs out of nodes whose value changed in round
`h` are relaxed (the meet is idempotent and values only shrink), so most nodes drop out as soon as two
team members and two disjoint routes reach them. Cost O(max_hops x arcs) set operations on sets of at
most `max_hops - 1` nodes.

Several stakeholders may lie on every route, always in the same order, and the one nearest `k` is
named. Were `x` before `y` on a route P and after it on a route Q, the walks P[..x] + Q[x..] (avoiding
`y`) and Q[..y] + P[y..] (avoiding `x`) would have |P| + |Q| <= 2 x max_hops arcs together, so one of
them, cycles cut out, would be a route avoiding `x` or `y`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.nodes import NodeRef
from service.rules.analytics.warm_arcs import WarmArcs, warm_arcs

_SEVERAL = -1
"""Stands for "walks from several team members" where a team member's node number would be."""
_NONE: frozenset[int] = frozenset()

_State = tuple[int, frozenset[int]]
"""(the one team member every walk starts at, or _SEVERAL; the stakeholders every walk passes)."""
_FREE: _State = (_SEVERAL, _NONE)
"""The bottom of the meet: walks from several team members, nobody on all of them. Once free, free."""


@dataclass(frozen=True, slots=True)
class SinglePoint:
    target: str
    point: NodeRef
    """The stakeholder on every route nearest the target if there is one, else the one team member."""
    team_member: str | None
    """The one team member every route starts at, if there is one."""
    stakeholders: tuple[str, ...]
    """Every stakeholder on every route, team side first."""
    route: tuple[NodeRef, ...]
    """One fewest-hop route: the team member .. the target."""


def single_points(view: ActiveView, targets: Collection[str], max_hops: int) -> dict[str, SinglePoint]:
    """Target id -> its single point of failure, for the targets that have routes and one."""
    arcs = warm_arcs(view)
    states, parent = _meet_over_walks(arcs, max_hops)
    found = {}
    for target in targets:
        state = states.get(arcs.nodes.person[target])
        if state is not None and (state[0] != _SEVERAL or state[1]):
            found[target] = _single_point(arcs, parent, arcs.nodes.person[target], state)
    return found


def _meet_over_walks(arcs: WarmArcs, max_hops: int) -> tuple[dict[int, _State], dict[int, int]]:
    """Every node reached within `max_hops` -> its state; and each node's parent on a fewest-hop walk
    (the first in name order among the nodes one hop nearer)."""
    members = set(arcs.nodes.member.values())
    states: dict[int, _State] = {member: (member, _NONE) for member in members}
    parent: dict[int, int] = {}
    changed = sorted(states)
    for _ in range(max_hops):
        updates: dict[int, _State] = {}
        for u in changed:
            origin, passed = states[u]
            carried = (origin, passed if u in members else passed | {u})
            for v in arcs.forwards.get(u, ()):
                held = updates.get(v) or states.get(v)
                if held is None:
                    updates[v] = carried
                    parent[v] = u
                elif held is not _FREE and held != carried:
                    updates[v] = _meet(held, carried)
        changed = sorted(v for v, state in updates.items() if states.get(v) != state)
        states.update(updates)
        if not changed:
            break
    return states, parent


def _meet(a: _State, b: _State) -> _State:
    origin = a[0] if a[0] == b[0] else _SEVERAL
    passed = a[1] & b[1]
    return _FREE if origin == _SEVERAL and not passed else (origin, passed)


def _single_point(arcs: WarmArcs, parent: dict[int, int], target: int, state: _State) -> SinglePoint:
    nodes = arcs.nodes
    route = [target]
    while route[-1] in parent:
        route.append(parent[route[-1]])
    route.reverse()
    passed = [node for node in route if node in state[1]]
    origin = state[0]
    return SinglePoint(
        target=nodes.id(target),
        point=nodes.ref(passed[-1] if passed else origin),
        team_member=None if origin == _SEVERAL else nodes.id(origin),
        stakeholders=tuple(nodes.id(node) for node in passed),
        route=tuple(nodes.ref(node) for node in route),
    )
