"""Scale benchmark: does a request's cost follow its answer or the size of the database?

One account of 20 people in a workspace of its own is served by the real app (`served_app`) in-process through
httpx's ASGI transport, as an admin key. Each request below is timed (median of `--requests`) first on a
database holding nothing else, then after raw Cypher has stored `--others` nodes of each kind the requests
look at (people, change log entries, checkpoints, audit entries) in 1,000 accounts of 100 other
workspaces. The answers are the same size both times; prints ms per request at each size and the ratio,
against a target of 1.2x (the account page's in `bench/side_by_side.py`). A query that reads a whole
label (see `tests/test_query_plans.py`) shows here as a ratio that grows with `--others`.

    .venv/bin/python bench/scale_bench.py                       # starts its own local Neo4j
    .venv/bin/python bench/scale_bench.py --others 20000 --requests 50   # a smoke run
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/scale_bench.py   # an existing database
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

import httpx
from in_process import served_in_process  # beside this script, like every benchmark's helpers
from neo4j import AsyncDriver
from powermap_devtools.local_neo4j import env_or_local_neo4j
from write_bench import IMPORT, PEOPLE, UPDATE  # beside this script, like every benchmark's helpers

from service.rules.access import Role

TARGET_RATIO = 1.2
SEED_BATCH = 50_000

HISTORY = "query($id: ID!) { account(id: $id) { changes(first: 50) { at entity field oldValue newValue } } }"

DIFF = """query($id: ID!, $from: DateTime!) {
  account(id: $id) { diff(from: $from) { supportScoreBefore supportScoreAfter stanceMoveCount } }
}"""

AUDIT = "{ auditLog(first: 50) { nodes { at operation outcome } } }"

OTHERS: dict[str, LiteralString] = {
    "Stakeholder": """
UNWIND range($from, $to) AS i
CREATE (:Stakeholder {workspaceId: 'other-' + (i % 100), accountId: 'acc-' + (i % 1000), id: 'p' + i,
                      name: 'Person ' + i, stance: 'NEUTRAL', archived: false, version: 1, updatedAt: datetime()})
""",
    "Change": """
UNWIND range($from, $to) AS i
CREATE (:Change {workspaceId: 'other-' + (i % 100), accountId: 'acc-' + (i % 1000), id: 'c' + i, txId: 't' + i,
                 seq: 0, at: datetime(), by: 'bench', entity: 'Stakeholder', entityId: 'p' + i, op: 'UPDATED',
                 fields: ['notes'], old: ['null'], new: ['"x"']})
""",
    "Checkpoint": """
UNWIND range($from, $to) AS i
CREATE (:Checkpoint {workspaceId: 'other-' + (i % 100), accountId: 'acc-' + (i % 1000), at: datetime(),
                     entities: 0, state: '{}'})
""",
    "AuditEntry": """
UNWIND range($from, $to) AS i
CREATE (:AuditEntry {workspaceId: 'other-' + (i % 100), id: 'a' + i, at: datetime(), by: 'bench', role: 'ADMIN',
                     operation: 'stakeholderUpdate', outcome: 'OK', entityIds: [], entityCount: 0})
""",
}
"""What other workspaces hold: `--others` of each, the kinds the measured requests look up."""

CLEAR_OTHERS: LiteralString = """
MATCH (n) WHERE n.workspaceId STARTS WITH 'other-'
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""


class Client:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = (await self.http.post("/graphql", json={"query": query, "variables": variables or {}})).json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        found: dict[str, Any] = body["data"]
        return found


async def median_ms(requests: int, request: Callable[[int], Awaitable[None]]) -> float:
    times = []
    for n in range(requests):
        start = time.perf_counter()
        await request(n)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


async def clear_others(driver: AsyncDriver) -> None:
    async with driver.session() as session:  # `IN TRANSACTIONS` runs only in an auto-commit transaction
        await (await session.run(CLEAR_OTHERS)).consume()


async def seed_others(driver: AsyncDriver, count: int) -> None:
    for query in OTHERS.values():
        for start in range(0, count, SEED_BATCH):
            params = {"from": start, "to": min(count, start + SEED_BATCH) - 1}
            await driver.execute_query(query, params)
    await driver.execute_query("CALL db.awaitIndexes(300)")


async def run(uri: str, user: str, password: str, others: int, requests: int) -> bool:
    ws = f"bench-scale-{uuid.uuid4().hex[:8]}"
    async with served_in_process(uri, user, password, ws) as served:
        driver: AsyncDriver = served.services.db.driver
        await clear_others(driver)
        async with served.client(Role.ADMIN, "scale bench") as http:
            client = Client(http)
            document = {
                "source": "bench",
                "account": {"externalId": "acc", "name": "Scale bench"},
                "stakeholders": [{"externalId": f"p{i}", "name": f"Person {i}"} for i in range(PEOPLE)],
            }
            imported = (await client.data(IMPORT, {"input": document}))["accountGraphImport"]["account"]
            account, people = imported["id"], [p["id"] for p in imported["stakeholders"]["nodes"]]
            since = (datetime.now(UTC) - timedelta(days=1)).isoformat()

            async def update(n: int) -> None:
                variables = {"input": {"id": people[n % PEOPLE], "notes": f"note {n} {time.time()}"}}
                payload = (await client.data(UPDATE, variables))["stakeholderUpdate"]
                assert payload["userErrors"] == [], payload

            async def history(_: int) -> None:
                await client.data(HISTORY, {"id": account})

            async def diff(_: int) -> None:
                await client.data(DIFF, {"id": account, "from": since})

            async def audit(_: int) -> None:
                await client.data(AUDIT)

            measured = {"stakeholderUpdate": update, "account changes": history, "account diff": diff,
                        "auditLog": audit}  # fmt: skip
            for request in measured.values():  # warm-up: plans, caches, the JVM's hot paths
                await median_ms(requests, request)
            alone = {name: await median_ms(requests, request) for name, request in measured.items()}
            await seed_others(driver, others)
            crowded = {name: await median_ms(requests, request) for name, request in measured.items()}
        await clear_others(driver)

    print(f"ms per request (median of {requests}), alone and beside {others:,} nodes of each kind elsewhere")
    print(f"{'':20}{'alone':>10}{'crowded':>10}{'ratio':>8}")
    ok = True
    for name in measured:
        ratio = crowded[name] / alone[name]
        ok &= ratio <= TARGET_RATIO
        print(f"{name:20}{alone[name]:>10.1f}{crowded[name]:>10.1f}{ratio:>8.2f}")
    print(f"target: ratio <= {TARGET_RATIO} ({'met' if ok else 'MISSED'})")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--others", type=int, default=200_000, help="nodes of each kind in other workspaces")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with env_or_local_neo4j(heap="2g", pagecache="1g") as (uri, user, password):
        ok = asyncio.run(run(uri, user, password, args.others, args.requests))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
