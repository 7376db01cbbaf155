"""Account pages as last read, kept per process while their account's clock stands."""

from __future__ import annotations

from collections import OrderedDict

from neo4j import AsyncManagedTransaction

from service.graph.clock import read_account_clock
from service.graph.neighbourhood import Around
from service.graph.pages import StakeholderFilter, account_and_stakeholder_page
from service.observability.metrics import PAGE_ENTRIES, PAGE_LOOKUPS
from service.rules.models import Account, Neighbourhood, Stakeholder
from service.rules.paging import Page, PageRequest

AccountPage = tuple[Account | None, Page[Stakeholder], Neighbourhood]
PageKey = tuple[str, str, StakeholderFilter, Around, PageRequest]


class AccountPageCache:
    """The account page (an account, one page of its stakeholders and what was read around them), filed
    under the account's clock when it was read. The page is the screen everyone opens and reads far more
    often than anyone writes to the account: a hit costs one tiny query (the clock) instead of the page's
    query and the parsing of its thousands of values. Every write ticks the clock of each account whose
    data it changes (`service.graph.clock`), what the page shows around its people included, so a page
    filed under the current clock is the page as stored; each process checks the clock in the database, so
    processes never serve one another's stale pages. Bounded, least recently used first out, by count and
    by the people held. Used on the event loop only."""

    def __init__(self, size: int = 64, people: int = 20_000) -> None:
        self.size = size
        self.people = people
        self._entries: OrderedDict[PageKey, tuple[str, AccountPage]] = OrderedDict()

    async def load(
        self,
        tx: AsyncManagedTransaction,
        ws: str,
        account_id: str,
        filter_: StakeholderFilter,
        around: Around,
        request: PageRequest,
    ) -> AccountPage:
        """As `account_and_stakeholder_page`, from the cache when current. The clock is read first, then the
        page: a page is never older than the clock it is filed under (a write between the two makes the next
        reader miss, never serves it stale)."""
        version = await read_account_clock(tx, ws, account_id)
        if version is None:
            PAGE_LOOKUPS.labels("uncached").inc()
            return await account_and_stakeholder_page(tx, ws, account_id, filter_, around, request)
        key = (ws, account_id, filter_, around, request)
        cached = self._entries.get(key)
        if cached is not None and cached[0] == version:
            self._entries.move_to_end(key)
            PAGE_LOOKUPS.labels("hit").inc()
            return cached[1]
        PAGE_LOOKUPS.labels("miss").inc()
        page = await account_and_stakeholder_page(tx, ws, account_id, filter_, around, request)
        self._keep(key, version, page)
        return page

    def _keep(self, key: PageKey, version: str, page: AccountPage) -> None:
        self._entries[key] = (version, page)
        self._entries.move_to_end(key)
        held = sum(_people(kept) for _, kept in self._entries.values())
        while len(self._entries) > 1 and (len(self._entries) > self.size or held > self.people):
            _, (_, dropped) = self._entries.popitem(last=False)
            held -= _people(dropped)
        PAGE_ENTRIES.set(len(self._entries))


def _people(page: AccountPage) -> int:
    _, stakeholders, hood = page
    return len(stakeholders.items) + len(hood.people)
