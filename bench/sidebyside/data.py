"""Putting the synthetic workspaces in place through Powermap's public API, and the ids each side uses.

Loading goes through `accountGraphImport` over HTTP, spread over the services of the workspace. A
workspace already loaded from the same documents is kept (a digest of the documents, on a node only the
benchmark reads), as loading 10,000 accounts takes minutes; `--fresh` reloads.
Raw Cypher here only wipes a stale workspace (before any service starts), keeps the fingerprint and
reads the stored ids the floor and the peer answer with.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from neo4j import Driver, GraphDatabase

from sidebyside.cpu import CpuMeter
from sidebyside.servers import Database, Server
from sidebyside.workload import MAIN_ACCOUNT, SOURCE, WorkspacePlan, documents

IMPORT = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) { account { id } created updated unchanged userErrors { field code message } }
}
"""

POWERMAP_PEOPLE = """
query People($source: String!, $externalId: String!, $after: String) {
  accountByExternalId(source: $source, id: $externalId) {
    id
    stakeholders(first: 100, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } }
  }
}
"""

STORED_PEOPLE = """
MATCH (:AccountRef {workspaceId: $ws, source: $source, externalId: $externalId})-[:IDENTIFIES]->(a:Account)
MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id})
RETURN a.id AS account, collect([s.id, s.name]) AS people
"""

FINGERPRINTS = "MATCH (m:SideBySideBenchData) RETURN m.workspaceId AS workspace, m.fingerprint AS fingerprint"
SET_FINGERPRINT = "MERGE (m:SideBySideBenchData {workspaceId: $ws}) SET m.fingerprint = $fingerprint"
WIPE = (
    "MATCH (n {workspaceId: $ws})-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
    "MATCH (n {workspaceId: $ws}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
)
"""A workspace's relationships in batches, then its nodes: a batch of nodes deleted with their relationships holds
all of those in one transaction, which the server refused for want of memory on a database where the benchmark's
writes had given each person thousands of logged changes."""


@dataclass(frozen=True)
class Ids:
    """One side's ids for the main account of a workspace: the account, and each person's id by name."""

    account: str
    people: dict[str, str]

    def names(self) -> dict[str, str]:
        return {i: name for name, i in self.people.items()}

    def person(self, suffix: str) -> str:
        """The id of the person whose name ends with `suffix` (names end with the account and index)."""
        (found,) = [i for name, i in self.people.items() if name.endswith(suffix)]
        return found


def bench_driver(db: Database) -> Driver:
    """A driver for the benchmark's own queries; the server's notifications (unknown labels on a first
    run) would only clutter the output."""
    auth = (db.user, db.password) if db.password else None
    return GraphDatabase.driver(db.uri, auth=auth, notifications_min_severity="OFF")


def fingerprint(plan: WorkspacePlan) -> str:
    """A digest of every document the plan generates (a few seconds for 10,000 accounts)."""
    digest = hashlib.sha256(repr(plan).encode())
    for doc in documents(plan):
        digest.update(repr(doc).encode())
    return digest.hexdigest()[:16]


def stale_workspaces(db: Database, plans: Sequence[WorkspacePlan], fresh: bool) -> list[WorkspacePlan]:
    """The workspaces to (re)load. Their old data is wiped here, before any service starts, and so is every
    other workspace the benchmark once loaded there: the database holds exactly what `plans` say."""
    stale = []
    with bench_driver(db) as driver:
        records, _, _ = driver.execute_query(FINGERPRINTS)
        found = {r["workspace"]: r["fingerprint"] for r in records}
        for workspace in set(found) - {plan.name for plan in plans}:
            _wipe(driver, workspace)
        for plan in plans:
            if fresh or found.get(plan.name) != fingerprint(plan):
                _wipe(driver, plan.name)
                stale.append(plan)
    return stale


def _wipe(driver: Driver, workspace: str) -> None:
    print(f"wiping workspace {workspace} ...", file=sys.stderr)
    with driver.session() as session:
        for statement in WIPE:
            session.run(statement, ws=workspace).consume()


def people_count(db: Database) -> int:
    """Stakeholders in the whole database, every workspace."""
    with bench_driver(db) as driver:
        records, _, _ = driver.execute_query("MATCH (s:Stakeholder) RETURN count(s) AS people")
    return int(records[0]["people"])


def mark_loaded(db: Database, plan: WorkspacePlan) -> None:
    with bench_driver(db) as driver:
        driver.execute_query(SET_FINGERPRINT, ws=plan.name, fingerprint=fingerprint(plan))


async def load(
    plan: WorkspacePlan,
    services: Sequence[Server],
    headers: dict[str, str],
    concurrency: int,
    database_pids: Sequence[int],
) -> None:
    """Every document of `plan` through accountGraphImport, `concurrency` at a time over `services`."""
    began = time.monotonic()
    service_cpu = CpuMeter([pid for service in services for pid in service.pids])
    database_cpu = CpuMeter(database_pids)
    docs = documents(plan)
    async with httpx.AsyncClient(timeout=300, headers=headers) as client:
        await _import(client, services[0], next(docs))  # the main account alone: the others are small
        done = 1
        pending: Iterator[dict[str, Any]] = iter(docs)

        async def worker(n: int) -> None:
            nonlocal done
            service = services[n % len(services)]
            for doc in pending:
                await _import(client, service, doc)
                done += 1
                if done % 1000 == 0:
                    print(f"  {plan.name}: {done:,} of {plan.accounts:,} accounts", file=sys.stderr)

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
    per_import = f"{service_cpu.seconds() * 1000 / plan.accounts:.0f} ms Powermap"
    if database_pids:
        per_import += f" + {database_cpu.seconds() * 1000 / plan.accounts:.0f} ms Neo4j"
    elapsed = time.monotonic() - began
    print(f"loaded {plan.name}: {plan.accounts:,} accounts in {elapsed:.0f} s ({per_import} CPU each)", file=sys.stderr)


async def _import(client: httpx.AsyncClient, service: Server, doc: dict[str, Any]) -> None:
    response = await client.post(f"{service.base_url}/graphql", json={"query": IMPORT, "variables": {"input": doc}})
    body = response.json()
    payload = (body.get("data") or {}).get("accountGraphImport")
    if response.status_code != 200 or payload is None or payload["userErrors"]:
        raise RuntimeError(f"import of {doc['account']['externalId']} failed: {response.text[:1000]}")


def powermap_ids(service: Server, headers: dict[str, str]) -> Ids:
    """Global ids of the main account and its people, through the public API."""
    people: dict[str, str] = {}
    after = None
    with httpx.Client(timeout=60, headers=headers) as client:
        while True:
            variables = {"source": SOURCE, "externalId": MAIN_ACCOUNT, "after": after}
            response = client.post(
                f"{service.base_url}/graphql", json={"query": POWERMAP_PEOPLE, "variables": variables}
            )
            account = response.json()["data"]["accountByExternalId"]
            page = account["stakeholders"]
            people |= {p["name"]: p["id"] for p in page["nodes"]}
            if not page["pageInfo"]["hasNextPage"]:
                return Ids(account["id"], people)
            after = page["pageInfo"]["endCursor"]


def stored_ids(db: Database, workspace: str) -> Ids:
    """Stored ids of the main account and its people: what the floor and the peer answer with."""
    with bench_driver(db) as driver:
        records, _, _ = driver.execute_query(STORED_PEOPLE, ws=workspace, source=SOURCE, externalId=MAIN_ACCOUNT)
    (record,) = records
    return Ids(record["account"], {name: i for i, name in record["people"]})
