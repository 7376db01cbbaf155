"""Rule 3's converter for any stakeholder: the SUPPORTER/MENTOR with the strongest influence path to
them, or a team member who covers them directly (relationshipStep / 5), whichever is stronger."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.influence_paths import strongest_paths_from_any
from service.rules.analytics.nodes import NodeKind, NodeRef
from service.rules.analytics.ordering import SortKey, is_positive, tolerant_sorted
from service.rules.analytics.policy import CONVERTER_KIND_PREFERENCE, SUPPORTIVE_STANCES
from service.rules.analytics.strongest_paths import Search
from service.rules.analytics.weights import rating_weight, step_rating


@dataclass(frozen=True, slots=True)
class Converter:
    node: NodeRef
    strength: float
    hops: int
    path: tuple[NodeRef, ...]
    """From the converter to the target, both included."""


def best_converters(view: ActiveView, targets: Collection[str], max_hops: int) -> dict[str, Converter | None]:
    """Each target's best converter (None if nobody qualifies). Ties as in rule 3: strength, then fewer
    hops, then a stakeholder before a team member, then name and id."""
    supporters = [p.id for p in view.people.values() if p.stance in SUPPORTIVE_STANCES]
    shared = strongest_paths_from_any(view, supporters, max_hops, [t for t in targets if t not in supporters])
    found: dict[str, Converter | None] = {}
    for target in targets:
        # A supporter is an origin of the shared search, so it needs its own search without itself.
        search = shared if target not in supporters else _search_without(view, supporters, target, max_hops)
        offers = _stakeholder_offer(search, target) + _team_offers(view, target)
        found[target] = tolerant_sorted(offers, key=lambda offer: _rank(view, offer))[0] if offers else None
    return found


def _search_without(view: ActiveView, supporters: list[str], target: str, max_hops: int) -> Search[str]:
    return strongest_paths_from_any(view, [p for p in supporters if p != target], max_hops, [target])


def _stakeholder_offer(search: Search[str], target: str) -> list[Converter]:
    if target not in search.best_layer:
        return []
    path = tuple(NodeRef.stakeholder(p) for p in search.path(target))
    return [Converter(path[0], search.strength(target), search.best_layer[target], path)]


def _team_offers(view: ActiveView, target: str) -> list[Converter]:
    offers = []
    for coverage in view.coverage_of.get(target, ()):
        strength = rating_weight(step_rating(coverage))
        if is_positive(strength):
            member = NodeRef.team_member(coverage.team_member)
            offers.append(Converter(member, strength, 1, (member, NodeRef.stakeholder(target))))
    return offers


def _rank(view: ActiveView, offer: Converter) -> SortKey:
    node = offer.node
    name = view.team[node.id].name if node.kind is NodeKind.TEAM_MEMBER else view.name(node.id)
    return (-offer.strength, offer.hops, CONVERTER_KIND_PREFERENCE.index(node.kind), name, node.id)
