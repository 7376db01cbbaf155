"""Screens of one account (its page, a stakeholder's detail) as last read, kept per process while the
account's clock stands."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from neo4j import AsyncManagedTransaction

from service.graph.clock import read_account_clock, read_stakeholder_clock
from service.graph.neighbourhood import Around, stakeholders_around
from service.graph.pages import StakeholderFilter, account_and_stakeholder_page
from service.observability.metrics import PAGE_ENTRIES, PAGE_LOOKUPS
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
    out, by count and by the people held (none: turned off). Used on the event loop only."""

    def __init__(self, size: int, people: int) -> None:
        self.size = size
        self.people = people
        self._entries: OrderedDict[K, tuple[str, V, int]] = OrderedDict()

    async def _through(self, clock: Callable[[], Awaitable[str | None]], key: K, read: Callable[[], Awaitable[V]]) -> V:
        if self.people == 0:  # turned off
            return await read()
        version = await clock()
        if version is None:  # an account never written, or none at all
            PAGE_LOOKUPS.labels("uncached").inc()
            return await read()
        cached = self._entries.get(key)
        if cached is not None and cached[0] == version:
            self._entries.move_to_end(key)
            PAGE_LOOKUPS.labels("hit").inc()
            return cached[1]
        PAGE_LOOKUPS.labels("miss").inc()
        value = await read()
        self._keep(key, version, value)
        return value

    def _keep(self, key: K, version: str, value: V) -> None:
        self._entries[key] = (version, value, self._weigh(value))
        self._entries.move_to_end(key)
        held = sum(people for _, _, people in self._entries.values())
        while len(self._entries) > 1 and (len(self._entries) > self.size or held > self.people):
            _, (_, _, people) = self._entries.popitem(last=False)
            held -= people
        PAGE_ENTRIES.labels(type(self).__name__).set(len(self._entries))

    @abstractmethod
    def _weigh(self, value: V) -> int:
        """How many people `value` holds."""


class AccountPageCache(ClockedCache[tuple[str, str, StakeholderFilter, Around, PageRequest], AccountPage]):
    """The account page: an account, one page of its stakeholders and what was read around them."""

    def __init__(self, size: int = 64, people: int = SCREEN_CACHE_PEOPLE) -> None:
        super().__init__(size, people)

    async def load(
        self, tx: Tx, ws: str, account_id: str, filter_: StakeholderFilter, around: Around, request: PageRequest
    ) -> AccountPage:
        """As `account_and_stakeholder_page`, from the cache when current."""
        return await self._through(
            lambda: read_account_clock(tx, ws, account_id),
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

    async def load(self, tx: Tx, ws: str, stakeholder_id: str, around: Around) -> StakeholderDetail:
        """As `stakeholders_around` for one stakeholder, from the cache when current."""
        return await self._through(
            lambda: read_stakeholder_clock(tx, ws, stakeholder_id),
            (ws, stakeholder_id, around),
            lambda: stakeholders_around(tx, ws, around, [stakeholder_id]),
        )

    def _weigh(self, value: StakeholderDetail) -> int:
        return len(value[1].people)
