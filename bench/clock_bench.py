"""Clock benchmark: what the per-account clocks cost concurrent writes, against the same writes without a
clock and against the one global clock of earlier versions.

16 writers (asyncio tasks sharing one driver, as the service does), each on its own account of 50
stakeholders, run raw Cypher write transactions back to back for a fixed time. Each transaction sets a
stakeholder's stance (one statement) and then closes the way the service closes a write:

- `no clock`: `FINISH_WRITE` with the change row only (the change log, no clock);
- `account clocks`: `FINISH_WRITE` with the change row and the touched account;
- `clocks + feed`: the same, with the change feed's sequence taken last (what the service does: the
  workspace's sequence number, its `ChangeCommit` filed; the feed's cost, apart from the clocks');
- `global clock`: the change row, then the old global `GraphClock` tick every write took.

The variants run in turns, several rounds, so that drift hits all alike. Prints writes/s per variant
and the ratio to `no clock`.

    .venv/bin/python bench/clock_bench.py                 # starts its own local Neo4j
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/clock_bench.py --seconds 5 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction
from powermap_devtools.local_neo4j import LocalNeo4j, free_port

from service.graph.database import FINISH_WRITE
from service.graph.driver import create_driver
from service.graph.migrations import apply_migrations

WORKSPACE = "bench-clocks"
WRITERS = 16
PEOPLE = 50
TARGET_RATIO = 0.9

SET_STANCE: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
SET s.stance = $stance, s.version = s.version + 1, s.updatedAt = $now
"""

GLOBAL_TICK: LiteralString = "MERGE (c:GraphClock {id: 'graph'}) SET c.version = randomUUID()"

SEED: LiteralString = """
UNWIND $accounts AS accountId
CREATE (a:Account {workspaceId: $ws, id: accountId, name: accountId, clock: randomUUID()})
WITH a
UNWIND range(1, $people) AS n
CREATE (:Stakeholder {workspaceId: $ws, id: a.id + '-' + n, accountId: a.id, name: 'p' + n, stance: 'UNKNOWN',
                      version: 1})
"""

STANCES = ("ENEMY", "OPPONENT", "NEUTRAL", "SUPPORTER", "MENTOR")


def change_row(person: str, account: str, old: str, new: str) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "seq": 0,
        "accountId": account,
        "entity": "Stakeholder",
        "entityId": person,
        "op": "UPDATED",
        "fields": ["stance"],
        "old": [f'"{old}"'],
        "new": [f'"{new}"'],
        "about": [person],
    }


async def one_write(tx: AsyncManagedTransaction, variant: str, account: str, person: str, stance: str) -> None:
    now = datetime.now(UTC)
    await (await tx.run(SET_STANCE, ws=WORKSPACE, id=person, stance=stance, now=now)).consume()
    params = {
        "ws": WORKSPACE,
        "by": "bench",
        "now": now,
        "txId": uuid.uuid4().hex,
        "rows": [change_row(person, account, "UNKNOWN", stance)],
        "accounts": [account] if variant in ("account clocks", "clocks + feed") else [],
        "lease": None,  # no batched import holds the account
        "audit": None,  # the audit entry is the same in every variant: left out
        "publish": variant == "clocks + feed",
        "published": 1 if variant == "clocks + feed" else None,
    }
    await (await tx.run(FINISH_WRITE, params)).consume()
    if variant == "global clock":
        await (await tx.run(GLOBAL_TICK)).consume()


async def writer(driver: AsyncDriver, variant: str, account: str, until: float, rng: random.Random) -> int:
    done = 0
    async with driver.session(database="neo4j") as session:
        while time.perf_counter() < until:
            person = f"{account}-{rng.randint(1, PEOPLE)}"
            await session.execute_write(one_write, variant, account, person, rng.choice(STANCES))
            done += 1
    return done


async def rate(driver: AsyncDriver, variant: str, accounts: list[str], seconds: float) -> float:
    began = time.perf_counter()
    until = began + seconds
    counts = await asyncio.gather(
        *(writer(driver, variant, account, until, random.Random(n)) for n, account in enumerate(accounts))
    )
    return sum(counts) / (time.perf_counter() - began)


@contextmanager
def database_uri() -> Iterator[str]:
    if uri := os.environ.get("NEO4J_URI"):
        yield uri
        return
    with LocalNeo4j(port=free_port()) as server:
        print(f"local Neo4j started in {server.started_in_seconds:.1f} s")
        os.environ.update(NEO4J_USER=server.user, NEO4J_PASSWORD=server.password)  # for create_driver below
        yield server.uri


async def main(seconds: float, rounds: int) -> None:
    variants = ("no clock", "account clocks", "clocks + feed", "global clock")
    with database_uri() as uri:
        driver = create_driver(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        try:
            await apply_migrations(driver, "neo4j")
            await driver.execute_query("MATCH (n {workspaceId: $ws}) DETACH DELETE n", ws=WORKSPACE)
            accounts = [f"acc-{n}" for n in range(WRITERS)]
            await driver.execute_query(SEED, ws=WORKSPACE, accounts=accounts, people=PEOPLE)
            for variant in variants:  # warm-up: plans and caches
                await rate(driver, variant, accounts, 1.0)
            rates: dict[str, list[float]] = {v: [] for v in variants}
            for _ in range(rounds):
                for variant in variants:
                    rates[variant].append(await rate(driver, variant, accounts, seconds))
            floor = statistics.median(rates["no clock"])
            print(f"\n{WRITERS} concurrent writers on {WRITERS} accounts, {rounds} rounds of {seconds:.0f} s each")
            print(f"  {'variant':<16} {'writes/s (median)':>18} {'ratio':>7}")
            for variant in variants:
                median = statistics.median(rates[variant])
                print(f"  {variant:<16} {median:18,.0f} {median / floor:6.2f}x")
            ratio = statistics.median(rates["account clocks"]) / floor
            print(
                f"\ntarget: account clocks >= {TARGET_RATIO}x no clock: {'met' if ratio >= TARGET_RATIO else 'MISSED'}"
            )
        finally:
            await driver.execute_query("MATCH (n {workspaceId: $ws}) DETACH DELETE n", ws=WORKSPACE)
            await driver.execute_query("MATCH (c:GraphClock) DELETE c")
            await driver.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.rounds))
