"""Analytics off the event loop: snapshots are read, parsed and computed in worker threads.

An analytic of a 10,000-person account keeps a CPU busy for a second or more, and reading its
snapshot decodes one large record and builds 100,000s of objects. On the event loop that would stall
every other request (health checks included) for as long, so both run in `AnalyticsWorkers`: a few
threads, each with an event loop and a database driver of its own. The request's loop only waits
for the answer, with a deadline (`AnalyticsTimeout`).

Why threads and not processes: the answers, and the people they name, stay with the snapshot they
came from (`rules.analytics.memo`, the GraphQL layer's kept objects), so asking again between two
writes costs a lookup. A process would have to send its answers and records back on every request.
Python's GIL is shared, but it is handed over every few milliseconds of bytecode, and the snapshot's
records arrive in chunks (`graph.analytics`), so no step of our own holds it for long. What does hold
it is the cyclic garbage collector: reading and analysing a 10,000-person account allocates enough to
set off several full collections, each walking every tracked object with the GIL held, whichever thread
set it off; the event loop waits that long. So the snapshot is built to be cheap to walk (plain tuples of
strings and numbers, which the collector stops tracking: 17,000 tracked objects for 10,000 people and
100,000 links, 45,000 with the analytics' shared structures), and `powermap serve` takes its start-up
heap out of the full passes (`entrypoints.serving`). `bench/healthz_bench.py` measures /healthz
meanwhile, with and without the latter. The cost of threads, besides: a computation cannot be stopped
midway, so one that misses its deadline runs on in its worker (bounded by the number of workers), and
keeps its answer for the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import zlib
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from service.graph.availability import DatabaseNotAnswering
from service.graph.database import Database
from service.graph.snapshots import SnapshotCache
from service.observability.metrics import ANALYTICS_SECONDS, ANALYTICS_TIMEOUTS, ANALYTICS_WAITING, labelled
from service.observability.tracing import span
from service.rules.account_graph import AccountGraph
from service.rules.history import MapDiff, map_diff
from service.usecases.services import Services

logger = logging.getLogger("powermap.analytics")

P = ParamSpec("P")
T = TypeVar("T")

_GRAPH_LOCK = "usecases.analytics.lock"


class AnalyticsTimeout(Exception):
    """An analytic (its snapshot's loading included) missed its deadline."""

    def __init__(self, name: str, seconds: float) -> None:
        self.name = name
        self.seconds = seconds
        super().__init__(
            f"`{name}` did not finish within {seconds:g} s. Try again shortly: a computation under way "
            "goes on and keeps its answer until the account changes."
        )


@dataclass
class _Worker:
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    db: Database | None = None


class AnalyticsWorkers:
    """`count` threads, each running an event loop with its own `Database` (from `open_database`,
    called in that loop), sharing one snapshot cache. An account's work always goes to the same worker,
    so that computations over one snapshot run one after another and reuse each other's results."""

    def __init__(
        self,
        open_database: Callable[[], Coroutine[Any, Any, Database]],
        snapshots: SnapshotCache,
        *,
        count: int = 1,
        timeout_seconds: float = 20.0,
    ) -> None:
        self.open_database = open_database
        self.snapshots = snapshots
        self.timeout_seconds = timeout_seconds
        self._workers: list[_Worker] = []
        self._count = count

    async def start(self) -> None:
        for number in range(self._count):
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=_run_forever, args=(loop,), name=f"analytics-{number}", daemon=True)
            thread.start()
            worker = _Worker(loop, thread)
            worker.db = await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self.open_database(), loop))
            self._workers.append(worker)

    async def close(self) -> None:
        for worker in self._workers:
            if worker.db is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(
                        asyncio.wrap_future(asyncio.run_coroutine_threadsafe(_wind_down(worker.db), worker.loop)), 5
                    )
            worker.loop.call_soon_threadsafe(worker.loop.stop)
        for worker in self._workers:
            await asyncio.to_thread(worker.thread.join, 5)
            if not worker.thread.is_alive():
                worker.loop.close()
        self._workers.clear()

    def _worker_for(self, key: str) -> _Worker:
        return self._workers[zlib.crc32(key.encode()) % len(self._workers)]

    async def run(
        self,
        name: str,
        key: str,
        work: Callable[[Database], Coroutine[Any, Any, T]],
        *,
        guard: Database | None = None,
    ) -> T:
        """`work(worker's database)` on the worker for `key`, within the deadline. While `guard`'s
        database is known to be down, refuse at once; when it goes down, stop waiting."""
        worker = self._worker_for(key)
        assert worker.db is not None, "the workers are not started"
        availability = None if guard is None else guard.availability
        if availability is not None:
            availability.refuse_if_down()
        db = worker.db
        future: Future[T] = asyncio.run_coroutine_threadsafe(_timed(name, work(db)), worker.loop)
        ANALYTICS_WAITING.inc()
        try:
            async with asyncio.timeout(self.timeout_seconds) as deadline:
                if availability is None:
                    return await asyncio.wrap_future(future)
                with availability.watching(deadline):
                    return await asyncio.wrap_future(future)
        except TimeoutError:
            future.cancel()
            if availability is not None and not availability.up:
                raise DatabaseNotAnswering("the database is not answering") from None
            ANALYTICS_TIMEOUTS.inc()
            logger.warning("analytic missed its deadline", extra={"analytic": name, "seconds": self.timeout_seconds})
            raise AnalyticsTimeout(name, self.timeout_seconds) from None
        finally:
            ANALYTICS_WAITING.dec()


async def _wind_down(db: Database) -> None:
    """In a worker's loop: stop the work still under way (a snapshot read for a request that may have
    answered since), then close the database. A task left behind when the loop stops would hold its
    connection half made until the garbage collector found it, and its waiter would wait for ever."""
    current = asyncio.current_task()
    under_way = [task for task in asyncio.all_tasks() if task is not current]
    for task in under_way:
        task.cancel()
    await asyncio.gather(*under_way, return_exceptions=True)
    await db.close()


def _run_forever(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    loop.run_forever()


async def _timed(name: str, work: Coroutine[Any, Any, T]) -> T:
    began = time.perf_counter()
    try:
        with span(f"analytics.{name}"):
            return await work
    finally:
        labelled(ANALYTICS_SECONDS, name).observe(time.perf_counter() - began)


async def account_snapshot(services: Services, ws: str, account_id: str, as_of: datetime | None = None) -> AccountGraph:
    """The account's analytics snapshot: from the cache while the account's clock stands, else read
    (in a worker, seeing every write this process committed before). With `as_of`, the map as the
    recorded history says it was then (DOMAIN.md rule 18)."""
    workers = services.analytics
    snapshots = services.snapshots
    if workers is None:
        if as_of is None:
            return await services.db.read(snapshots.load, ws, account_id)
        return await services.db.read(snapshots.load_as_of, ws, account_id, as_of)
    bookmarks = await services.db.current_bookmarks()

    async def load(db: Database) -> AccountGraph:
        if as_of is None:
            return await db.read_after(bookmarks, snapshots.load, ws, account_id)
        return await db.read_after(bookmarks, snapshots.load_as_of, ws, account_id, as_of)

    return await workers.run("snapshot", account_id, load, guard=services.db)


async def account_diff(
    services: Services, ws: str, account_id: str, start: datetime, end: datetime
) -> tuple[AccountGraph, AccountGraph, MapDiff]:
    """What changed in the account's map from `start` to `end` (DOMAIN.md rule 18), from the two snapshots
    the history gives (computed in the account's worker); with the two snapshots, which name the people."""
    before = await account_snapshot(services, ws, account_id, start)
    after = await account_snapshot(services, ws, account_id, end)
    return before, after, await compute(services, "diff", after, lambda graph: map_diff(before, graph))


async def compute(
    services: Services,
    name: str,
    graph: AccountGraph,
    analytic: Callable[..., T],
    *args: Any,
) -> T:
    """`analytic(graph, *args)` (a pure rule), in the worker that holds the account; one at a time per
    snapshot, since analytics share what they compute through the snapshot's memo."""
    lock = graph.memo.setdefault(_GRAPH_LOCK, threading.Lock())

    def locked() -> T:
        with lock:  # type: ignore[attr-defined]
            return analytic(graph, *args)

    workers = services.analytics
    if workers is None:
        return locked()

    async def run(_: Database) -> T:
        return locked()

    return await workers.run(name, graph.account_id, run)
