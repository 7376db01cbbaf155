"""Items 12 and 17: what-if stance changes, computed in memory; nothing is written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from service.rules.account_graph import AccountGraph, Person
from service.rules.analytics.active_view import active_view
from service.rules.analytics.conversion import ConversionTarget, neutrals_to_convert
from service.rules.analytics.coverage_gaps import CoverageGap, coverage_gaps
from service.rules.analytics.errors import AnalyticsInputError
from service.rules.analytics.policy import DEFAULT_MAX_HOPS, HOSTILE_STANCES, STALE_AFTER_DAYS
from service.rules.analytics.power_map import PowerMap, power_map
from service.rules.analytics.support import support_score_of
from service.rules.enums import Stance
from service.rules.models import Stakeholder

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


@dataclass(frozen=True, slots=True)
class SimulationAfter:
    """Rule 17: the counts, and the analytics as they would be after the changes."""

    counts: Simulation
    graph: AccountGraph
    """The changed snapshot: ask it any other analytic."""
    coverage_gaps: Sequence[CoverageGap]
    neutrals_to_convert: Sequence[ConversionTarget]
    power_map: PowerMap


def simulate(graph: AccountGraph, changes: StanceChanges) -> Simulation:
    """Apply `changes` (stakeholder id -> new stance; a list of pairs keeps the caller's indexes for
    errors, and a later change of the same person wins). An unknown or archived id raises
    AnalyticsInputError with field "changes.<index>.stakeholder"."""
    new_stances = _validated(graph, changes)
    # Stances feed only the score and the counts: the links and ties of the view stay as they are.
    people_before = list(active_view(graph).people.values())
    people_after = [replace(p, stance=new_stances[p.id]) if p.id in new_stances else p for p in people_before]
    return Simulation(
        support_score_before=support_score_of(people_before),
        support_score_after=support_score_of(people_after),
        neutrals_before=_count(people_before, {Stance.NEUTRAL}),
        neutrals_after=_count(people_after, {Stance.NEUTRAL}),
        opponents_before=_count(people_before, HOSTILE_STANCES),
        opponents_after=_count(people_after, HOSTILE_STANCES),
    )


def simulate_after(
    graph: AccountGraph,
    changes: StanceChanges,
    *,
    as_of: datetime | None = None,
    stale_after_days: int = STALE_AFTER_DAYS,
    max_hops: int = DEFAULT_MAX_HOPS,
) -> SimulationAfter:
    """`simulate`, plus the coverage gaps (`as_of`, `stale_after_days`), the neutrals to convert
    (`max_hops`) and the power map computed on the changed snapshot: full ordered answers."""
    counts = simulate(graph, changes)
    after = changed_snapshot(graph, changes)
    return SimulationAfter(
        counts=counts,
        graph=after,
        coverage_gaps=coverage_gaps(after, stale_after_days=stale_after_days, as_of=as_of),
        neutrals_to_convert=neutrals_to_convert(after, max_hops=max_hops),
        power_map=power_map(after),
    )


def changed_snapshot(graph: AccountGraph, changes: StanceChanges) -> AccountGraph:
    """A new snapshot with the changes applied (validated as in `simulate`), its records showing the
    new stances; nothing computed for `graph` carries over."""
    new_stances = _validated(graph, changes)
    people = tuple(replace(p, stance=new_stances[p.id]) if p.id in new_stances else p for p in graph.people)
    return replace(graph, people=people, records=_ChangedStances(graph.records, new_stances))


def _validated(graph: AccountGraph, changes: StanceChanges) -> dict[str, Stance]:
    active = active_view(graph).people
    pairs = list(changes.items()) if isinstance(changes, Mapping) else list(changes)
    for index, (person_id, _) in enumerate(pairs):
        if person_id not in active:
            raise AnalyticsInputError(
                f"changes.{index}.stakeholder", f"no active stakeholder with id {person_id!r} in this account"
            )
    return dict(pairs)


class _ChangedStances(Mapping[str, Stakeholder]):
    """The records of a snapshot, with new stances for some people."""

    def __init__(self, records: Mapping[str, Stakeholder], stances: Mapping[str, Stance]) -> None:
        self._records = records
        self._stances = stances

    def __getitem__(self, key: str) -> Stakeholder:
        record = self._records[key]
        stance = self._stances.get(key)
        return record if stance is None else replace(record, stance=stance)

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def _count(people: Iterable[Person], stances: set[Stance] | frozenset[Stance]) -> int:
    return sum(1 for person in people if person.stance in stances)
