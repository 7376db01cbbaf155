"""Interactions benchmark: interactions/s through `interactionsUpsert` against the floor of raw Cypher.

API: `--interactions` visit-log entries (each with a team member, two stakeholders met, a summary and a
next step) as `interactionsUpsert` calls of 1,000, posted over HTTP to the real app (`served_app`)
in-process through httpx's ASGI transport: JSON in and out, GraphQL parsing, validation and execution,
per-item results, one managed write transaction per call with its change log, clock and audit entry.

Floor: the same data written through the driver with one plain `UNWIND ... MERGE` per batch in a managed
write transaction: MERGE the interaction by its key, SET its fields, MERGE its BY to the team member and
its MET to everyone met (found by their external ids). Like the service it sends `at` as epoch
milliseconds (the driver's encoding of a datetime costs more than the rest of a row). It computes no status, logs no change and ticks
no clock, so it is a floor, not an equivalent. The service logs every change (one `Change` node per
interaction created, linked to everyone met): "floor+log" is the fresh floor with that log written by a
second raw `UNWIND ... CREATE` in the same transaction, rows prepared beforehand (informative: the log is
part of the work, not overhead).

Both workspaces hold the same account, people and team (written by plain Cypher). Each side is measured
on a fresh load (nothing stored) and on a replay of the same batches (everything UNCHANGED; the floor's
replay still sets every property). Queries are warmed up first on the very workspaces measured (see
`bench/sync_bench.py` for why). Prints interactions/s, the batches' wall and CPU time (as
`bench/sync_bench.py` does) and the API/floor ratio. The machine is often
shared: smoke-run it small (`--interactions 2000 --rounds 1`); measure on a quiet machine.

    .venv/bin/python bench/interactions_bench.py                    # starts its own local Neo4j
    .venv/bin/python bench/interactions_bench.py --interactions 2000 --rounds 1 --warm-ups 1
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/interactions_bench.py   # an existing database
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

import httpx
from batch_times import Batch, rate, table, timed_batches, verdict  # beside this script
from in_process import served_in_process  # beside this script, like every benchmark's helpers
from neo4j import AsyncManagedTransaction
from powermap_devtools.local_neo4j import env_or_local_neo4j

from service.graph.database import Database
from service.rules.access import Role

SOURCE = "crm"
ACCOUNT = "bench-account"
BATCH = 1_000
PEOPLE = 500
TEAM = 20
TARGET_RATE = 5_000
TARGET_RATIO = 0.5
TYPES = ("VISIT", "PHONE", "MEETING", "EMAIL", "TECH_EXCHANGE")

UPSERT = """
mutation Upsert($input: InteractionsUpsertInput!) {
  interactionsUpsert(input: $input) {
    results { index externalId status userErrors { field message code } }
    created updated unchanged failed
    userErrors { field message code }
  }
}
"""

SETUP: LiteralString = """
MERGE (r:AccountRef {workspaceId: $ws, source: $source, externalId: $account})
MERGE (a:Account {workspaceId: $ws, id: $accountId})
  ON CREATE SET a.name = 'Benchmark account', a.createdAt = datetime(), a.updatedAt = datetime()
MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(a)
WITH a
CALL (a) {
  UNWIND range(0, $people - 1) AS n
  MERGE (r:StakeholderRef {workspaceId: $ws, source: $source, externalId: 'P' + toString(n)})
  MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(s:Stakeholder {workspaceId: $ws, id: $accountId + '-p' + toString(n)})
    ON CREATE SET s.accountId = a.id, s.name = 'Person ' + toString(n), s.stance = 'UNKNOWN', s.archived = false,
                  s.version = 1
}
CALL () {
  UNWIND range(0, $team - 1) AS n
  MERGE (r:TeamMemberRef {workspaceId: $ws, source: $source, externalId: 'T' + toString(n)})
  MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(t:TeamMember {workspaceId: $ws, id: $accountId + '-t' + toString(n)})
    ON CREATE SET t.name = 'Member ' + toString(n), t.role = 'SALES'
}
"""

CLEAR_WORKSPACE: LiteralString = """
MATCH (n {workspaceId: $ws}) WHERE NOT n:ApiKey AND NOT n:Workspace
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

CLEAR_INTERACTIONS: LiteralString = """
MATCH (n:Interaction|Change|AuditEntry {workspaceId: $ws})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

FLOOR: LiteralString = """
UNWIND $rows AS row
MERGE (i:Interaction {workspaceId: $ws, accountId: $accountId, source: $source, externalId: row.externalId})
  ON CREATE SET i.id = row.id, i.createdAt = $now
SET i += row.props, i.at = datetime({epochMillis: row.at}), i.updatedAt = $now
WITH i, row
CALL (i, row) {
  MATCH (:TeamMemberRef {workspaceId: $ws, source: $source, externalId: row.teamMember})-[:IDENTIFIES]->(t:TeamMember)
  MERGE (i)-[:BY {workspaceId: $ws}]->(t)
}
CALL (i, row) {
  UNWIND row.stakeholders AS key
  MATCH (:StakeholderRef {workspaceId: $ws, source: $source, externalId: key})-[:IDENTIFIES]->(s:Stakeholder)
  MERGE (i)-[:MET {workspaceId: $ws}]->(s)
}
"""


FLOOR_LOG: LiteralString = """
UNWIND $rows AS row
CREATE (c:Change {workspaceId: $ws, id: row.id, txId: $txId, seq: row.seq, at: $now, by: 'floor', accountId: $accountId,
                  entity: 'Interaction', entityId: row.entityId, op: 'CREATED', fields: row.fields, old: row.old,
                  new: row.new})
WITH c, row
UNWIND row.about AS key
MATCH (:StakeholderRef {workspaceId: $ws, source: $source, externalId: key})-[:IDENTIFIES]->(s:Stakeholder)
CREATE (c)-[:ABOUT {workspaceId: $ws}]->(s)
"""


def interactions(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` visits over a year, each meeting two people with one of the team, in a shuffled order."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    visits = [
        {
            "externalId": f"V{n:07d}",
            "at": (start + timedelta(minutes=37 * n)).isoformat(),
            "type": TYPES[n % len(TYPES)],
            "stakeholders": [f"P{n % PEOPLE}", f"P{(n * 7 + 3) % PEOPLE}"],
            "teamMember": f"T{n % TEAM}",
            "summary": f"Visit {n}: discussed the pilot",
            "nextStep": f"Follow up {n % 9}",
        }
        for n in range(count)
    ]
    random.Random(seed).shuffle(visits)
    return visits


def batches(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [items[i : i + BATCH] for i in range(0, len(items), BATCH)]


def floor_rows(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "externalId": v["externalId"],
            "id": uuid.uuid4().hex,
            "teamMember": v["teamMember"],
            "stakeholders": sorted(set(v["stakeholders"])),
            "at": int(datetime.fromisoformat(v["at"]).timestamp() * 1000),
            "props": {
                "type": v["type"],
                "summary": v["summary"],
                "nextStep": v["nextStep"],
            },
        }
        for v in batch
    ]


def log_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A creation's change per floor row, as the service logs it: every value, from null."""
    logged = []
    for seq, row in enumerate(rows):
        values = {
            **row["props"],
            "at": str(datetime.fromtimestamp(row["at"] / 1000, UTC)),
            "source": SOURCE,
            "externalId": row["externalId"],
            "teamMemberId": row["teamMember"],
            "stakeholderIds": row["stakeholders"],
        }
        names = sorted(values)
        logged.append(
            {
                "id": uuid.uuid4().hex,
                "seq": seq,
                "entityId": row["id"],
                "fields": names,
                "old": ["null"] * len(names),
                "new": [json.dumps(values[name], ensure_ascii=False) for name in names],
                "about": row["stakeholders"],
            }
        )
    return logged


async def floor_batch(
    tx: AsyncManagedTransaction, ws: str, account_id: str, rows: list[dict[str, Any]], log: list[dict[str, Any]] | None
) -> None:
    now = datetime.now(UTC)
    result = await tx.run(FLOOR, ws=ws, source=SOURCE, accountId=account_id, rows=rows, now=now)
    await result.consume()
    if log is not None:
        params = {"ws": ws, "source": SOURCE, "accountId": account_id, "rows": log, "now": now}
        result = await tx.run(FLOOR_LOG, params, txId=uuid.uuid4().hex)
        await result.consume()


class Api:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def upsert(self, batch: list[dict[str, Any]]) -> dict[str, Any]:
        variables = {"input": {"source": SOURCE, "account": ACCOUNT, "interactions": batch}}
        response = await self.http.post("/graphql", json={"query": UPSERT, "variables": variables})
        response.raise_for_status()
        data = response.json()
        if data.get("errors"):
            raise RuntimeError(data["errors"])
        payload: dict[str, Any] = data["data"]["interactionsUpsert"]
        if payload["userErrors"] or payload["failed"]:
            raise RuntimeError(payload["userErrors"] or payload["results"][:3])
        return payload


async def run_query(db: Database, query: LiteralString, **params: Any) -> None:
    async with db.driver.session(database=db.database) as session:
        result = await session.run(query, params)
        await result.consume()


async def prepare(db: Database, ws: str) -> str:
    """The workspace emptied, then its account, people and team."""
    account_id = f"{ws}-account"
    await run_query(db, CLEAR_WORKSPACE, ws=ws)
    await run_query(db, SETUP, ws=ws, source=SOURCE, account=ACCOUNT, accountId=account_id, people=PEOPLE, team=TEAM)
    return account_id


async def timed_api(api: Api, work: list[list[dict[str, Any]]], expect: str | None) -> tuple[float, list[Batch]]:
    async def upsert(batch: list[dict[str, Any]]) -> None:
        payload = await api.upsert(batch)
        if expect is not None and payload[expect] != len(batch):
            raise RuntimeError(f"expected every interaction {expect}, got {payload}")

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


async def measure(
    api: Api, db: Database, work: list[list[dict[str, Any]]], count: int, rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[Batch]]]:
    keys = ("api fresh", "api replay", "floor fresh", "floor replay", "floor+log fresh")
    figures: dict[str, list[float]] = {key: [] for key in keys}
    per_batch: dict[str, list[Batch]] = {key: [] for key in figures}
    for round_ in range(rounds):
        for side in ("api", "floor") if round_ % 2 == 0 else ("floor", "api"):  # neither always goes first
            account_id = await prepare(db, f"bench-{side}")
            for load, expect in (("fresh", "created"), ("replay", "unchanged")):
                key = f"{side} {load}"
                if side == "api":
                    seconds, times = await timed_api(api, work, expect)
                else:
                    seconds, times = await timed_floor(db, "bench-floor", account_id, work)
                figures[key].append(rate(count, seconds))
                per_batch[key] += times
            await run_query(db, CLEAR_INTERACTIONS, ws=f"bench-{side}")
            if side == "floor":
                seconds, times = await timed_floor(db, "bench-floor", account_id, work, log=True)
                figures["floor+log fresh"].append(rate(count, seconds))
                per_batch["floor+log fresh"] += times
                await run_query(db, CLEAR_INTERACTIONS, ws="bench-floor")
    return figures, per_batch


def report(figures: dict[str, list[float]], per_batch: dict[str, list[Batch]], count: int, rounds: int) -> bool:
    print(f"{count:,} interactions in batches of {BATCH:,}; {rounds} round(s); median of rounds")
    print("\n".join(table("interactions", figures, per_batch)))
    lines, ok = verdict("interactions", (TARGET_RATE, TARGET_RATIO), figures, per_batch)
    print("\n".join(lines))
    return ok


async def run(uri: str, user: str, password: str, count: int, rounds: int, warm_ups: int) -> bool:
    work = batches(interactions(count))
    async with served_in_process(uri, user, password, "bench-api") as served:
        db: Database = served.services.db
        async with served.client(Role.INTEGRATION, "interactions bench") as http:
            api = Api(http)
            # warm-up on the measured workspaces: plan every query and let the JVM compile the hot paths
            for seed in range(1, warm_ups + 1):
                warm = batches(interactions(count, seed=seed))
                await measure(api, db, warm, count, 1)
            figures, per_batch = await measure(api, db, work, count, rounds)
            await run_query(db, CLEAR_WORKSPACE, ws="bench-api")
            await run_query(db, CLEAR_WORKSPACE, ws="bench-floor")
    return report(figures, per_batch, count, rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interactions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--warm-ups", type=int, default=2)
    args = parser.parse_args()
    with env_or_local_neo4j(heap="2g", pagecache="512m") as (uri, user, password):
        ok = asyncio.run(run(uri, user, password, args.interactions, args.rounds, args.warm_ups))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
