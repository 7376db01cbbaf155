"""The async driver and the one primitive every graph function uses to run a query."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Record


class QueryCounter:
    """Counts Cypher round trips; tests read it to prove that batching holds."""

    def __init__(self) -> None:
        self.count = 0


QUERIES = QueryCounter()


def create_driver(
    uri: str,
    user: str,
    password: str,
    *,
    pool_size: int = 100,
    acquisition_timeout: float = 10.0,
    connection_timeout: float = 5.0,
    retry_seconds: float = 15.0,
) -> AsyncDriver:
    """`acquisition_timeout` bounds the wait for a pooled connection (opening one included);
    `connection_timeout` bounds opening one; `retry_seconds` bounds the retries of a managed transaction."""
    auth = (user, password) if password else None
    return AsyncGraphDatabase.driver(
        uri,
        auth=auth,
        max_connection_pool_size=pool_size,
        connection_timeout=connection_timeout,
        connection_acquisition_timeout=acquisition_timeout,
        max_transaction_retry_time=retry_seconds,
        notifications_min_severity="OFF",
    )


async def fetch(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> list[Record]:
    """Run one query in `tx` and return all its records (one round trip)."""
    QUERIES.count += 1
    result = await tx.run(query, params)
    return [record async for record in result]


async def stream(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> AsyncIterator[Record]:
    """Run one query in `tx` and yield its records as they are decoded (one round trip): a caller that
    turns each into its own objects never holds the whole answer in its decoded form."""
    QUERIES.count += 1
    result = await tx.run(query, params)
    async for record in result:
        yield record
