"""Change feed benchmark: reading the feed through the API.

Read: `--changes` change-log entries (commits of one to five changes about stakeholders that have external
ids, as the service writes them) are seeded with raw Cypher, then read back from the start through the
GraphQL API, pages of 1,000 (`changes(first: 1000, after: ...)` with every entry field), posted to the
real app (`served_app`, as `powermap serve` builds it) in-process through httpx's ASGI transport, as an integration key: JSON in and
out, parsing, validation, the read policy, the settled-commit check, the external ids, the role's filter.
Prints changes/s (median of rounds) against the target of 10,000, for two shapes of entry: every field with
the changed fields as `fields { name old new }` (an object a changed field), and every field with them as
`fieldValues` (one JSON value an entry); the rounds alternate between the two.

What the feed's sequence costs concurrent writes is measured beside the clocks, by `bench/clock_bench.py`
(variant `clocks + feed`).

    .venv/bin/python bench/feed_bench.py                          # starts its own local Neo4j
    .venv/bin/python bench/feed_bench.py --changes 2000 --rounds 1   # a smoke run
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/feed_bench.py   # an existing database
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any, LiteralString

import httpx
from in_process import served_in_process  # beside this script, like every benchmark's helpers
from neo4j import AsyncDriver
from powermap_devtools.local_neo4j import env_or_local_neo4j

from service.graph.database import Database
from service.rules.access import Role

READ_WORKSPACE = "bench-feed-read"
PAGE = 1_000
PEOPLE = 2_000
TARGET_READ = 10_000

FEED: LiteralString = """query($after: String) {
  changes(first: 1000, after: $after) {
    entries { entityType entityId externalIds { source id } accountId operation at fields { name old new } cursor }
    endCursor hasMore } }"""

FEED_VALUES: LiteralString = """query($after: String) {
  changes(first: 1000, after: $after) {
    entries { entityType entityId externalIds { source id } accountId operation at fieldValues cursor }
    endCursor hasMore } }"""

SHAPES: dict[str, LiteralString] = {"fields { name old new }": FEED, "fieldValues": FEED_VALUES}
"""The entry shapes read, by how they select the changed fields."""

SEED_PEOPLE: LiteralString = """
CREATE (a:Account {workspaceId: $ws, id: 'acc', name: 'Account', clock: randomUUID()})
WITH a
UNWIND range(1, $people) AS n
CREATE (s:Stakeholder {workspaceId: $ws, id: 'p' + n, accountId: a.id, name: 'Person ' + n, stance: 'UNKNOWN',
                       version: 1})
CREATE (:StakeholderRef {workspaceId: $ws, source: 'crm', externalId: 'crm-' + n})-[:IDENTIFIES {workspaceId: $ws}]->(s)
"""

SEED_COMMITS: LiteralString = """
UNWIND $commits AS commit
CREATE (:ChangeCommit {workspaceId: $ws, number: commit.number, txId: commit.txId, at: $now,
                       changes: size(commit.changes)})
WITH commit
UNWIND commit.changes AS change
CREATE (:Change {workspaceId: $ws, id: change.id, txId: commit.txId, seq: change.seq, at: $now, by: 'bench',
                 accountId: 'acc', entity: 'Stakeholder', entityId: change.person, op: 'UPDATED',
                 fields: ['stance', 'title'], old: ['"UNKNOWN"', 'null'], new: [change.stance, change.title]})
"""

SEED_SEQUENCE: LiteralString = "MERGE (q:ChangeSequence {workspaceId: $ws}) SET q.number = $number"

CLEAR: LiteralString = """
MATCH (n {workspaceId: $ws})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
"""

STANCES = ("ENEMY", "OPPONENT", "NEUTRAL", "SUPPORTER", "MENTOR")


def commits(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Commits of one to five changes, `count` changes in all."""
    rng = random.Random(seed)
    found: list[dict[str, Any]] = []
    made = 0
    while made < count:
        size = min(rng.randint(1, 5), count - made)
        changes = [
            {
                "id": uuid.uuid4().hex,
                "seq": seq,
                "person": f"p{rng.randint(1, PEOPLE)}",
                "stance": f'"{rng.choice(STANCES)}"',
                "title": f'"Title {made + seq}"',
            }
            for seq in range(size)
        ]
        found.append({"number": len(found) + 1, "txId": uuid.uuid4().hex, "changes": changes})
        made += size
    return found


async def clear(driver: AsyncDriver, ws: str) -> None:
    async with driver.session(database="neo4j") as session:
        await (await session.run(CLEAR, ws=ws)).consume()


async def seed_feed(driver: AsyncDriver, count: int) -> None:
    await clear(driver, READ_WORKSPACE)
    await driver.execute_query(SEED_PEOPLE, ws=READ_WORKSPACE, people=PEOPLE)
    made = commits(count)
    for start in range(0, len(made), 2_000):
        await driver.execute_query(SEED_COMMITS, ws=READ_WORKSPACE, commits=made[start : start + 2_000], now=_now())
    await driver.execute_query(SEED_SEQUENCE, ws=READ_WORKSPACE, number=len(made))


def _now() -> datetime:
    return datetime.now(UTC)


async def read_everything(http: httpx.AsyncClient, query: str) -> tuple[int, float]:
    """Entries read from the start to the end with `query`, and the seconds it took."""
    began = time.perf_counter()
    after = None
    read = 0
    while True:
        response = await http.post("/graphql", json={"query": query, "variables": {"after": after}})
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        page = body["data"]["changes"]
        read += len(page["entries"])
        after = page["endCursor"]
        if not page["hasMore"]:
            return read, time.perf_counter() - began


async def measure_reads(uri: str, user: str, password: str, count: int, rounds: int) -> dict[str, float]:
    """The median rate of each shape (`SHAPES`)."""
    rates: dict[str, list[float]] = {shape: [] for shape in SHAPES}
    async with served_in_process(uri, user, password, READ_WORKSPACE) as served:
        db: Database = served.services.db
        await seed_feed(db.driver, count)  # clears the workspace first: the key comes after
        async with served.client(Role.INTEGRATION, "feed bench") as http:
            for query in SHAPES.values():
                await read_everything(http, query)  # warm-up: plans, the JVM's hot paths
            for _ in range(rounds):
                for shape, query in SHAPES.items():
                    read, seconds = await read_everything(http, query)
                    if read != count:
                        raise RuntimeError(f"read {read} of {count} changes")
                    rates[shape].append(read / seconds)
        await clear(db.driver, READ_WORKSPACE)
    return {shape: statistics.median(found) for shape, found in rates.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=50_000, help="changes seeded and read back")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with env_or_local_neo4j(heap="2g", pagecache="512m") as (uri, user, password):
        read = asyncio.run(measure_reads(uri, user, password, args.changes, args.rounds))
    print(f"read: {args.changes:,} changes from the start, pages of {PAGE:,}, median of {args.rounds} round(s)")
    for shape, rate in read.items():
        met = "met" if rate >= TARGET_READ else "MISSED"
        print(f"  {rate:,.0f} changes/s with {shape} (target >= {TARGET_READ:,}: {met})")
    return 0 if min(read.values()) >= TARGET_READ else 1


if __name__ == "__main__":
    sys.exit(main())
