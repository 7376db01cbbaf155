"""Sync benchmark: contacts/s through the GraphQL API against the floor of raw Cypher, fresh and replayed.

API: 10,000 contacts as `stakeholdersUpsert` calls of 1,000, posted over HTTP to the real app
(`served_app`, as `powermap serve` builds it) in-process through httpx's ASGI transport: JSON in and out, GraphQL parsing,
validation and execution, the per-contact results, one managed write transaction per call.

Floor: the same rows written through the driver with raw `UNWIND` queries per batch in a managed write
transaction: MERGE the StakeholderRef, MERGE the stakeholder behind it, SET the contact fields, MERGE the
REPORTS_TO to a manager already stored, else remember the manager's key on the person; then link everyone
waiting for a person the batch stored (the contacts come shuffled, so many managers arrive after their
reports, and the service links them too). It computes no status and no diff, so it is a floor, not an
equivalent. The service also logs every change (one `Change` node per person created or updated, and per
reporting line linked later, linked to the person): "floor + log" is the fresh floor with that log, the
creations written by a raw `UNWIND ... CREATE` from rows prepared beforehand and the later links logged by
the query that makes them, in the same transaction.

Each is measured on a fresh load (nothing stored) and on a replay of the same batches (everything
UNCHANGED; the floor's replay still sets every property). Queries are warmed up first on the very
workspaces measured, then those are emptied, so no figure includes Cypher planning: Neo4j plans a query
again for string parameters of another length class, so a scratch workspace named differently left
the upsert's first measured batch to be planned anew (about a second). Prints contacts/s, the batches'
wall time and the CPU time of this process per batch (the app, its driver and the client: the rest of a
batch's wall time is mostly spent waiting for Neo4j), and the API/floor ratio.

    .venv/bin/python bench/sync_bench.py                    # starts its own local Neo4j
    .venv/bin/python bench/sync_bench.py --contacts 20000 --rounds 3
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/sync_bench.py   # an existing database
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import uuid
from datetime import UTC, datetime
from typing import Any, LiteralString

import httpx
from batch_times import Batch, rate, table, timed_batches, verdict  # beside this script
from in_process import served_in_process  # beside this script, like every benchmark's helpers
from neo4j import AsyncManagedTransaction
from powermap_devtools.local_neo4j import env_or_local_neo4j

from service.graph.database import Database
from service.rules.access import Role

SOURCE = "hr"
ACCOUNT = "bench-account"
BATCH = 1_000
TARGET_RATE = 5_000
WARM_UP_LOADS = 2
TARGET_RATIO = 0.5

UPSERT = """
mutation Upsert($input: StakeholdersUpsertInput!) {
  stakeholdersUpsert(input: $input) {
    results { index externalId status userErrors { field message code } }
    created updated unchanged failed
    userErrors { field message code }
  }
}
"""

ACCOUNT_SETUP: LiteralString = """
MERGE (r:AccountRef {workspaceId: $ws, source: $source, externalId: $externalId})
MERGE (a:Account {workspaceId: $ws, id: $id})
  ON CREATE SET a.name = 'Benchmark account', a.createdAt = datetime(), a.updatedAt = datetime()
MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(a)
"""

CLEAR_WORKSPACE: LiteralString = """
MATCH (n {workspaceId: $ws}) WHERE NOT n:ApiKey AND NOT n:Workspace
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

FLOOR: LiteralString = """
UNWIND $rows AS row
MERGE (r:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.externalId})
MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(s:Stakeholder {workspaceId: $ws, accountId: $accountId})
  ON CREATE SET s.id = row.id, s.archived = false, s.version = 1, s.stance = 'UNKNOWN', s.createdAt = $now
SET s += row.props, s.updatedAt = $now
WITH s, row
OPTIONAL MATCH (:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.reportsTo})-[:IDENTIFIES]->(m:Stakeholder)
FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | MERGE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m))
FOREACH (_ IN CASE WHEN m IS NULL AND row.reportsTo IS NOT NULL THEN [1] ELSE [] END |
  SET s.reportsToKey = row.reportsTo)
"""

FLOOR_LINK: LiteralString = """
UNWIND $rows AS row
MATCH (w:Stakeholder {workspaceId: $ws, reportsToKey: row.externalId})
WHERE w.accountId = $accountId
MATCH (:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.externalId})-[:IDENTIFIES]->(m:Stakeholder)
MERGE (w)-[:REPORTS_TO {workspaceId: $ws}]->(m)
REMOVE w.reportsToKey
WITH w, m WHERE $log
CREATE (c:Change {workspaceId: $ws, id: replace(randomUUID(), '-', ''), txId: $txId, seq: $firstSeq, at: $now,
                  by: 'floor', accountId: $accountId, entity: 'Stakeholder', entityId: w.id, op: 'UPDATED',
                  fields: ['reportsTo'], old: ['null'], new: ['"' + m.id + '"']})
CREATE (c)-[:ABOUT {workspaceId: $ws}]->(w)
"""
"""Links everyone in the account waiting for a person of the batch (`$log`: and logs each link)."""

FLOOR_LOG: LiteralString = """
UNWIND $rows AS row
MATCH (s:Stakeholder {workspaceId: $ws, id: row.entityId})
CREATE (c:Change {workspaceId: $ws, id: row.id, txId: $txId, seq: row.seq, at: $now, by: 'floor', accountId: $accountId,
                  entity: 'Stakeholder', entityId: row.entityId, op: 'CREATED', fields: row.fields, old: row.old,
                  new: row.new})
CREATE (c)-[:ABOUT {workspaceId: $ws}]->(s)
"""

REPORTING_LINES: LiteralString = """
MATCH (:Stakeholder {workspaceId: $ws})-[r:REPORTS_TO]->(:Stakeholder)
RETURN count(r) AS lines
"""

LEVELS = ("OPERATIONAL", "MANAGEMENT", "SENIOR")


def contacts(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` people in a reporting tree (ten reports each), in a shuffled order: some managers come later."""
    people = [
        {
            "externalId": f"E{n:06d}",
            "name": f"Person {n}",
            "title": f"Title {n % 40}",
            "department": f"Department {n % 12}",
            "email": f"person{n}@customer.example",
            "phone": f"+86 756 {n:07d}",
            "level": LEVELS[0 if n > 100 else 1 if n > 10 else 2],
            "reportsTo": f"E{(n - 1) // 10:06d}" if n else None,
        }
        for n in range(count)
    ]
    random.Random(seed).shuffle(people)
    return people


def batches(people: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [people[i : i + BATCH] for i in range(0, len(people), BATCH)]


def floor_rows(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = ("name", "title", "department", "email", "phone", "level")
    return [
        {
            "externalId": c["externalId"],
            "id": uuid.uuid4().hex,
            "reportsTo": c["reportsTo"],
            "props": {name: c[name] for name in fields},
        }
        for c in batch
    ]


def log_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A creation's change per floor row, as the service logs it: every value given, from null."""
    logged = []
    for seq, row in enumerate(rows):
        values = {**row["props"], "stance": "UNKNOWN", "buyingRoles": [], "buyerTypes": []}
        names = sorted(values)
        logged.append(
            {
                "id": uuid.uuid4().hex,
                "seq": seq,
                "entityId": row["id"],
                "fields": names,
                "old": ["null"] * len(names),
                "new": [json.dumps(values[name], ensure_ascii=False) for name in names],
            }
        )
    return logged


async def floor_batch(
    tx: AsyncManagedTransaction, ws: str, account_id: str, rows: list[dict[str, Any]], log: list[dict[str, Any]] | None
) -> None:
    now, tx_id = datetime.now(UTC), uuid.uuid4().hex
    result = await tx.run(FLOOR, ws=ws, source=SOURCE, accountId=account_id, rows=rows, now=now)
    await result.consume()
    result = await tx.run(
        FLOOR_LINK, ws=ws, source=SOURCE, accountId=account_id, rows=rows, now=now, log=log is not None, txId=tx_id,
        firstSeq=len(rows),
    )  # fmt: skip
    await result.consume()
    if log is not None:
        result = await tx.run(FLOOR_LOG, ws=ws, accountId=account_id, rows=log, now=now, txId=tx_id)
        await result.consume()


class Api:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def upsert(self, batch: list[dict[str, Any]]) -> dict[str, Any]:
        body = {"query": UPSERT, "variables": {"input": {"source": SOURCE, "account": ACCOUNT, "contacts": batch}}}
        response = await self.http.post("/graphql", json=body)
        response.raise_for_status()
        data = response.json()
        if data.get("errors"):
            raise RuntimeError(data["errors"])
        payload: dict[str, Any] = data["data"]["stakeholdersUpsert"]
        if payload["userErrors"] or payload["failed"]:
            raise RuntimeError(payload["userErrors"] or payload["results"][:3])
        return payload


async def prepare(db: Database, ws: str) -> str:
    account_id = f"{ws}-account"
    await clear(db, ws)
    await db.driver.execute_query(ACCOUNT_SETUP, ws=ws, source=SOURCE, externalId=ACCOUNT, id=account_id)
    return account_id


async def clear(db: Database, ws: str) -> None:
    async with db.driver.session(database=db.database) as session:
        result = await session.run(CLEAR_WORKSPACE, ws=ws)
        await result.consume()


async def timed_api(api: Api, work: list[list[dict[str, Any]]], expect: str | None) -> tuple[float, list[Batch]]:
    async def upsert(batch: list[dict[str, Any]]) -> None:
        payload = await api.upsert(batch)
        if expect is not None and payload[expect] != len(batch):
            raise RuntimeError(f"expected every contact {expect}, got {payload}")

    return await timed_batches(work, upsert)


async def timed_floor(
    db: Database, ws: str, account_id: str, work: list[list[dict[str, Any]]], log: bool = False
) -> tuple[float, list[Batch]]:
    rows = [floor_rows(batch) for batch in work]
    prepared = [(batch_rows, log_rows(batch_rows) if log else None) for batch_rows in rows]

    async def write(batch: tuple[list[dict[str, Any]], list[dict[str, Any]] | None]) -> None:
        async with db.driver.session(database=db.database) as session:  # raw: no clock
            await session.execute_write(floor_batch, ws, account_id, *batch)

    return await timed_batches(prepared, write)


async def check_reporting_lines(db: Database, ws: str, count: int) -> None:
    """Every person but the root reports to their manager: both sides stored the same tree."""
    found = await db.driver.execute_query(REPORTING_LINES, ws=ws, database_=db.database)
    if found.records[0]["lines"] != count - 1:
        raise RuntimeError(f"{ws}: {found.records[0]['lines']} reporting lines, expected {count - 1}")


async def run(uri: str, user: str, password: str, count: int, rounds: int) -> bool:
    work = batches(contacts(count))
    async with served_in_process(uri, user, password, "bench-api") as served:
        db: Database = served.services.db
        async with served.client(Role.INTEGRATION, "sync bench") as http:
            api = Api(http)
            # warm-up on the measured workspaces (see the docstring): plan every query, and let the JVM compile
            # the hot paths (a fresh server runs the upsert's many operators slowly for its first few thousand
            # batches of rows)
            for seed in range(1, WARM_UP_LOADS + 1):
                await prepare(db, "bench-api")
                warm_id = await prepare(db, "bench-floor")
                warm = batches(contacts(count, seed=seed))
                for _ in range(2):
                    await timed_api(api, warm, None)
                    await timed_floor(db, "bench-floor", warm_id, warm)
                warm_id = await prepare(db, "bench-floor")
                await timed_floor(db, "bench-floor", warm_id, warm, log=True)

            figures: dict[str, list[float]] = {
                key: [] for key in ("api fresh", "api replay", "floor fresh", "floor replay", "floor+log fresh")
            }
            per_batch: dict[str, list[Batch]] = {key: [] for key in figures}
            for round_ in range(rounds):
                for side in ("api", "floor") if round_ % 2 == 0 else ("floor", "api"):  # neither always goes first
                    await clear(db, f"bench-{'floor' if side == 'api' else 'api'}")
                    if side == "api":
                        await prepare(db, "bench-api")
                        for key, expect in (("api fresh", None), ("api replay", "unchanged")):
                            seconds, times = await timed_api(api, work, expect)
                            figures[key].append(rate(count, seconds))
                            per_batch[key] += times
                            await check_reporting_lines(db, "bench-api", count)
                    else:
                        floor_id = await prepare(db, "bench-floor")
                        for key in ("floor fresh", "floor replay"):
                            seconds, times = await timed_floor(db, "bench-floor", floor_id, work)
                            figures[key].append(rate(count, seconds))
                            per_batch[key] += times
                            await check_reporting_lines(db, "bench-floor", count)
                        floor_id = await prepare(db, "bench-floor")
                        seconds, times = await timed_floor(db, "bench-floor", floor_id, work, log=True)
                        figures["floor+log fresh"].append(rate(count, seconds))
                        per_batch["floor+log fresh"] += times
                        await check_reporting_lines(db, "bench-floor", count)
            await clear(db, "bench-api")
            await clear(db, "bench-floor")

    print(f"{count:,} contacts in batches of {BATCH:,}; {rounds} round(s); median of rounds")
    print("\n".join(table("contacts", figures, per_batch)))
    lines, ok = verdict("contacts", (TARGET_RATE, TARGET_RATIO), figures, per_batch)
    print("\n".join(lines))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    with env_or_local_neo4j(heap="2g", pagecache="512m") as (uri, user, password):
        ok = asyncio.run(run(uri, user, password, args.contacts, args.rounds))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
