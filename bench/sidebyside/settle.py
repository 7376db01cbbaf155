"""Keeping one system's deferred work out of the next system's cell.

A Powermap write stores the account's checkpoint in the background once enough changes have accrued and the
account has had no write for `Deferral.quiet` seconds (`service.usecases.checkpoints`). Storing one reads the
whole map under the account's lock, so without a pause it lands in whichever cell comes next, often a floor's,
whose writes then wait on that lock: the next cell is slowed by work that is not its own. After a Powermap
write cell the benchmark waits out the quiet period and every transaction then running (`SHOW TRANSACTIONS`),
and reports how long transactions ran meanwhile (`Settling`). The pause is in no cell: Powermap's checkpoints
cost no cell.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from service.rules.history import Deferral
from sidebyside.data import bench_driver
from sidebyside.servers import Database

RUNNING = (
    "SHOW TRANSACTIONS YIELD currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' "
    "RETURN count(*) AS running"
)

POLL_SECONDS = 0.05
LONGEST_SECONDS = 60.0


@dataclass
class Settling:
    """The pauses after Powermap's write cells: how many, and the seconds in them while a transaction ran."""

    pauses: int = 0
    busy_seconds: float = 0.0


async def settle(database: Database, settling: Settling) -> None:
    """Wait until `Deferral.quiet` (plus a margin) has passed and no other transaction runs on `database`, at
    most `LONGEST_SECONDS`; count the time in which one ran (sampled every `POLL_SECONDS`)."""
    await asyncio.to_thread(_settle, database, settling)


def _settle(database: Database, settling: Settling) -> None:
    began = time.monotonic()
    quiet_until = began + Deferral().quiet + 0.5
    with bench_driver(database) as driver:
        while time.monotonic() - began < LONGEST_SECONDS:
            asked = time.monotonic()
            running = driver.execute_query(RUNNING, routing_="r").records[0]["running"] > 0
            if not running and asked >= quiet_until:
                break
            time.sleep(POLL_SECONDS)
            if running:
                settling.busy_seconds += time.monotonic() - asked
    settling.pauses += 1
