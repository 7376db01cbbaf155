"""Write probe: one `stakeholderUpdate` at a time, in-process, against a raw write floor; where a write's time goes.

API: `stakeholderUpdate` of a person's notes (each request the next person and a new text, so every one
changes something), posted to the real app (`served_app`, as `powermap serve` builds it) through httpx's
ASGI transport, one after another (concurrency 1). Measured per request: wall ms, CPU ms of this process
(`time.process_time`: the app, the driver and the client, not Neo4j) and Cypher round trips
(`service.graph.driver.QUERIES`, the count of queries the app ran; a commit is not counted).

Floor: the same change as one auto-commit `MATCH ... SET` through the driver, no HTTP, no GraphQL, no log:
what a write costs at the least. Prints both and the requests/s ratio API/floor.

    .venv/bin/python bench/write_bench.py                     # starts its own local Neo4j
    .venv/bin/python bench/write_bench.py --writes 2000
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/write_bench.py   # an existing database
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from in_process import served_in_process  # beside this script, like every benchmark's helpers
from powermap_devtools.local_neo4j import env_or_local_neo4j

from service.graph.driver import QUERIES
from service.rules.access import Role
from service.schema.ids import raw_id_of

PEOPLE = 20
WARM_UP = 50

IMPORT = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) { account { id stakeholders(first: 100) { nodes { id } } } userErrors { code } }
}
"""

UPDATE = """
mutation StakeholderUpdate($input: StakeholderUpdateInput!) {
  stakeholderUpdate(input: $input) { stakeholder { id version notes } userErrors { field code message } }
}
"""

FLOOR = "MATCH (s:Stakeholder {workspaceId: $ws, id: $id}) SET s.notes = $notes"


@dataclass
class Figures:
    writes: int
    wall: float
    cpu: float
    queries: int

    def line(self, name: str) -> str:
        per = 1000 / self.writes
        rate = self.writes / self.wall
        queries = f"{self.queries / self.writes:5.2f} queries/write" if self.queries else ""
        return (
            f"{name:18} {rate:8.0f} writes/s  {self.wall * per:6.2f} ms wall  {self.cpu * per:6.2f} ms CPU  {queries}"
        )


async def measure(writes: int, write: Callable[[int], Awaitable[None]]) -> Figures:
    queries = QUERIES.count
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(writes):
        await write(n)
    return Figures(writes, time.perf_counter() - wall, time.process_time() - cpu, QUERIES.count - queries)


async def run(uri: str, user: str, password: str, writes: int) -> None:
    ws = f"bench-write-{uuid.uuid4().hex[:8]}"
    async with served_in_process(uri, user, password, ws) as served, served.client(Role.ADMIN, "write bench") as http:
        document = {
            "source": "bench",
            "account": {"externalId": "acc", "name": "Write bench"},
            "stakeholders": [{"externalId": f"p{i}", "name": f"Person {i}"} for i in range(PEOPLE)],
        }
        answer = (await http.post("/graphql", json={"query": IMPORT, "variables": {"input": document}})).json()
        people = [p["id"] for p in answer["data"]["accountGraphImport"]["account"]["stakeholders"]["nodes"]]

        async def api(n: int) -> None:
            variables = {"input": {"id": people[n % PEOPLE], "notes": f"note {n} of {ws}"}}
            body = (await http.post("/graphql", json={"query": UPDATE, "variables": variables})).json()
            assert body["data"]["stakeholderUpdate"]["userErrors"] == [], body

        driver = served.services.db.driver
        internal = [raw_id_of(person, "Stakeholder") for person in people]

        async def floor(n: int) -> None:
            await driver.execute_query(FLOOR, ws=ws, id=internal[n % PEOPLE], notes=f"floor {n}")

        await measure(WARM_UP, api)
        await measure(WARM_UP, floor)
        api_figures = await measure(writes, api)
        floor_figures = await measure(writes, floor)
    print(api_figures.line("stakeholderUpdate"))
    print(floor_figures.line("floor (raw SET)"))
    print(f"API/floor requests/s: {floor_figures.wall / api_figures.wall:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=500)
    args = parser.parse_args()
    with env_or_local_neo4j() as (uri, user, password):
        asyncio.run(run(uri, user, password, args.writes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
