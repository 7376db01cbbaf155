"""Screens of one account (its page, a stakeholder's detail) as last read, kept per process while the
account's clock stands."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import ClassVar, Generic, TypeVar

from neo4j import AsyncManagedTransaction
from prometheus_client import Counter

from service.graph.clock import ClockReading, read_account_clock, read_stakeholder_clock
from service.graph.neighbourhood import Around, stakeholders_around
from service.graph.pages import StakeholderFilter, account_and_stakeholder_page
from service.observability.metrics import PAGE_ENTRIES, PAGE_LOOKUPS, labelled
from service.rules.models import Account, Neighbourhood, Stakeholder
from service.rules.paging import Page, PageRequest

Tx = AsyncManagedTransaction
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

AccountPage = tuple[Account | None, Page[Stakeholder], Neighbourhood]
StakeholderDetail = tuple[list[Stakeholder | None], Neighbourhood]

SCREEN_CACHE_PEOPLE = 20_000
"""What each cache holds by default: stakeholders read, those around them included (a few MB); the default of
`POWERMAP_SCREEN_CACHE_PEOPLE` too."""


class ClockedCache(ABC, Generic[K, V]):
    """Reads of one account's data, each filed under the account's clock when it was read.

    People open the same few accounts' screens far more often than anyone writes to them: a hit costs one
    tiny query (the clock) instead of the screen's query and the parsing of its thousands of values. Every
    write ticks the clock of each account whose data it changes (`service.graph.clock`), what a screen
    shows around its people included, so a read filed under the current clock is the data as stored. Each
    process checks the clock in the database, so processes never serve one another's stale reads. The
    clock is read first, then the data: a read is never older than the clock it is filed under (a write
    between the two makes the next reader miss, never serves it stale). Bounded, least recently used first
    out, by count and by weight (`_weigh`; none: turned off). Used on the event loop only."""

    lookups: ClassVar[Counter] = PAGE_LOOKUPS
    """Where lookups are counted, by result."""

    def __init__(self, size: int, weight: int) -> None:
        self.size = size
        self.weight = weight
        """The most held, summed over the entries by `_weigh` (people, values); 0 turns the cache off."""
        self._entries: OrderedDict[K, tuple[str, V, int]] = OrderedDict()

    @property
    def on(self) -> bool:
        return self.weight > 0

    def lookup(self, key: K, version: str | None) -> V | None:
        """The value filed under `key` if it was read at clock `version` (None: an account without a clock,
        never cached). Counted in `lookups` by result: hit, miss or uncached."""
        if version is None:
            labelled(self.lookups, "uncached").inc()
            return None
        cached = self._entries.get(key)
        if cached is None or cached[0] != version:
            labelled(self.lookups, "miss").inc()
            return None
        self._entries.move_to_end(key)
        labelled(self.lookups, "hit").inc()
        return cached[1]

    def keep(self, key: K, version: str, value: V) -> None:
        """File `value`, read at clock `version` or later, dropping the least recently used past the bounds."""
        self._entries[key] = (version, value, self._weigh(value))
        self._entries.move_to_end(key)
        held = sum(weight for _, _, weight in self._entries.values())
        while len(self._entries) > 1 and (len(self._entries) > self.size or held > self.weight):
            _, (_, _, weight) = self._entries.popitem(last=False)
            held -= weight
        labelled(PAGE_ENTRIES, type(self).__name__).set(len(self._entries))

    async def _through(
        self, clock: ClockReading | Callable[[], Awaitable[str | None]], key: K, read: Callable[[], Awaitable[V]]
    ) -> V:
        if not self.on:
            return await read()
        version = clock.version if isinstance(clock, ClockReading) else await clock()
        cached = self.lookup(key, version)
        if cached is not None:
            return cached
        value = await read()
        if version is not None:
            self.keep(key, version, value)
        return value

    @abstractmethod
    def _weigh(self, value: V) -> int:
        """What `value` weighs against the bound `weight` (people, values)."""


class AccountPageCache(ClockedCache[tuple[str, str, StakeholderFilter, Around, PageRequest], AccountPage]):
    """The account page: an account, one page of its stakeholders and what was read around them."""

    def __init__(self, size: int = 64, people: int = SCREEN_CACHE_PEOPLE) -> None:
        super().__init__(size, people)

    async def load(
        self,
        tx: Tx,
        ws: str,
        account_id: str,
        filter_: StakeholderFilter,
        around: Around,
        request: PageRequest,
        clock: ClockReading | None = None,
    ) -> AccountPage:
        """As `account_and_stakeholder_page`, from the cache when current; `clock`: the account's clock as
        this request already read it."""
        return await self._through(
            clock if clock is not None else (lambda: read_account_clock(tx, ws, account_id)),
            (ws, account_id, filter_, around, request),
            lambda: account_and_stakeholder_page(tx, ws, account_id, filter_, around, request),
        )

    def _weigh(self, value: AccountPage) -> int:
        _, page, hood = value
        return len(page.items) + len(hood.people)


class StakeholderDetailCache(ClockedCache[tuple[str, str, Around], StakeholderDetail]):
    """A stakeholder with what was read around them."""

    def __init__(self, size: int = 512, people: int = SCREEN_CACHE_PEOPLE) -> None:
        super().__init__(size, people)

    async def load(
        self, tx: Tx, ws: str, stakeholder_id: str, around: Around, clock: ClockReading | None = None
    ) -> StakeholderDetail:
        """As `stakeholders_around` for one stakeholder, from the cache when current; `clock`: the clock of
        the stakeholder's account as this request already read it."""
        return await self._through(
            clock if clock is not None else (lambda: read_stakeholder_clock(tx, ws, stakeholder_id)),
            (ws, stakeholder_id, around),
            lambda: stakeholders_around(tx, ws, around, [stakeholder_id]),
        )

    def _weigh(self, value: StakeholderDetail) -> int:
        return len(value[1].people)
