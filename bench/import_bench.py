"""Import benchmark: whole accounts up to the documented cap, under the local server's default memory.

For each size (1,000, 5,000 and 10,000 people, about ten links each: six influences and four ties, plus
circles, a team of 20, coverage of every other person and a visit for every fifth), in a fresh workspace:

- import: `accountGraphImport` (MERGE) of the new account;
- re-import: the same document again (everything unchanged: nothing written);
- replace: a REPLACE with changes (a tenth retitled, one in twenty dropped with their links, a tenth of
  the influences swapped, a circle dropped);
- sync (largest size only): 10,000 contacts through `stakeholdersUpsert` in calls of 1,000.

Each goes through the API's code path in-process (GraphQL parsing and validation, the use case, the
payload), as `powermap import` does. Printed per operation: seconds, the transactions it ran, the peak
number of transactions open at once and the peak memory any one of them used (sampled every 50 ms from
`SHOW TRANSACTIONS`; in brackets the peak of those caught writing the change log), and the database's
peak heap use (JMX). The local server runs with its defaults:
1 GB heap, Neo4j's own per-transaction limits.

    .venv/bin/python bench/import_bench.py                     # starts its own local Neo4j
    .venv/bin/python bench/import_bench.py --sizes 1000 5000
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/import_bench.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.local_neo4j import LocalNeo4j, free_port

from service.graph.database import Database
from service.graph.driver import create_driver
from service.graph.migrations import apply_migrations
from service.rules.access import Principal, Role
from service.rules.contacts import Contact
from service.rules.imports import BATCH_ROWS, ImportProgress
from service.schema.operations import IMPORT_MUTATION, execute_operation
from service.usecases.contacts import upsert_contacts_batch
from service.usecases.services import Services
from tests.import_factory import SOURCE, account_document, changed_document

SHOW_TRANSACTIONS = "SHOW TRANSACTIONS YIELD transactionId, estimatedUsedHeapMemory, currentQuery RETURN *"
CHANGE_LOG_QUERY = "CREATE (c:Change"
HEAP = (
    "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
    "RETURN attributes.HeapMemoryUsage.value.properties.used AS used"
)


@dataclass
class Peaks:
    open_transactions: int = 0
    transaction_bytes: int = 0
    heap_bytes: int = 0
    change_log_bytes: int = 0
    """The peak of transactions caught writing the change log (a batch of `Change` nodes)."""


async def sample(db: Database, peaks: Peaks, stop: asyncio.Event) -> None:
    """Peak concurrent transactions (less this sampler's own), per-transaction memory and heap."""
    while not stop.is_set():
        records, _, _ = await db.driver.execute_query(SHOW_TRANSACTIONS)
        others = [r for r in records if r["estimatedUsedHeapMemory"] is not None]
        peaks.open_transactions = max(peaks.open_transactions, len(others) - 1)
        peaks.transaction_bytes = max([peaks.transaction_bytes, *(r["estimatedUsedHeapMemory"] for r in others)])
        logging = [r["estimatedUsedHeapMemory"] for r in others if CHANGE_LOG_QUERY in (r["currentQuery"] or "")]
        peaks.change_log_bytes = max([peaks.change_log_bytes, *logging])
        heap, _, _ = await db.driver.execute_query(HEAP)
        peaks.heap_bytes = max(peaks.heap_bytes, heap[0]["used"] or 0)
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.05)


class Counter:
    def __init__(self) -> None:
        self.batches = 0

    def __call__(self, progress: ImportProgress) -> None:
        if progress.phase in ("writing", "rolling back"):
            self.batches += 1


async def measure(services: Services, label: str, run: Awaitable[str]) -> None:
    peaks, stop, counter = Peaks(), asyncio.Event(), Counter()
    services.import_listeners.append(counter)
    sampler = asyncio.create_task(sample(services.db, peaks, stop))
    started = time.perf_counter()
    try:
        outcome = await run
    finally:
        seconds = time.perf_counter() - started
        stop.set()
        await sampler
        services.import_listeners.remove(counter)
    print(
        f"  {label:<28} {seconds:7.1f} s  {counter.batches:4d} batches  "
        f"{peaks.open_transactions:2d} open at once  {peaks.transaction_bytes / 2**20:7.1f} MB/tx peak  "
        f"(change log {peaks.change_log_bytes / 2**20:5.1f})  heap {peaks.heap_bytes / 2**20:6.0f} MB peak  {outcome}",
        flush=True,
    )


async def run_import(services: Services, principal: Principal, document: dict[str, Any]) -> str:
    data = (await execute_operation(services, principal, IMPORT_MUTATION, document))["accountGraphImport"]
    if data["userErrors"]:
        raise RuntimeError(data["userErrors"][:3])
    names = ("created", "updated", "unchanged", "archived", "removed")
    return " ".join(f"{name} {data[name]}" for name in names if data[name])


async def run_sync(services: Services, principal: Principal, key: str, people: int) -> str:
    totals: dict[str, int] = {}
    for start in range(0, people, 1_000):
        contacts = [
            Contact(f"{key}-P{n:05d}", f"Person {n}", {"title": f"Synced title {n % 7}", "phone": f"+86 {n:07d}"})
            for n in range(start, min(start + 1_000, people))
        ]
        summary = await upsert_contacts_batch(services, principal, SOURCE, key, contacts)
        if summary.problems:
            raise RuntimeError(summary.problems)
        for outcome in summary.outcomes:
            totals[outcome.status.value] = totals.get(outcome.status.value, 0) + 1
    return " ".join(f"{name.lower()} {count}" for name, count in sorted(totals.items()))


async def bench(uri: str, sizes: list[int]) -> None:
    driver = create_driver(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    await apply_migrations(driver, "neo4j")
    services = Services(Database(driver, "neo4j"))
    print(f"batches of {BATCH_ROWS:,} rows; sizes {sizes}", flush=True)
    try:
        for people in sizes:
            principal = Principal(workspace_id=f"bench-{uuid.uuid4().hex[:8]}", role=Role.ADMIN, id="bench")
            document = account_document(people, key=f"BIG-{people}")
            data = document["input"]
            links = len(data["influences"]) + len(data["ties"])
            print(
                f"{people:,} people, {links:,} links, {len(data['coverage']):,} coverage, "
                f"{len(data['interactions']):,} visits",
                flush=True,
            )
            await measure(services, "import (MERGE)", run_import(services, principal, document))
            await measure(services, "re-import (unchanged)", run_import(services, principal, document))
            replaced = changed_document(document)
            await measure(services, "replace with changes", run_import(services, principal, replaced))
            if people == max(sizes):
                key = data["account"]["externalId"]
                await measure(services, f"sync {people:,} contacts", run_sync(services, principal, key, people))
    finally:
        await services.close()


@contextmanager
def database() -> Iterator[str]:
    if uri := os.environ.get("NEO4J_URI"):
        yield uri
        return
    server = LocalNeo4j(port=free_port()).start()
    try:
        yield server.uri
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 10_000])
    args = parser.parse_args()
    with database() as uri:
        asyncio.run(bench(uri, args.sizes))


if __name__ == "__main__":
    main()
