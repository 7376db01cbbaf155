"""As-of benchmark (DOMAIN.md rule 18): reading an account's map as of a past instant against reading
it now, at 1,000 people with 10 changes per person.

The account is built by imports carrying `effectiveAt` (one a day): the first creates the people with
their influence links, each later one changes every person's stance, influence and title, so every
person has 10 logged changes (a creation and 9 updates, 30 changed values). Checkpoints are stored as the
service stores them (in the background, once due; the bench waits for them). Then, in turns:

- current: the analytics snapshot read from the store (`load_account_graph`, one round trip: what a
  request pays when the snapshot is not cached) and the support score computed on it;
- as of: the snapshot as of an instant, rebuilt from the nearest checkpoint after it (or the current
  state) and the changes recorded in between (`account_states`: three round trips), and the support score
  on it; once just after the first import, once midway, and once just after the first checkpoint (the most
  changes undone: a whole stretch between two checkpoints).

Both are cold (no snapshot cache). Prints the median of each and the ratio (target: at most 2x); then the
same with the checkpoints dropped (informative).

    .venv/bin/python bench/asof_bench.py                      # starts its own local Neo4j
    .venv/bin/python bench/asof_bench.py --people 200 --rounds 3   # a smoke run
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/asof_bench.py
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

from powermap_devtools.local_neo4j import env_or_local_neo4j

from service.graph.analytics import load_account_graph
from service.graph.as_of import account_states
from service.graph.database import Database
from service.graph.driver import create_driver
from service.graph.migrations import apply_migrations
from service.rules.access import Principal, Role
from service.rules.account_import.document import AccountDoc, AccountDocument, InfluenceDoc, StakeholderDoc
from service.rules.analytics import support_score
from service.rules.enums import BuyingRole, Stance
from service.usecases.checkpoints import start_checkpoints
from service.usecases.imports import import_account_graph
from service.usecases.services import Services

CHECKPOINTS = "MATCH (k:Checkpoint {workspaceId: $ws}) RETURN k.at AS at ORDER BY k.at"
DROP_CHECKPOINTS = "MATCH (k:Checkpoint {workspaceId: $ws}) DETACH DELETE k"
CHANGES_PER_PERSON = 10
TARGET_RATIO = 2.0
START = datetime(2025, 1, 1, tzinfo=UTC)
STANCES = list(Stance)


def document(people: int, version: int) -> AccountDocument:
    """Version 0 creates everyone and their links; each later version changes every person's stance,
    influence and title."""
    stakeholders = tuple(
        StakeholderDoc(
            external_id=f"p{i}",
            name=f"Person {i}",
            title=f"Title {version}",
            stance=STANCES[(i + version) % len(STANCES)],
            influence=1 + (i + version) % 5,
            buying_roles=(BuyingRole.DECISION_MAKER,) if i % 50 == 0 else (),
        )
        for i in range(people)
    )
    influences = tuple(InfluenceDoc(f"p{i}", f"p{(i * 7 + 1) % people}", 1 + i % 5) for i in range(people))
    return AccountDocument(
        source="bench",
        account=AccountDoc("acc", "As-of bench"),
        stakeholders=stakeholders,
        influences=influences,
        effective_at=START + timedelta(days=version),
    )


async def build(services: Services, ws: str, people: int) -> str:
    principal = Principal(ws, Role.ADMIN, "bench")
    began = time.perf_counter()
    for version in range(CHANGES_PER_PERSON):
        plan = await import_account_graph(services, principal, document(people, version))
    print(f"built {people} people x {CHANGES_PER_PERSON} changes in {time.perf_counter() - began:.1f} s")
    return plan.account_id


async def timed(work: Callable[[], Awaitable[object]]) -> float:
    began = time.perf_counter()
    await work()
    return time.perf_counter() - began


async def run(uri: str, user: str, password: str, people: int, rounds: int) -> bool:
    driver = create_driver(uri, user, password)
    await apply_migrations(driver, "neo4j")
    db = Database(driver, "neo4j")
    ws = f"bench-asof-{uuid.uuid4().hex[:8]}"
    try:
        services = Services(db)
        checkpointer = start_checkpoints(services)
        account = await build(services, ws, people)
        await checkpointer.settle()  # stored in the background as the service does, after the writes
        checkpoints, _, _ = await driver.execute_query(CHECKPOINTS, ws=ws)
        days = [str((r["at"].to_native() - START).days) for r in checkpoints]
        print(f"checkpoints stored after the imports of days: {', '.join(days) or 'none'}")
        instants = {"after the first import": START + timedelta(hours=1), "midway": START + timedelta(days=5, hours=1)}
        if checkpoints:  # just after a checkpoint, the read starts from the next one or the present: the most undone
            instants["just after the first checkpoint"] = checkpoints[0]["at"].to_native() + timedelta(hours=1)

        async def current() -> None:
            support_score(await db.read(load_account_graph, ws, account))

        def as_of(at: datetime) -> Callable[[], Awaitable[None]]:
            async def read() -> None:
                found = await db.read(account_states, ws, account, [at])
                assert found is not None
                support_score(found[0])

            return read

        async def measure() -> dict[str, float]:
            for work in (current, *(as_of(at) for at in instants.values())):
                await work()  # warm-up: query plans, caches
            figures: dict[str, list[float]] = {"current": [], **{name: [] for name in instants}}
            for _ in range(rounds):
                figures["current"].append(await timed(current))
                for name, at in instants.items():
                    figures[name].append(await timed(as_of(at)))
            return {name: statistics.median(times) for name, times in figures.items()}

        measured = await measure()
        now = measured["current"]
        print(f"current read: {now * 1000:.1f} ms (median of {rounds})")
        ok = True
        for name in instants:
            ratio = measured[name] / now
            ok &= ratio <= TARGET_RATIO
            print(f"as of {name}: {measured[name] * 1000:.1f} ms, ratio {ratio:.2f}x (target <= {TARGET_RATIO:g}x)")
        await driver.execute_query(DROP_CHECKPOINTS, ws=ws)
        without = await measure()
        print(f"without checkpoints (informative): current {without['current'] * 1000:.1f} ms", end="")
        for name in instants:
            print(f"; as of {name} {without[name] * 1000:.1f} ms ({without[name] / without['current']:.2f}x)", end="")
        print()
        return ok
    finally:
        await driver.execute_query("MATCH (n {workspaceId: $ws}) DETACH DELETE n", ws=ws)
        await db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with env_or_local_neo4j() as (uri, user, password):
        ok = asyncio.run(run(uri, user, password, args.people, args.rounds))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
