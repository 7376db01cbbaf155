"""Analytics snapshots of recently read accounts, kept per process while their account's clock stands."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from neo4j import AsyncManagedTransaction

from service.graph.analytics import load_account_graph
from service.graph.as_of import account_states
from service.graph.clock import read_account_clock
from service.observability.metrics import SNAPSHOT_ENTRIES, SNAPSHOT_LOOKUPS, SNAPSHOT_PEOPLE, labelled
from service.rules.account_graph import AccountGraph
from service.rules.analytics.memo import forget_kept


class SnapshotCache:
    """Analytics snapshots of recently read accounts, valid while the account's clock stands still.

    Strategists ask many analytics of the same few accounts between writes; a hit costs one tiny
    query instead of reloading the account. Bounded twice, least recently used first out: by count, and
    by the stakeholders they hold, since a snapshot keeps what is computed from it and large accounts
    weigh most (about 50 MB with its answers for 5,000 people and 750 supporters). Safe to share
    between the analytics worker threads.
    """

    def __init__(self, size: int = 32, people: int = 50_000) -> None:
        self.size = size
        self.people = people
        self._entries: OrderedDict[tuple[str, str, str], tuple[str, AccountGraph]] = OrderedDict()
        self._lock = threading.Lock()

    async def load(self, tx: AsyncManagedTransaction, ws: str, account_id: str) -> AccountGraph:
        """The account's snapshot, from the cache if current; read in `tx` (clock first, then data,
        so a cached snapshot is never older than the clock value it is filed under)."""
        version = await read_account_clock(tx, ws, account_id)
        key = (ws, account_id, "")
        cached = self._cached(key, version)
        if cached is not None:
            return cached
        labelled(SNAPSHOT_LOOKUPS, "miss").inc()
        graph = await load_account_graph(tx, ws, account_id)
        self._keep(key, version, graph)
        return graph

    async def load_as_of(self, tx: AsyncManagedTransaction, ws: str, account_id: str, as_of: datetime) -> AccountGraph:
        """The account's snapshot as of `as_of`, rebuilt from its history (DOMAIN.md rule 18); cached per
        (account, clock, instant) like the current one, since the history after an instant only grows
        when the clock ticks. An account that does not exist has an empty snapshot."""
        version = await read_account_clock(tx, ws, account_id)
        key = (ws, account_id, as_of.isoformat())
        cached = self._cached(key, version)
        if cached is not None:
            return cached
        labelled(SNAPSHOT_LOOKUPS, "miss").inc()
        found = await account_states(tx, ws, account_id, [as_of])
        graph = AccountGraph(account_id=account_id) if found is None else found[0]
        self._keep(key, version, graph)
        return graph

    def _cached(self, key: tuple[str, str, str], version: str | None) -> AccountGraph | None:
        """The snapshot filed under `key` if it is still current. One that is not is dropped at once rather
        than when its successor is kept: until then both would be in memory, and the garbage collector's
        full passes, which hold the GIL, would walk both while the new one is read."""
        with self._lock:
            cached = self._entries.get(key)
            if cached is None:
                return None
            if version is not None and cached[0] == version:
                self._entries.move_to_end(key)
                labelled(SNAPSHOT_LOOKUPS, "hit").inc()
                return cached[1]
            del self._entries[key]
            dropped = [cached[1], *self._trim()]
        _forget(dropped)
        return None

    def _keep(self, key: tuple[str, str, str], version: str | None, graph: AccountGraph) -> None:
        if version is None:
            return
        with self._lock:
            replaced = self._entries.get(key)
            self._entries[key] = (version, graph)
            self._entries.move_to_end(key)
            dropped = self._trim()
        if replaced is not None and replaced[1] is not graph:
            dropped.append(replaced[1])
        _forget(dropped)

    def _trim(self) -> list[AccountGraph]:
        """Drop the least recently used until within both bounds; the newest always stays. Returns them."""
        held = sum(len(graph.people) for _, graph in self._entries.values())
        dropped = []
        while len(self._entries) > 1 and (len(self._entries) > self.size or held > self.people):
            _, (_, graph) = self._entries.popitem(last=False)
            held -= len(graph.people)
            dropped.append(graph)
        SNAPSHOT_ENTRIES.set(len(self._entries))
        SNAPSHOT_PEOPLE.set(held)
        return dropped


def _forget(dropped: list[AccountGraph]) -> None:
    """What the dropped snapshots keep goes piece by piece (`forget_kept`), outside the cache's lock."""
    for graph in dropped:
        forget_kept(graph)
