"""Item 1: who influences a stakeholder, or the decision makers, and by which strongest path."""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import influence_chain
from service.rules.analytics.errors import AnalyticsInputError
from service.rules.analytics.influence_paths import strongest_paths_among, strongest_paths_to
from service.rules.analytics.memo import per_snapshot
from service.rules.analytics.ordering import is_stronger, person_key, tolerant_sorted
from service.rules.analytics.policy import DEFAULT_MAX_HOPS, DEFAULT_MIN_STRENGTH
from service.rules.analytics.ranked import Ranked
from service.rules.analytics.strongest_paths import BestPath
from service.rules.analytics.validation import validate_max_hops


@dataclass(frozen=True, slots=True)
class InfluencePath:
    influencer: str
    target: str
    strength: float
    hops: int
    path: tuple[str, ...]
    """Stakeholder ids from the influencer to the target, both included."""
    reason: str


@per_snapshot
def influencers(
    graph: AccountGraph,
    of: str | None = None,
    max_hops: int = DEFAULT_MAX_HOPS,
    min_strength: float = DEFAULT_MIN_STRENGTH,
) -> Ranked[InfluencePath]:
    """Everyone whose strongest path to the target (`of`, else any decision maker) beats `min_strength`.

    One row per influencer, with its best target; strongest first, then fewer hops, then name.
    """
    validate_max_hops(max_hops)
    view = active_view(graph)
    if of is None:
        best = strongest_paths_among(view, view.decision_makers, max_hops)
    else:
        _require_active(view, of)
        best = strongest_paths_to(view, [of], max_hops)
    found = [path for path in best.values() if is_stronger(path.strength, min_strength)]
    ranked = tolerant_sorted(
        found, key=lambda path: (-path.strength, path.hops, *person_key(view.people[path.path[0]]))
    )
    return Ranked.of(ranked, lambda path: _row(view, path))  # reasons only for the rows read


def _require_active(view: ActiveView, person_id: str) -> None:
    if person_id not in view.people:
        raise AnalyticsInputError("of", f"no active stakeholder with id {person_id!r} in this account")


def _row(view: ActiveView, found: BestPath[str]) -> InfluencePath:
    return InfluencePath(
        influencer=found.path[0],
        target=found.path[-1],
        strength=found.strength,
        hops=found.hops,
        path=found.path,
        reason=influence_chain(view, found.path, found.strength),
    )
