"""Account clocks: tell a reader, in one tiny query, whether a cached account snapshot is current.

Every write through `Database.write` sets a fresh random value on the clock of each account it
touched (`Write.touch`, ticked by `database.FINISH_WRITE` when the transaction commits): a write in
one account never invalidates another's snapshot, and writes to different accounts never wait for
one another. A random value rather than a counter, so that a cache never mistakes a rebuilt or
emptied database for the one it cached. An account without a clock is never cached.

Writes that bypass the service (raw Cypher) tick nothing: after one, restart the service or set
`a.clock = randomUUID()` on the accounts written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch


@dataclass(frozen=True, slots=True)
class ClockReading:
    """A clock as read earlier in the same request (`version` None: the account was never written, or is
    unknown). Data read after it is never older than it, so a cache may file that data under it."""

    version: str | None


READ_ACCOUNT_CLOCK: LiteralString = """
OPTIONAL MATCH (a:Account {workspaceId: $ws, id: $accountId})
RETURN a.clock AS clock
"""

READ_STAKEHOLDER_CLOCK: LiteralString = """
OPTIONAL MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
OPTIONAL MATCH (a:Account {workspaceId: $ws, id: s.accountId})
RETURN a.clock AS clock
"""


async def read_account_clock(tx: AsyncManagedTransaction, ws: str, account_id: str) -> str | None:
    """The account's clock, or None for an unknown account or one that has never been written."""
    clock: str | None = (await fetch(tx, READ_ACCOUNT_CLOCK, ws=ws, accountId=account_id))[0]["clock"]
    return clock


async def read_stakeholder_clock(tx: AsyncManagedTransaction, ws: str, stakeholder_id: str) -> str | None:
    """The clock of the stakeholder's account; None as `read_account_clock`, or for an unknown stakeholder."""
    clock: str | None = (await fetch(tx, READ_STAKEHOLDER_CLOCK, ws=ws, id=stakeholder_id))[0]["clock"]
    return clock
