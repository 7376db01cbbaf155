"""The unlinked supporter pairs of item 5, strongest first, counted and ranked without listing them all.

An account with hundreds of supporters has hundreds of thousands of pairs, and a client reads a few
(DOMAIN.md, "Bounded answers"). Order: `influence(a) + influence(b)` descending (unrated counts as
1), then the two names (`a`'s, then `b`'s), then the two ids; in a pair, `a` comes first by name,
then id. A sum takes few values, so pairs are generated one sum at a time, each sum's pairs in
order, and generation stops at the last pair read. The count is every pair less the bonded ones.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain, groupby, islice

from service.rules.account_graph import Person
from service.rules.analytics.ranked import Ranked
from service.rules.analytics.weights import influence_of

SupporterPair = tuple[str, str]
"""(a, b), `a` first by name, then id. A plain tuple: rows are built for every pair a client reads."""

_Positions = tuple[int, int]
"""A pair as the positions of `a` and `b` in the supporters' (name, id) order."""


def unlinked_pairs(supporters: Sequence[Person], bonds: Mapping[str, set[str]]) -> Ranked[SupporterPair]:
    """`supporters` in (name, id) order; `bonds`: supporter -> the supporters it has a bond with."""
    return _Pairs(supporters, bonds).ranked()


class _Pairs:
    def __init__(self, supporters: Sequence[Person], bonds: Mapping[str, set[str]]) -> None:
        position = {person.id: index for index, person in enumerate(supporters)}
        self.ids = [person.id for person in supporters]
        self.names = [person.name for person in supporters]
        self.influence = [influence_of(person) for person in supporters]
        self.bonded = [frozenset(position[other] for other in bonds.get(person_id, ())) for person_id in self.ids]
        self.at_level: dict[int, list[int]] = {}
        """Influence -> the positions of the supporters with it, ascending."""
        for index, level in enumerate(self.influence):
            self.at_level.setdefault(level, []).append(index)
        self.same_names = [list(group) for _, group in groupby(range(len(self.ids)), key=self.names.__getitem__)]
        """Positions grouped by name: in each group, `a`'s pairs are merged by `b`'s name."""

    def ranked(self) -> Ranked[SupporterPair]:
        supporters = len(self.ids)
        bonded_pairs = sum(map(len, self.bonded)) // 2
        return Ranked(supporters * (supporters - 1) // 2 - bonded_pairs, self._build)

    def _build(self, start: int, stop: int) -> Iterator[SupporterPair]:
        ids = self.ids
        levels = list(self.at_level)
        sums = sorted({a + b for a in levels for b in levels}, reverse=True)
        ordered = chain.from_iterable(self._pairs_summing_to(total) for total in sums)
        return ((ids[a], ids[b]) for a, b in islice(ordered, start, stop))

    def _pairs_summing_to(self, total: int) -> Iterator[_Positions]:
        """The unbonded pairs whose influences add up to `total`, in order."""
        names = self.names
        for group in self.same_names:
            if len(group) == 1:
                yield from self._partners(group[0], total)
            else:
                streams = [self._partners(a, total) for a in group]
                yield from heapq.merge(*streams, key=lambda pair: (names[pair[1]], pair))

    def _partners(self, a: int, total: int) -> Iterator[_Positions]:
        """(a, b) for every `b` after `a` whose influence completes `total` and who has no bond with `a`."""
        candidates = self.at_level.get(total - self.influence[a])
        if not candidates:
            return
        skip = self.bonded[a]
        for b in candidates[bisect_right(candidates, a) :]:
            if b not in skip:
                yield a, b
