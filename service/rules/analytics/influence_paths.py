"""Strongest influence paths between stakeholders: `strongest(a, b)` of DOMAIN.md over the active view.

Each function is one dynamic-programming search (see `strongest_paths`), however many sources or
targets it serves.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.ordering import person_key
from service.rules.analytics.strongest_paths import BestPath, Rank, strongest_paths_from


def strongest_paths_to(view: ActiveView, targets: Collection[str], max_hops: int) -> dict[str, BestPath[str]]:
    """For every stakeholder outside `targets` that reaches one: its strongest path (stakeholder .. target).

    Searches backwards from the targets over reversed links. Ties: fewer hops, then target by name, id.
    """
    backwards = strongest_paths_from(targets, view.influences_in, max_hops, _ranker(view))
    return {
        source: BestPath(found.strength, found.hops, tuple(reversed(found.path))) for source, found in backwards.items()
    }


def strongest_paths_from_any(view: ActiveView, sources: Collection[str], max_hops: int) -> dict[str, BestPath[str]]:
    """For every stakeholder outside `sources` reached by one: the strongest path (source .. stakeholder).

    Ties: fewer hops, then source by name, id.
    """
    return strongest_paths_from(sources, view.influences_out, max_hops, _ranker(view))


def strongest_paths_among(view: ActiveView, targets: Collection[str], max_hops: int) -> dict[str, BestPath[str]]:
    """Like `strongest_paths_to`, and also each target's own strongest path to one of the others."""
    best = strongest_paths_to(view, targets, max_hops)
    for target in targets:
        others = [other for other in targets if other != target]
        found = strongest_paths_to(view, others, max_hops).get(target) if others else None
        if found is not None:
            best[target] = found
    return best


def _ranker(view: ActiveView) -> Callable[[str], Rank]:
    def rank(person_id: str) -> Rank:
        return person_key(view.people[person_id])

    return rank
