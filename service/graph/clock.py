"""The clocks that tell readers, in one cheap round trip, whether a cached account snapshot is current.

The graph clock changes with every write through `Database.write`, whatever it touched: safe for any
write. A contact sync changes only its account's own clock (`Account.clock`): it touches nothing of
any other account, and integration jobs sync again and again, which would otherwise drop every
account's cached analytics many times a minute. An account's data is current while both clocks stand.

Migrations start the graph clock. Writes that bypass the service (raw Cypher) tick neither: after one,
restart the service or tick the clock. Without a graph clock (an emptied database), nothing is cached.
"""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch

# A fresh random value (not a counter), so a cache never mistakes a rebuilt or emptied database for
# the one it cached. MERGE is safe under concurrency thanks to the `graph_clock` constraint.
TICK_GRAPH_CLOCK: LiteralString = "MERGE (c:GraphClock {id: 'graph'}) SET c.version = randomUUID()"

TICK_ACCOUNT_CLOCK: LiteralString = "SET acct.clock = randomUUID()"
"""A fragment for writes confined to one account, the node `acct` (see the module docstring)."""

READ_CLOCKS: LiteralString = """
OPTIONAL MATCH (c:GraphClock {id: 'graph'})
OPTIONAL MATCH (a:Account {workspaceId: $ws, id: $accountId})
RETURN c.version AS graph, a.clock AS account
"""


async def tick(tx: AsyncManagedTransaction) -> None:
    """Call last in every write transaction (Database.write does)."""
    await fetch(tx, TICK_GRAPH_CLOCK)


async def read_account_version(tx: AsyncManagedTransaction, ws: str, account_id: str) -> str | None:
    """Both clocks of the account in one value, or None without a graph clock."""
    row = (await fetch(tx, READ_CLOCKS, ws=ws, accountId=account_id))[0]
    if row["graph"] is None:
        return None
    return f"{row['graph']}/{row['account'] or ''}"
