"""What changed in an account's map between two instants (DOMAIN.md rule 18): stance moves, people
added and archived, influence links, ties and coverage added and removed, support before and after.
Computed from the two snapshots the history rebuilds, so it agrees with the map read `asOf` either."""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.analytics import support_score
from service.rules.enums import Stance

INFLUENCES = "INFLUENCES"
"""`DiffLink.kind` of an influence link; a tie's kind is its `TieKind` value."""


@dataclass(frozen=True, slots=True)
class StanceMove:
    stakeholder: str
    before: Stance
    after: Stance


@dataclass(frozen=True, slots=True)
class DiffLink:
    """An influence link (`kind` INFLUENCES, `a` -> `b`) or a tie (`kind` ALLY, KNOWS or RIVAL)."""

    kind: str
    a: str
    b: str
    strength: int | None


@dataclass(frozen=True, slots=True)
class MapDiff:
    """Each list in a stable order: people by name then id, links by kind then the ends' names."""

    stance_moves: tuple[StanceMove, ...]
    people_added: tuple[str, ...]
    people_archived: tuple[str, ...]
    links_added: tuple[DiffLink, ...]
    links_removed: tuple[DiffLink, ...]
    coverage_added: tuple[tuple[str, str], ...]
    """(team member, stakeholder)."""
    coverage_removed: tuple[tuple[str, str], ...]
    support_score_before: float | None
    support_score_after: float | None


def _links(graph: AccountGraph) -> dict[tuple[str, str, str], DiffLink]:
    found = {(INFLUENCES, s, t): DiffLink(INFLUENCES, s, t, w) for s, t, w in graph.links}
    found.update({(k.value, a, b): DiffLink(k.value, a, b, w) for k, a, b, w in graph.ties})
    return found


def map_diff(before: AccountGraph, after: AccountGraph) -> MapDiff:
    """`before` is the map at the first instant, `after` at the second; `after.records` names everyone."""
    names = {**{p.id: p.name for p in before.people}, **{p.id: p.name for p in after.people}}

    def person_key(person: str) -> tuple[str, str]:
        return names.get(person, ""), person

    was = {p.id: p for p in before.people}
    now = {p.id: p for p in after.people}
    moves = sorted(
        (StanceMove(i, was[i].stance, p.stance) for i, p in now.items() if i in was and was[i].stance != p.stance),
        key=lambda m: person_key(m.stakeholder),
    )
    old_links, new_links = _links(before), _links(after)

    def link_order(link: DiffLink) -> tuple[str, tuple[str, str], tuple[str, str]]:
        return link.kind, person_key(link.a), person_key(link.b)

    old_cover = {(c.team_member, c.person) for c in before.coverage}
    new_cover = {(c.team_member, c.person) for c in after.coverage}
    return MapDiff(
        stance_moves=tuple(moves),
        people_added=tuple(sorted((i for i in now if i not in was), key=person_key)),
        people_archived=tuple(sorted((i for i in was if i not in now), key=person_key)),
        links_added=tuple(sorted((v for k, v in new_links.items() if k not in old_links), key=link_order)),
        links_removed=tuple(sorted((v for k, v in old_links.items() if k not in new_links), key=link_order)),
        coverage_added=tuple(sorted(new_cover - old_cover, key=lambda c: (person_key(c[1]), c[0]))),
        coverage_removed=tuple(sorted(old_cover - new_cover, key=lambda c: (person_key(c[1]), c[0]))),
        support_score_before=support_score(before),
        support_score_after=support_score(after),
    )
