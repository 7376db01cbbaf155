"""Failing fast while the database is away, and noticing by itself when it is back.

`Availability` probes the database on a driver of its own (a pool of its own, so that a busy main
pool never looks like an outage) every `interval` seconds with a `timeout`. A failed probe marks the
database down: units of work in flight stop waiting at once (their deadlines are moved to now) and new
ones are refused before they take a connection, each with `DatabaseNotAnswering`. The next probe
that succeeds marks it up again.

A slow probe is not an outage by itself: a database busy with a large import, or a process whose event
loop is saturated, answers late. So a probe that times out marks the database down only when no unit
of work has completed meanwhile (`note_progress`): a frozen or unreachable database
completes none, a busy one keeps completing some. A probe that fails outright (connection refused,
the server shutting down) marks it down at once. A probe the server answers with an error of its own
(out of transaction memory while another client's query holds it, say) shows that it is there: not an
outage, unless the error says that the database is unavailable.

A stall of this process (a long garbage collection, an extension holding the GIL) stops the probe's loop
as surely as a frozen database stops the answer, and a probe timed on the wall clock would take the one
for the other: the answer sat unread in the socket while nothing ran. So the probe counts only the time
its loop was able to wait (`_waited_out`): a stretch it could not run counts as two ticks at most, and the
answer that arrived meanwhile is read before any verdict.

A frozen database (a stopped process, a dead network path) accepts connections and never answers, so
neither the driver's connection timeout nor the server's transaction timeout ever fires: only a
client-side deadline ends such a wait, and the probe ends it within `interval + timeout`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

from neo4j import AsyncDriver
from neo4j.exceptions import (
    ConnectionAcquisitionTimeoutError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from service.observability.metrics import DB_AVAILABLE

logger = logging.getLogger("powermap.database")

T = TypeVar("T")

TICKS_PER_TIMEOUT = 20
"""How finely a probe's wait is measured: a stall of the process costs the wait at most two ticks."""

RETRY_AFTER_SECONDS = 2
"""What a refused request is told to wait: about one probe interval plus one probe timeout."""


class DatabaseNotAnswering(ServiceUnavailable):
    """The database did not answer in time, or is known to be down; a write's outcome is unknown.
    A `ServiceUnavailable`, so that callers which handle a lost connection handle this too."""


def is_unavailability(error: BaseException) -> bool:
    """A failure of the database's availability or capacity, not of the request: worth a retry later."""
    if isinstance(error, ServiceUnavailable | SessionExpired | TransientError | ConnectionAcquisitionTimeoutError):
        return True
    return isinstance(error, Neo4jError) and "TransactionTimedOut" in (error.code or "")


def _answered(error: Exception) -> bool:
    """The server itself reported `error`: it is there and answering (short of memory for a moment, say,
    while another client's query holds the transaction pool), which the units of work retry or report
    themselves. Only a database it says is unavailable, or no answer at all, is an outage."""
    return isinstance(error, Neo4jError) and "DatabaseUnavailable" not in (error.code or "")


class Availability:
    """The outage detector. It probes from a thread with an event loop (and a driver) of its own, so that
    a request loop saturated with work never makes a healthy database look slow; it tells the request
    loop of an outage with `call_soon_threadsafe`."""

    def __init__(
        self, open_probe_driver: Callable[[], AsyncDriver], database: str, interval: float, timeout: float
    ) -> None:
        self.open_probe_driver = open_probe_driver
        self.database = database
        self.interval = interval
        self.timeout = timeout
        self.up = True
        self._deadlines: set[asyncio.Timeout] = set()
        self._progress = time.monotonic()
        self._requests: asyncio.AbstractEventLoop | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._driver: AsyncDriver | None = None
        self._watch_task: asyncio.Task[None] | None = None

    def note_progress(self) -> None:
        """A unit of work completed: the database answers (safe to call from any thread)."""
        self._progress = time.monotonic()

    async def start(self) -> None:
        """Start probing; the running loop is the one whose units of work are stopped in an outage."""
        self._requests = asyncio.get_running_loop()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="database-availability", daemon=True)
        self._thread.start()
        await self._in_thread(self._begin())

    async def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._in_thread(self._end()), 5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join, 5)
        if not self._thread.is_alive():
            self._loop.close()
        self._loop = self._thread = None

    async def check_now(self) -> bool:
        """Probe once and record the outcome (readiness calls this)."""
        return await self._in_thread(self._probe_and_record())

    def _in_thread(self, work: Coroutine[Any, Any, T]) -> asyncio.Future[T]:
        assert self._loop is not None, "the availability probe is not started"
        return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self._loop))

    async def _begin(self) -> None:
        self._driver = self.open_probe_driver()
        self._watch_task = asyncio.create_task(self._watch())

    async def _end(self) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch_task
        if self._driver is not None:
            await self._driver.close()

    async def _watch(self) -> None:
        while True:
            await self._probe_and_record()
            await asyncio.sleep(self.interval)

    async def _probe_and_record(self) -> bool:
        failure = await self._probe()
        self._record(failure)
        return failure is None

    async def _probe(self) -> str | None:
        """One trivial query within `timeout`, never retried: None when the database answered, else what the
        probe met. A timeout while other work completed counts as answered (see the module docstring)."""
        began = time.monotonic()
        answer = asyncio.create_task(self._ask())
        try:
            if await self._waited_out(answer):
                # Answers already on their way when a database froze land early in the window: only work
                # completed in its second half shows that the database is busy rather than gone.
                busy = self._progress > (began + time.monotonic()) / 2
                logger.debug("database probe timed out", extra={"otherWorkCompleted": busy})
                return None if busy else f"no answer within {self.timeout:g} s, and no other work completed"
            answer.result()
        except Exception as error:
            logger.debug("database probe failed", extra={"errorType": type(error).__name__})
            if not _answered(error):
                return f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
        finally:
            answer.cancel()  # unanswered, or the probe itself cancelled (the detector stopping); a no-op once done
            await asyncio.wait({answer})
        self.note_progress()
        return None

    async def _ask(self) -> None:
        assert self._driver is not None
        async with self._driver.session(database=self.database) as session:
            result = await session.run("RETURN 1")
            await result.consume()

    async def _waited_out(self, answer: asyncio.Task[None]) -> bool:
        """Wait for `answer` until this loop has waited `timeout` in all, counting a stretch in which it could
        not run (the process stalled) as two ticks at most; True if it never came (`_probe` stops it)."""
        tick = self.timeout / TICKS_PER_TIMEOUT
        waited = 0.0
        while waited < self.timeout:
            before = time.monotonic()
            await asyncio.wait({answer}, timeout=min(tick, self.timeout - waited))
            if answer.done():
                return False
            waited += min(time.monotonic() - before, 2 * tick)
        return True

    def _record(self, failure: str | None) -> None:
        answered = failure is None
        if answered and not self.up:
            logger.warning("database answers again")
        elif not answered and self.up:
            logger.warning("database does not answer (%s): failing fast until it does", failure)
            assert self._requests is not None
            self._requests.call_soon_threadsafe(self._expire_in_flight)
        self.up = answered
        DB_AVAILABLE.set(1 if answered else 0)

    def _expire_in_flight(self) -> None:
        """In the request loop: every unit of work in flight stops waiting now."""
        assert self._requests is not None
        now = self._requests.time()
        for deadline in list(self._deadlines):
            deadline.reschedule(now)

    def refuse_if_down(self) -> None:
        if not self.up:
            raise DatabaseNotAnswering("the database is not answering")

    @contextlib.contextmanager
    def watching(self, deadline: asyncio.Timeout) -> Iterator[None]:
        """While the block runs (in the request loop), an outage moves `deadline` to now."""
        self._deadlines.add(deadline)
        try:
            yield
        finally:
            self._deadlines.discard(deadline)
