"""Analytics benchmark: server-side time of each analytic, and of all in one request, against the floor.

The floor is one raw Cypher round trip through the driver that returns the same account's stakeholders
and links. Server-side time is `schema.execute` in-process with a fresh context (fresh DataLoaders).
Three modes, as in production:
- warm (default): the snapshot and what was computed from it stay cached between runs, as they do
  between writes (the same questions asked again);
- `--recompute`: the snapshot stays cached, but everything computed from it is dropped before every
  run (a question not asked since the last write);
- `--cold`: the account's clock ticks before every run, so each request reloads the snapshot (the first
  question after a write).
The floor is timed in turns with each analytic, so that a ratio compares figures taken under the same
conditions. Prints p50/p95 in milliseconds, the floor's p50 beside it, the ratio of the two p50s, and the
p50s of the request's CPU time and of the garbage collector's part of it (both stay put on a loaded machine).
The queries give no `first`: every list returns its default number of rows (20; coachCandidates 10,
accessPaths 3), as a client gets them, and supporterConsolidation also asks for both counts.

    .venv/bin/python bench/analytics_bench.py                 # 1,000/10,000 and 5,000/50,000
    .venv/bin/python bench/analytics_bench.py --sizes 1000 --runs 31
    .venv/bin/python bench/analytics_bench.py --recompute     # cached snapshot, answers computed afresh
    .venv/bin/python bench/analytics_bench.py --cold          # every request reloads its snapshot
    .venv/bin/python bench/analytics_bench.py --modes warm recompute cold   # all three, one account build
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/analytics_bench.py   # an existing database
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from powermap_devtools.local_neo4j import LocalNeo4j, free_port

from service.graph.database import Database, Scope, Write
from service.graph.driver import create_driver
from service.graph.migrations import apply_migrations
from service.rules.access import Principal, Role
from service.schema import schema
from service.schema.context import Context
from service.schema.ids import encode_id
from service.usecases.services import Services

WORKSPACE = "bench"
LINKS_PER_PERSON = 10
# A large customer as account teams map it: three decision makers, a few approvers, a tenth of the
# people on our side, most neutral or not yet known.
DECISION_MAKERS = 3
STANCES = {"ENEMY": 3, "OPPONENT": 7, "NEUTRAL": 45, "UNKNOWN": 30, "SUPPORTER": 12, "MENTOR": 3}
ROLES = {"APPROVER": 2, "RECOMMENDER": 10, "USER": 20, "": 68}
TYPES = {"ECONOMIC": 1, "TECHNICAL": 5, "USER": 15, "FINANCIAL": 2, "COACH": 2, "INFLUENCER": 3, "": 72}


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


CREATE_PEOPLE = """
UNWIND $rows AS row
CREATE (:Stakeholder {workspaceId: $ws, id: row.id, accountId: $accountId, name: row.name, stance: row.stance,
                      influence: row.influence, buyingRoles: row.roles, buyerTypes: row.types, archived: false,
                      version: 1, createdAt: datetime(), updatedAt: datetime()})
"""
CREATE_LINKS = """
UNWIND $rows AS row
MATCH (a:Stakeholder {workspaceId: $ws, id: row.a}), (b:Stakeholder {workspaceId: $ws, id: row.b})
CREATE (a)-[:INFLUENCES {workspaceId: $ws, id: row.id, strength: row.strength}]->(b)
"""
CREATE_TIES = """
UNWIND $rows AS row
MATCH (a:Stakeholder {workspaceId: $ws, id: row.a}), (b:Stakeholder {workspaceId: $ws, id: row.b})
CREATE (a)-[:TIE {workspaceId: $ws, id: row.id, kind: row.kind, strength: row.strength}]->(b)
"""
CREATE_CIRCLES = """
UNWIND $rows AS row
CREATE (c:Circle {workspaceId: $ws, id: row.id, accountId: $accountId, name: row.name})
WITH c, row UNWIND row.members AS member
MATCH (s:Stakeholder {workspaceId: $ws, id: member.id})
CREATE (s)-[:MEMBER_OF {workspaceId: $ws, core: member.core}]->(c)
"""
CREATE_TEAM = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
UNWIND $rows AS row
CREATE (t:TeamMember {workspaceId: $ws, id: row.id, name: row.name, role: 'SALES'})-[:ASSIGNED_TO {workspaceId: $ws}]->(a)
WITH t, row UNWIND row.covers AS covered
MATCH (s:Stakeholder {workspaceId: $ws, id: covered})
CREATE (t)-[:COVERS {workspaceId: $ws, relationshipStep: row.step}]->(s)
"""
FLOOR = """
MATCH (s:Stakeholder {workspaceId: $ws, accountId: $accountId})
WITH collect(s {.id, .name, .stance, .influence, .buyingRoles, .buyerTypes}) AS people
MATCH (a:Stakeholder {workspaceId: $ws, accountId: $accountId})-[r:INFLUENCES]->(b:Stakeholder)
RETURN people, collect([r.id, a.id, b.id, r.strength]) AS links
"""


async def build_account(db: Database, people: int, seed: int = 7) -> tuple[str, str]:
    """A synthetic account of `people` stakeholders and `people * 10` influence links."""
    rng = random.Random(seed)
    account_id = f"bench-{people}"
    driver = db.driver
    await driver.execute_query(  # with a clock, as a write through the service leaves it: cacheable
        "CREATE (:Account {workspaceId: $ws, id: $id, name: $id, clock: randomUUID()})", ws=WORKSPACE, id=account_id
    )
    ids = [f"{account_id}-p{i}" for i in range(people)]
    rows = [
        {
            "id": p,
            "name": f"P{i:05d}",
            "stance": pick(rng, STANCES),
            "influence": rng.randint(1, 5),
            "roles": ["DECISION_MAKER"] if i < DECISION_MAKERS else [r for r in [pick(rng, ROLES)] if r],
            "types": [t for t in [pick(rng, TYPES)] if t],
        }
        for i, p in enumerate(ids)
    ]
    params: dict[str, Any] = {"ws": WORKSPACE, "accountId": account_id}
    for start in range(0, people, 5_000):
        await driver.execute_query(CREATE_PEOPLE, rows=rows[start : start + 5_000], **params)
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < people * LINKS_PER_PERSON:
        a, b = rng.sample(ids, 2)
        pairs.add((a, b))
    links = [
        {"id": f"{account_id}-l{n}", "a": a, "b": b, "strength": rng.randint(1, 5)}
        for n, (a, b) in enumerate(sorted(pairs))
    ]
    for start in range(0, len(links), 10_000):
        await driver.execute_query(CREATE_LINKS, rows=links[start : start + 10_000], **params)
    ties = [
        {
            "id": f"{account_id}-t{n}",
            "a": a,
            "b": b,
            "kind": rng.choice(["KNOWS", "ALLY", "RIVAL"]),
            "strength": rng.randint(1, 5),
        }
        for n, (a, b) in enumerate(sorted({tuple(sorted(rng.sample(ids, 2))) for _ in range(people * 2)}))
    ]
    await driver.execute_query(CREATE_TIES, rows=ties, **params)
    circles = [
        {
            "id": f"{account_id}-c{c}",
            "name": f"Circle {c}",
            "members": [{"id": p, "core": k < 3} for k, p in enumerate(rng.sample(ids, max(people // 20, 3)))],
        }
        for c in range(10)
    ]
    await driver.execute_query(CREATE_CIRCLES, rows=circles, **params)
    team = [
        {
            "id": f"{account_id}-t{t}",
            "name": f"Rep {t}",
            "step": rng.randint(1, 5),
            "covers": rng.sample(ids, people // 50),
        }
        for t in range(10)
    ]
    await driver.execute_query(CREATE_TEAM, rows=team, **params)
    target = encode_id("Stakeholder", ids[0])
    return encode_id("Account", account_id), target


def analytic_queries(target: str) -> dict[str, str]:
    fields = {
        "influencers": "influencers { strength hops influencer { id } target { id } }",
        "neutralsToConvert": "neutralsToConvert { leverage converterStrength reason stakeholder { id } }",
        "opponentsToNeutralize": "opponentsToNeutralize { leverage converterStrength reason stakeholder { id } }",
        "supporterConsolidation": "supporterConsolidation { unlinkedPairs { a { id } b { id } } unlinkedPairCount "
        "isolatedSupporters { id } isolatedSupporterCount }",
        "coverageGaps": "coverageGaps { kind severity reason }",
        "coachCandidates": "coachCandidates { qualified breadth circlesReached leverage stakeholder { id } }",
        "powerMap": "powerMap { circles { members coreMembers influenceTotal stanceBalance } unaffiliated { id } }",
        "supportScore": "supportScore",
        "accessPaths": f'accessPaths(to: "{target}") {{ strength path {{ id }} }}',
        "simulate": f'simulate(changes: [{{stakeholder: "{target}", stance: SUPPORTER}}]) {{ supportScoreBefore supportScoreAfter }}',
    }
    queries = {name: f"query($id: ID!) {{ account(id: $id) {{ {body} }} }}" for name, body in fields.items()}
    queries["all in one request"] = "query($id: ID!) { account(id: $id) { " + " ".join(fields.values()) + " } }"
    return queries


async def paired(
    runs: int,
    call: Callable[[], Awaitable[Any]],
    floor: Callable[[], Awaitable[Any]],
    before: Callable[[], Awaitable[Any]] | None = None,
) -> tuple[list[float], list[float]]:
    """`runs` timings of `call` and of `floor`, taken in turns: the database's own pace drifts (JIT,
    garbage collection), so each ratio compares two figures taken under the same conditions."""
    await floor()
    await call()  # warm the plan cache and the code paths
    calls, floors = [], []
    for _ in range(runs):
        floors.append(await _timed(floor))
        if before is not None:
            await before()
        calls.append(await _timed(call))
    return calls, floors


async def _timed(call: Callable[[], Awaitable[Any]]) -> float:
    began = time.perf_counter()
    await call()
    return (time.perf_counter() - began) * 1000


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


MODES = {
    "warm": "warm: snapshot and answers cached between writes",
    "recompute": "recompute: snapshot cached, answers computed afresh",
    "cold": "cold: every request reloads the snapshot",
}


async def bench_size(services: Services, people: int, runs: int, modes: list[str]) -> None:
    db = services.db
    account, target = await build_account(db, people)
    principal = Principal(WORKSPACE, Role.ADMIN, "bench")
    account_id = f"bench-{people}"

    async def floor() -> None:
        await db.driver.execute_query(FLOOR, ws=WORKSPACE, accountId=account_id, database_=db.database)

    async def tick() -> None:
        await db.write(Scope(WORKSPACE, "bench"), touch, account_id)

    async def forget_answers() -> None:
        snapshot = await db.read(services.snapshots.load, WORKSPACE, account_id)  # the cached one
        snapshot.memo.clear()

    clock = CpuClock()
    for mode in modes:
        print(f"\n{people:,} stakeholders, {people * LINKS_PER_PERSON:,} links ({runs} runs each, {MODES[mode]})")
        print(f"  {'':<24} {'p50 ms':>8} {'p95 ms':>8} {'floor p50':>10} {'ratio':>7} {'cpu p50':>8} {'gc p50':>7}")
        before = {"warm": None, "recompute": forget_answers, "cold": tick}[mode]
        for name, query in analytic_queries(target).items():
            cpu: list[float] = []
            collecting: list[float] = []

            async def execute(query: str = query, cpu: list[float] = cpu, collecting: list[float] = collecting) -> None:
                with clock.measure(cpu, collecting):
                    result = await schema.execute(query, {"id": account}, context_value=Context(services, principal))
                if result.errors:
                    raise RuntimeError(result.errors)

            samples, floors = await paired(runs, execute, floor, before)
            p50, floor_p50 = statistics.median(samples), statistics.median(floors)
            cpu_p50, gc_p50 = statistics.median(cpu[-runs:]), statistics.median(collecting[-runs:])
            print(
                f"  {name:<24} {p50:8.1f} {p(samples, 0.95):8.1f} {floor_p50:10.1f} {p50 / floor_p50:6.2f}x"
                f" {cpu_p50:8.1f} {gc_p50:7.1f}"
            )


class CpuClock:
    """This thread's CPU time in a request, and the part of it the garbage collector took (`gc.callbacks`):
    unlike wall time, neither grows when other processes load the machine."""

    def __init__(self) -> None:
        self.collecting = 0.0
        self._started: float | None = None
        gc.callbacks.append(self._on_collection)

    def _on_collection(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.thread_time()
        elif self._started is not None:
            self.collecting += time.thread_time() - self._started
            self._started = None

    @contextmanager
    def measure(self, cpu: list[float], collecting: list[float]) -> Iterator[None]:
        began, collected = time.thread_time(), self.collecting
        yield
        cpu.append((time.thread_time() - began) * 1000)
        collecting.append((self.collecting - collected) * 1000)


@contextmanager
def database_uri() -> Iterator[str]:
    if uri := os.environ.get("NEO4J_URI"):
        yield uri
        return
    with LocalNeo4j(port=free_port()) as server:
        print(f"local Neo4j started in {server.started_in_seconds:.1f} s")
        os.environ.update(NEO4J_USER=server.user, NEO4J_PASSWORD=server.password)  # for create_driver below
        yield server.uri


async def touch(write: Write, account_id: str) -> None:
    """A write transaction that changes nothing but the account's clock."""
    write.touch(account_id)


async def main(sizes: list[int], runs: int, modes: list[str]) -> None:
    with database_uri() as uri:
        driver = create_driver(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        services = Services(Database(driver, "neo4j"))
        try:
            await apply_migrations(driver, "neo4j")
            await driver.execute_query("MATCH (n {workspaceId: $ws}) DETACH DELETE n", ws=WORKSPACE)
            for people in sizes:
                await bench_size(services, people, runs, modes)
        finally:
            await driver.execute_query("MATCH (n {workspaceId: $ws}) DETACH DELETE n", ws=WORKSPACE)
            await services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--modes", nargs="+", choices=list(MODES), default=["warm"], help="; ".join(MODES.values()))
    parser.add_argument("--recompute", action="store_true", help="the same as --modes recompute")
    parser.add_argument("--cold", action="store_true", help="the same as --modes cold")
    args = parser.parse_args()
    chosen = ["recompute"] if args.recompute else ["cold"] if args.cold else args.modes
    asyncio.run(main(args.sizes, args.runs, chosen))
