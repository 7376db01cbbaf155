"""Strongest influence paths between stakeholders: `strongest(a, b)` of DOMAIN.md over the active view.

Each function is one dynamic-programming search (see `strongest_paths`), however many sources or
targets it serves.
"""

from __future__ import annotations

from collections.abc import Collection

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.strongest_paths import BestPath, Search, search_from


def strongest_paths_to(view: ActiveView, targets: Collection[str], max_hops: int) -> dict[str, BestPath[str]]:
    """For every stakeholder outside `targets` that reaches one: its strongest path (stakeholder .. target).

    Searches backwards from the targets over reversed links. Ties: fewer hops, then target by name, id.
    """
    backwards = search_to(view, targets, max_hops)
    return {source: _forwards(backwards, source) for source in backwards.best_layer}


def search_to(
    view: ActiveView, targets: Collection[str], max_hops: int, only: Collection[str] | None = None
) -> Search[str]:
    """`strongest_paths_to` (for the stakeholders in `only`, if given) without building the paths;
    `Search.walk_back` gives them stakeholder .. target."""
    return search_from(targets, view.influences_in, max_hops, view.rank_of.__getitem__, only)


def strongest_strengths_to(view: ActiveView, targets: Collection[str], max_hops: int) -> dict[str, float]:
    """The strengths of `strongest_paths_to`, without the paths."""
    return search_to(view, targets, max_hops).strengths()


def strongest_paths_from_any(
    view: ActiveView, sources: Collection[str], max_hops: int, only: Collection[str] | None = None
) -> Search[str]:
    """For every stakeholder outside `sources` reached by one (of `only`, if given): the strongest path
    (source .. stakeholder).

    Ties: fewer hops, then source by name, id.
    """
    return search_from(sources, view.influences_out, max_hops, view.rank_of.__getitem__, only)


def strongest_paths_among(view: ActiveView, targets: Collection[str], max_hops: int) -> dict[str, BestPath[str]]:
    """Like `strongest_paths_to`, and also each target's own strongest path to one of the others."""
    best = strongest_paths_to(view, targets, max_hops)
    for target in targets:
        others = [other for other in targets if other != target]
        if others:
            backwards = search_to(view, others, max_hops, only=(target,))
            if target in backwards.best_layer:
                best[target] = _forwards(backwards, target)
    return best


def _forwards(backwards: Search[str], source: str) -> BestPath[str]:
    return BestPath(backwards.strength(source), backwards.best_layer[source], backwards.walk_back(source))
