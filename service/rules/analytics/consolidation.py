"""Item 5: tie supporters together (巩固支持者之间的关系) and find those who influence nobody neutral
(影响更多的人)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import label
from service.rules.analytics.memo import per_snapshot
from service.rules.analytics.policy import BONDING_TIE_KINDS, DEFAULT_MAX_HOPS, SUPPORTIVE_STANCES
from service.rules.analytics.ranked import Ranked
from service.rules.analytics.unlinked_pairs import SupporterPair, unlinked_pairs
from service.rules.analytics.validation import validate_max_hops
from service.rules.analytics.weights import influence_of
from service.rules.enums import Stance


@dataclass(frozen=True, slots=True)
class IsolatedSupporter:
    stakeholder: str
    reason: str


@dataclass(frozen=True, slots=True)
class SupporterConsolidation:
    unlinked_pairs: Ranked[SupporterPair]
    """Influence(a) + influence(b) desc, then the names, then the ids; see `unlinked_pairs`."""
    isolated_supporters: tuple[IsolatedSupporter, ...]
    """By influence desc (unrated counts as 1), then name, then id."""
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Supporter -> `label`, for the pairs' reasons."""

    def pair_reason(self, a: str, b: str) -> str:
        """Why the pair (a, b) of `unlinked_pairs` is listed, built on request: few clients ask."""
        return f"{self.labels[a]} and {self.labels[b]} both support us but have no link or tie."


@per_snapshot
def supporter_consolidation(graph: AccountGraph, max_hops: int = DEFAULT_MAX_HOPS) -> SupporterConsolidation:
    """Supporter/mentor pairs with no bond, and supporters who influence no neutral.

    Unlinked pair: no influence link either way and no KNOWS/ALLY tie (a RIVAL tie is no bond).
    Isolated: no path of at most `max_hops` influence links, followed in link direction FROM the
    supporter, to any NEUTRAL stakeholder - the supporter cannot carry our case to anyone undecided.
    """
    validate_max_hops(max_hops)
    view = active_view(graph)
    supporters = view.sorted_ids(p.id for p in view.people.values() if p.stance in SUPPORTIVE_STANCES)
    bonded = _bonded_pairs(view, set(supporters))
    labels = {s: label(view, s) for s in supporters}
    people = view.people
    isolated = sorted(
        (s for s in supporters if not _reaches_neutral(view, s, max_hops)),
        key=lambda s: -influence_of(people[s]),  # stable: name, then id, within one influence
    )
    return SupporterConsolidation(
        unlinked_pairs([people[s] for s in supporters], bonded),
        tuple(
            IsolatedSupporter(
                s, f"{labels[s]} supports us but influences no neutral stakeholder within {max_hops} hops."
            )
            for s in isolated
        ),
        labels,
    )


def _bonded_pairs(view: ActiveView, supporters: set[str]) -> dict[str, set[str]]:
    """Supporter -> the supporters it shares a link (either way) or a bonding tie with."""
    bonds: dict[str, set[str]] = {}
    pairs = [*view.link_strength, *((tie.a, tie.b) for tie in view.ties if tie.kind in BONDING_TIE_KINDS)]
    for a, b in pairs:
        if a in supporters and b in supporters:
            bonds.setdefault(a, set()).add(b)
            bonds.setdefault(b, set()).add(a)
    return bonds


def _reaches_neutral(view: ActiveView, source: str, max_hops: int) -> bool:
    """Breadth-first along influence links: hop counts only, strengths do not matter here."""
    people, influences_out = view.people, view.influences_out
    seen = {source}
    frontier = [source]
    for _ in range(max_hops):
        following = []
        for node in frontier:
            for neighbour, _ in influences_out.get(node, ()):
                if neighbour not in seen:
                    if people[neighbour].stance is Stance.NEUTRAL:
                        return True
                    seen.add(neighbour)
                    following.append(neighbour)
        if not following:
            return False
        frontier = following
    return False
