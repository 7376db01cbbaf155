"""The async driver and the one primitive every graph function uses to run a query."""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Record


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
