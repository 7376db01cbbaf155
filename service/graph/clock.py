"""The graph clock: a value every write transaction changes, so readers can tell whether a cached
snapshot is still current with one cheap round trip.

Migrations start the clock; `Database.write` ticks it. Writes that bypass the service (raw Cypher) do
not: after one, restart the service or tick the clock. Without a clock (an emptied database), nothing
is cached.
"""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch

# A fresh random value (not a counter), so a cache never mistakes a rebuilt or emptied database for
# the one it cached. MERGE is safe under concurrency thanks to the `graph_clock` constraint.
TICK_GRAPH_CLOCK: LiteralString = "MERGE (c:GraphClock {id: 'graph'}) SET c.version = randomUUID()"

READ_GRAPH_CLOCK: LiteralString = "OPTIONAL MATCH (c:GraphClock {id: 'graph'}) RETURN c.version AS version"


async def tick(tx: AsyncManagedTransaction) -> None:
    """Call last in every write transaction (Database.write does)."""
    await fetch(tx, TICK_GRAPH_CLOCK)


async def read_clock(tx: AsyncManagedTransaction) -> str | None:
    rows = await fetch(tx, READ_GRAPH_CLOCK)
    version: str | None = rows[0]["version"]
    return version
