"""The one async driver of the process, and the unit-of-work helpers built on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, LiteralString, ParamSpec, TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Record

P = ParamSpec("P")
T = TypeVar("T")


class QueryCounter:
    """Counts Cypher round trips; tests read it to prove that batching holds."""

    def __init__(self) -> None:
        self.count = 0


QUERIES = QueryCounter()


def create_driver(uri: str, user: str, password: str) -> AsyncDriver:
    auth = (user, password) if password else None
    return AsyncGraphDatabase.driver(
        uri,
        auth=auth,
        connection_timeout=5.0,
        connection_acquisition_timeout=10.0,
        max_transaction_retry_time=15.0,
        notifications_min_severity="OFF",
    )


async def fetch(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> list[Record]:
    """Run one query in `tx` and return all its records (one round trip)."""
    QUERIES.count += 1
    result = await tx.run(query, params)
    return [record async for record in result]


class Database:
    """The driver plus the database name: runs units of work as managed, retried transactions."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        from service.graph.analytics import SnapshotCache

        self.driver = driver
        self.database = database
        self.snapshots = SnapshotCache()

    async def read(
        self,
        work: Callable[..., Awaitable[T]],
        *args: Any,
        **kwargs: Any,
    ) -> T:
        async with self.driver.session(database=self.database, default_access_mode="READ") as session:
            return await session.execute_read(work, *args, **kwargs)

    async def write(
        self,
        work: Callable[..., Awaitable[T]],
        *args: Any,
        **kwargs: Any,
    ) -> T:
        """Run `work` in one managed write transaction (retried on transient errors) that also ticks the
        graph clock, so cached analytics snapshots know they are stale."""
        from service.graph.clock import tick

        async def unit_of_work(tx: AsyncManagedTransaction) -> T:
            result = await work(tx, *args, **kwargs)
            await tick(tx)
            return result

        async with self.driver.session(database=self.database) as session:
            return await session.execute_write(unit_of_work)

    async def ping(self) -> None:
        """One trivial auto-commit query, never retried: raises at once when the database is unreachable."""
        async with self.driver.session(database=self.database) as session:
            result = await session.run("RETURN 1")
            await result.consume()

    async def close(self) -> None:
        await self.driver.close()
