"""Item 12: what-if stance changes, computed in memory; nothing is written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from service.rules.account_graph import AccountGraph, Person
from service.rules.analytics.active_view import active_view
from service.rules.analytics.errors import AnalyticsInputError
from service.rules.analytics.policy import HOSTILE_STANCES
from service.rules.analytics.support import support_score_of
from service.rules.enums import Stance

StanceChanges = Mapping[str, Stance] | Sequence[tuple[str, Stance]]


@dataclass(frozen=True, slots=True)
class Simulation:
    support_score_before: float | None
    support_score_after: float | None
    neutrals_before: int
    neutrals_after: int
    opponents_before: int
    """ENEMY or OPPONENT."""
    opponents_after: int


def simulate(graph: AccountGraph, changes: StanceChanges) -> Simulation:
    """Apply `changes` (stakeholder id -> new stance; a list of pairs keeps the caller's indexes for
    errors, and a later change of the same person wins). An unknown or archived id raises
    AnalyticsInputError with field "changes.<index>.stakeholder"."""
    before = active_view(graph)
    pairs = list(changes.items()) if isinstance(changes, Mapping) else list(changes)
    for index, (person_id, _) in enumerate(pairs):
        if person_id not in before.people:
            raise AnalyticsInputError(
                f"changes.{index}.stakeholder", f"no active stakeholder with id {person_id!r} in this account"
            )
    new_stances = dict(pairs)
    # Stances feed only the score and the counts: the links and ties of the view stay as they are.
    people_before = list(before.people.values())
    people_after = [replace(p, stance=new_stances[p.id]) if p.id in new_stances else p for p in people_before]
    return Simulation(
        support_score_before=support_score_of(people_before),
        support_score_after=support_score_of(people_after),
        neutrals_before=_count(people_before, {Stance.NEUTRAL}),
        neutrals_after=_count(people_after, {Stance.NEUTRAL}),
        opponents_before=_count(people_before, HOSTILE_STANCES),
        opponents_after=_count(people_after, HOSTILE_STANCES),
    )


def _count(people: Iterable[Person], stances: set[Stance] | frozenset[Stance]) -> int:
    return sum(1 for person in people if person.stance in stances)
