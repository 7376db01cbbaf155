"""Item 5: tie supporters together (巩固支持者之间的关系) and find those who influence nobody neutral
(影响更多的人)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import combinations

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import label
from service.rules.analytics.policy import BONDING_TIE_KINDS, DEFAULT_MAX_HOPS, SUPPORTIVE_STANCES
from service.rules.analytics.validation import validate_max_hops
from service.rules.enums import Stance


@dataclass(frozen=True, slots=True)
class SupporterPair:
    a: str
    """The pair is ordered by name, then id: `a` first."""
    b: str
    reason: str


@dataclass(frozen=True, slots=True)
class IsolatedSupporter:
    stakeholder: str
    reason: str


@dataclass(frozen=True, slots=True)
class SupporterConsolidation:
    unlinked_pairs: tuple[SupporterPair, ...]
    isolated_supporters: tuple[IsolatedSupporter, ...]


def supporter_consolidation(graph: AccountGraph, max_hops: int = DEFAULT_MAX_HOPS) -> SupporterConsolidation:
    """Supporter/mentor pairs with no bond, and supporters who influence no neutral.

    Unlinked pair: no influence link either way and no KNOWS/ALLY tie (a RIVAL tie is no bond).
    Isolated: no path of at most `max_hops` influence links, followed in link direction FROM the
    supporter, to any NEUTRAL stakeholder - the supporter cannot carry our case to anyone undecided.
    Both lists are ordered by name, then id.
    """
    validate_max_hops(max_hops)
    view = active_view(graph)
    supporters = view.sorted_ids(p.id for p in view.people.values() if p.stance in SUPPORTIVE_STANCES)
    bonded = _bonded_pairs(view)
    pairs = tuple(
        SupporterPair(a, b, f"{label(view, a)} and {label(view, b)} both support us but have no link or tie.")
        for a, b in combinations(supporters, 2)
        if frozenset((a, b)) not in bonded
    )
    isolated = tuple(
        IsolatedSupporter(
            s, f"{label(view, s)} supports us but influences no neutral stakeholder within {max_hops} hops."
        )
        for s in supporters
        if not _reaches_neutral(view, s, max_hops)
    )
    return SupporterConsolidation(pairs, isolated)


def _bonded_pairs(view: ActiveView) -> set[frozenset[str]]:
    bonds = {frozenset(pair) for pair in view.link_strength}
    bonds.update(frozenset((tie.a, tie.b)) for tie in view.ties if tie.kind in BONDING_TIE_KINDS)
    return bonds


def _reaches_neutral(view: ActiveView, source: str, max_hops: int) -> bool:
    """Breadth-first along influence links: hop counts only, strengths do not matter here."""
    distance = {source: 0}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if distance[node] == max_hops:
            continue
        for neighbour, _ in view.influences_out.get(node, ()):
            if neighbour not in distance:
                if view.people[neighbour].stance is Stance.NEUTRAL:
                    return True
                distance[neighbour] = distance[node] + 1
                queue.append(neighbour)
    return False
