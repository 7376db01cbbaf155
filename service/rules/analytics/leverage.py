"""Item 2: how strongly each stakeholder bears on the decision."""

from __future__ import annotations

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.influence_paths import strongest_strengths_to
from service.rules.analytics.memo import remembered
from service.rules.analytics.policy import DEFAULT_MAX_HOPS
from service.rules.analytics.validation import validate_max_hops


def leverage(graph: AccountGraph, max_hops: int = DEFAULT_MAX_HOPS) -> dict[str, float]:
    """Active stakeholder id -> 1 for a decision maker, else its strongest path to one (0 if none)."""
    validate_max_hops(max_hops)
    return dict(leverage_in(active_view(graph), max_hops))


def leverage_in(view: ActiveView, max_hops: int) -> dict[str, float]:
    """`leverage` over the view, computed once per view and hop limit: shared, do not change it."""
    return remembered(view.memo, f"leverage/{max_hops}", lambda: _leverage(view, max_hops))


def _leverage(view: ActiveView, max_hops: int) -> dict[str, float]:
    decision_makers = set(view.decision_makers)
    best = strongest_strengths_to(view, decision_makers, max_hops)
    return {person_id: 1.0 if person_id in decision_makers else best.get(person_id, 0.0) for person_id in view.people}
