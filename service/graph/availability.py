"""Failing fast while the database is away, and noticing by itself when it is back.

`Availability` probes the database on a driver of its own (a pool of its own, so that a busy main
pool never looks like an outage) every `interval` seconds with a `timeout`. A failed probe marks the
database down: units of work in flight stop waiting at once (their deadlines are moved to now) and new
ones are refused before they take a connection, each with `DatabaseNotAnswering`. The next probe
that succeeds marks it up again.

A frozen database (a stopped process, a dead network path) accepts connections and never answers, so
neither the driver's connection timeout nor the server's transaction timeout ever fires: only a
client-side deadline ends such a wait, and the probe ends it within `interval + timeout`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

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


class Availability:
    def __init__(self, probe_driver: AsyncDriver, database: str, interval: float, timeout: float) -> None:
        self.probe_driver = probe_driver
        self.database = database
        self.interval = interval
        self.timeout = timeout
        self.up = True
        self._deadlines: set[asyncio.Timeout] = set()
        self._task: asyncio.Task[None] | None = None

    async def probe(self) -> bool:
        """One trivial query within `timeout`, never retried."""
        try:
            async with asyncio.timeout(self.timeout):
                async with self.probe_driver.session(database=self.database) as session:
                    result = await session.run("RETURN 1")
                    await result.consume()
        except Exception as error:
            logger.debug("database probe failed", extra={"errorType": type(error).__name__})
            return False
        return True

    async def check_now(self) -> bool:
        """Probe once and record the outcome (readiness calls this)."""
        self._record(await self.probe())
        return self.up

    def start(self) -> None:
        self._task = asyncio.create_task(self._watch(), name="database-availability")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.probe_driver.close()

    async def _watch(self) -> None:
        while True:
            self._record(await self.probe())
            await asyncio.sleep(self.interval)

    def _record(self, answered: bool) -> None:
        if answered and not self.up:
            logger.warning("database answers again")
        elif not answered and self.up:
            logger.warning(
                "database does not answer: failing fast until it does", extra={"inFlight": len(self._deadlines)}
            )
            loop = asyncio.get_running_loop()
            for deadline in list(self._deadlines):
                deadline.reschedule(loop.time())
        self.up = answered
        DB_AVAILABLE.set(1 if answered else 0)

    def refuse_if_down(self) -> None:
        if not self.up:
            raise DatabaseNotAnswering("the database is not answering")

    @contextlib.contextmanager
    def watching(self, deadline: asyncio.Timeout) -> Iterator[None]:
        """While the block runs, an outage moves `deadline` to now."""
        self._deadlines.add(deadline)
        try:
            yield
        finally:
            self._deadlines.discard(deadline)
