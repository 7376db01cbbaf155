"""Strongest influence paths between stakeholders: `strongest(a, b)` of DOMAIN.md over the active view."""

from __future__ import annotations

from collections.abc import Iterable

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.ordering import compare_keys, person_key
from service.rules.analytics.strongest_paths import BestPath, strongest_paths_from


def strongest_paths_to(view: ActiveView, target: str, max_hops: int) -> dict[str, BestPath[str]]:
    """For every stakeholder that reaches `target`, its strongest path (stakeholder .. target).

    Searches backwards from the target over reversed links: one search per target, not per source.
    """
    backwards = strongest_paths_from(target, view.influences_in, max_hops, lambda p: person_key(view.people[p]))
    return {
        source: BestPath(found.strength, found.hops, tuple(reversed(found.path))) for source, found in backwards.items()
    }


def strongest_paths_to_any(view: ActiveView, targets: Iterable[str], max_hops: int) -> dict[str, BestPath[str]]:
    """For every stakeholder, its strongest path to some other member of `targets`.

    Among equally strong paths: fewer hops, then the target by name and id.
    """
    best: dict[str, BestPath[str]] = {}
    for target in view.sorted_ids(set(targets)):
        for source, found in strongest_paths_to(view, target, max_hops).items():
            held = best.get(source)
            if held is None or compare_keys((-found.strength, found.hops), (-held.strength, held.hops)) < 0:
                best[source] = found
    return best
