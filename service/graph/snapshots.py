"""Analytics snapshots of recently read accounts, kept per process while their account's clock stands."""

from __future__ import annotations

import threading
from collections import OrderedDict

from neo4j import AsyncManagedTransaction

from service.graph.analytics import load_account_graph
from service.graph.clock import read_account_clock
from service.observability.metrics import SNAPSHOT_ENTRIES, SNAPSHOT_LOOKUPS, SNAPSHOT_PEOPLE
from service.rules.account_graph import AccountGraph


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
        self._entries: OrderedDict[tuple[str, str], tuple[str, AccountGraph]] = OrderedDict()
        self._lock = threading.Lock()

    async def load(self, tx: AsyncManagedTransaction, ws: str, account_id: str) -> AccountGraph:
        """The account's snapshot, from the cache if current; read in `tx` (clock first, then data,
        so a cached snapshot is never older than the clock value it is filed under)."""
        version = await read_account_clock(tx, ws, account_id)
        key = (ws, account_id)
        with self._lock:
            cached = self._entries.get(key)
            if version is not None and cached is not None and cached[0] == version:
                self._entries.move_to_end(key)
                SNAPSHOT_LOOKUPS.labels("hit").inc()
                return cached[1]
        SNAPSHOT_LOOKUPS.labels("miss").inc()
        graph = await load_account_graph(tx, ws, account_id)
        if version is not None:
            with self._lock:
                self._entries[key] = (version, graph)
                self._entries.move_to_end(key)
                self._trim()
        return graph

    def _trim(self) -> None:
        """Drop the least recently used until within both bounds; the newest always stays."""
        held = sum(len(graph.people) for _, graph in self._entries.values())
        while len(self._entries) > 1 and (len(self._entries) > self.size or held > self.people):
            _, (_, dropped) = self._entries.popitem(last=False)
            held -= len(dropped.people)
        SNAPSHOT_ENTRIES.set(len(self._entries))
        SNAPSHOT_PEOPLE.set(held)
