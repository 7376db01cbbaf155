"""Item 9: the balance of power between the political circles."""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph, Circle
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import score
from service.rules.analytics.memo import per_snapshot
from service.rules.analytics.ordering import SortKey, tolerant_sorted
from service.rules.analytics.stance_balance import weighted_stance
from service.rules.analytics.weights import influence_of


@dataclass(frozen=True, slots=True)
class CircleBalance:
    circle: str
    members: int
    core_members: int
    influence_total: int
    """Unrated members count as 1."""
    stance_balance: float | None
    """Influence-weighted mean stance of the members; None when no member's stance is known."""
    covered_core_members: int
    decision_circle: bool
    """A decision maker sits in the core."""
    reason: str


@dataclass(frozen=True, slots=True)
class PowerMap:
    circles: tuple[CircleBalance, ...]
    """Decision circles first, then by influence total desc, then name."""
    unaffiliated: tuple[str, ...]
    """Active stakeholders in no circle, by name."""


@per_snapshot
def power_map(graph: AccountGraph) -> PowerMap:
    view = active_view(graph)
    balances = [_balance(view, circle) for circle in view.circles.values()]
    affiliated = {m.person for m in view.memberships}
    return PowerMap(
        circles=tuple(tolerant_sorted(balances, key=lambda b: _rank(view, b))),
        unaffiliated=tuple(view.sorted_ids(p for p in view.people if p not in affiliated)),
    )


def _rank(view: ActiveView, balance: CircleBalance) -> SortKey:
    return (
        0 if balance.decision_circle else 1,
        -balance.influence_total,
        view.circles[balance.circle].name,
        balance.circle,
    )


def _balance(view: ActiveView, circle: Circle) -> CircleBalance:
    members = [m for m in view.memberships if m.circle == circle.id]
    people = [view.people[m.person] for m in members]
    core = {m.person for m in members if m.core}
    balance = weighted_stance(people)
    decision = not core.isdisjoint(view.decision_makers)
    covered_core = len(core & view.covered)
    mood = "no known stance" if balance is None else f"stance balance {score(balance)}"
    role = "holds the decision" if decision else "holds no decision maker in its core"
    return CircleBalance(
        circle=circle.id,
        members=len(members),
        core_members=len(core),
        influence_total=sum(influence_of(person) for person in people),
        stance_balance=balance,
        covered_core_members=covered_core,
        decision_circle=decision,
        reason=(
            f"{circle.name} {role}; {len(members)} members, {mood}, "
            f"we cover {covered_core} of {len(core)} core members."
        ),
    )
