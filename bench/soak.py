"""Soak: the service under a steady mixed load for a while, on loopback; errors, latency, memory.

Starts the service as an operator would (`python -m service serve`, its own process; a local Neo4j
unless NEO4J_URI is set), loads a few accounts through the API, then runs `--concurrency` clients for
`--minutes`: reads (pages, a person with history), analytics (influencers, conversion, gaps,
consolidation, power map) and writes (stakeholder edits, influence links, visits, contact syncs) in
fixed proportions. Every error counts: an HTTP status other than 200, a GraphQL error, a user error.
Prints each operation's count, errors and p50/p95/p99 in milliseconds, and the service's resident
memory sampled every 10 s (the first fifth of the run is warm-up). Exits 1 on any error.

    .venv/bin/python bench/soak.py                  # 10 minutes, 16 clients
    .venv/bin/python bench/soak.py --minutes 1      # a short one
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/soak.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from powermap_devtools.local_neo4j import LocalNeo4j, free_port  # noqa: E402

from tests.service_process import ServiceProcess, start_service, stop_service  # noqa: E402

ACCOUNTS = 6
PEOPLE = 400
STANCES = ["ENEMY", "OPPONENT", "NEUTRAL", "NEUTRAL", "UNKNOWN", "SUPPORTER", "SUPPORTER", "MENTOR"]

IMPORT = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) { account { id } userErrors { field code } }
}
"""
PEOPLE_PAGE = """
query People($id: ID!, $after: String) { account(id: $id) { name
  stakeholders(first: 50, after: $after) { totalCount pageInfo { endCursor } nodes { id name stance influence version } } } }
"""
PERSON = """
query Person($id: ID!) { stakeholder(id: $id) { name title stance notes
  influences { strength to { name } } history(first: 5) { field } } }
"""
ACCOUNTS_PAGE = "query Accounts { accounts(first: 20) { totalCount nodes { id name } } }"
ANALYTICS = {
    "influencers": "query Influencers($id: ID!) { account(id: $id) { influencers { strength hops influencer { name } } } }",
    "neutralsToConvert": "query Neutrals($id: ID!) { account(id: $id) { neutralsToConvert { leverage reason stakeholder { name } } } }",
    "coverageGaps": "query Gaps($id: ID!) { account(id: $id) { coverageGaps { kind severity reason suggestion } } }",
    "supporterConsolidation": "query Consolidation($id: ID!) { account(id: $id) { supporterConsolidation { isolatedSupporters { name } } } }",
    "powerMap": "query PowerMap($id: ID!) { account(id: $id) { supportScore powerMap { circles { members stanceBalance } } } }",
}
UPDATE = """
mutation Update($input: StakeholderUpdateInput!) { stakeholderUpdate(input: $input) { stakeholder { version } userErrors { field code } } }
"""
LINK = """
mutation Link($input: InfluenceLinkSetInput!) { influenceLinkSet(input: $input) { influenceLink { strength } userErrors { field code } } }
"""
VISIT = """
mutation Visit($input: InteractionRecordInput!) { interactionRecord(input: $input) { interaction { id } userErrors { field code } } }
"""
SYNC = """
mutation Sync($input: StakeholdersUpsertInput!) { stakeholdersUpsert(input: $input) { failed userErrors { field code } } }
"""
WEIGHTS = {
    "peoplePage": 20,
    "person": 15,
    "accounts": 5,
    **dict.fromkeys(ANALYTICS, 6),
    "stakeholderUpdate": 10,
    "influenceLinkSet": 8,
    "interactionRecord": 5,
    "stakeholdersUpsert": 2,
}


def document(number: int, rng: random.Random) -> dict[str, Any]:
    key = f"soak-{number}"
    people = [
        {
            "externalId": f"{key}-p{i}",
            "name": f"Person {number}-{i}",
            "title": "Director" if i < 10 else "Engineer",
            "stance": rng.choice(STANCES),
            "influence": rng.randint(1, 5),
            "buyingRoles": ["DECISION_MAKER"] if i < 2 else [],
            "reportsTo": f"{key}-p{i // 8}" if i else None,
        }
        for i in range(PEOPLE)
    ]
    pairs = {(rng.randrange(PEOPLE), rng.randrange(PEOPLE)) for _ in range(PEOPLE * 3)}
    influences = [
        {"from": f"{key}-p{a}", "to": f"{key}-p{b}", "strength": rng.randint(1, 5)} for a, b in sorted(pairs) if a != b
    ]
    circles = [
        {
            "key": f"c{c}",
            "name": f"Circle {c}",
            "members": [{"stakeholder": f"{key}-p{i}", "core": i % 20 == 0} for i in range(c, PEOPLE, 20)],
        }
        for c in range(4)
    ]
    team = [{"externalId": f"{key}-t{t}", "name": f"Rep {number}-{t}", "role": "SALES"} for t in range(3)]
    covered = sorted({(t, rng.randrange(PEOPLE)) for t in range(3) for _ in range(10)})
    coverage = [{"teamMember": f"{key}-t{t}", "stakeholder": f"{key}-p{i}", "relationshipStep": 3} for t, i in covered]
    return {
        "input": {
            "source": "crm",
            "account": {"externalId": key, "name": f"Soak account {number}"},
            "stakeholders": people,
            "influences": influences,
            "circles": circles,
            "team": team,
            "coverage": coverage,
        }
    }


class Load:
    def __init__(self, http: httpx.AsyncClient, accounts: list[dict[str, Any]], seed: int) -> None:
        self.http = http
        self.accounts = accounts
        self.rng = random.Random(seed)
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    async def call(self, operation: str, query: str, variables: dict[str, Any]) -> dict[str, Any] | None:
        began = time.perf_counter()
        try:
            response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        except httpx.HTTPError as error:
            self.errors[operation].append(f"{type(error).__name__}")
            return None
        self.latency[operation].append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            self.errors[operation].append(f"HTTP {response.status_code}: {response.text[:200]}")
            return None
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            self.errors[operation].append(str(body["errors"])[:300])
            return None
        data: dict[str, Any] = body["data"]
        payload = next(iter(data.values()))
        if isinstance(payload, dict) and payload.get("userErrors"):
            self.errors[operation].append(str(payload["userErrors"])[:300])
        return data

    async def one(self) -> None:
        operation = self.rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        account = self.rng.choice(self.accounts)
        person = self.rng.choice(account["people"])
        if operation == "peoplePage":
            await self.call(operation, PEOPLE_PAGE, {"id": account["id"], "after": None})
        elif operation == "person":
            await self.call(operation, PERSON, {"id": person})
        elif operation == "accounts":
            await self.call(operation, ACCOUNTS_PAGE, {})
        elif operation in ANALYTICS:
            await self.call(operation, ANALYTICS[operation], {"id": account["id"]})
        elif operation == "stakeholderUpdate":
            notes = f"Soak note {uuid.uuid4().hex[:8]}"
            await self.call(
                operation, UPDATE, {"input": {"id": person, "notes": notes, "stance": self.rng.choice(STANCES)}}
            )
        elif operation == "influenceLinkSet":
            target = self.rng.choice(account["people"])
            if target != person:
                strength = self.rng.randint(1, 5)
                await self.call(operation, LINK, {"input": {"from": person, "to": target, "strength": strength}})
        elif operation == "interactionRecord":
            visit = {
                "account": account["id"],
                "at": "2026-11-02T10:00:00Z",
                "type": "MEETING",
                "stakeholders": [person],
            }
            await self.call(operation, VISIT, {"input": visit})
        else:
            contacts = [
                {
                    "externalId": f"{account['key']}-p{self.rng.randrange(PEOPLE)}",
                    "name": f"Synced {i}",
                    "title": "Engineer",
                }
                for i in range(50)
            ]
            unique = list({c["externalId"]: c for c in contacts}.values())
            await self.call(
                operation, SYNC, {"input": {"source": "crm", "account": account["key"], "contacts": unique}}
            )

    async def run_until(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            await self.one()


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def sample_memory(pid: int, deadline: float, samples: list[tuple[float, int]], began: float) -> None:
    while time.monotonic() < deadline:
        samples.append((time.monotonic() - began, resident_kib(pid)))
        await asyncio.sleep(10)
    samples.append((time.monotonic() - began, resident_kib(pid)))


async def setup(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    rng = random.Random(11)
    accounts = []
    for number in range(ACCOUNTS):
        response = await http.post("/graphql", json={"query": IMPORT, "variables": document(number, rng)})
        payload = response.json()["data"]["accountGraphImport"]
        assert payload["userErrors"] == [], payload
        account_id = payload["account"]["id"]
        people: list[str] = []
        after = None
        while True:
            page = (
                await http.post(
                    "/graphql", json={"query": PEOPLE_PAGE, "variables": {"id": account_id, "after": after}}
                )
            ).json()
            connection = page["data"]["account"]["stakeholders"]
            people.extend(node["id"] for node in connection["nodes"])
            after = connection["pageInfo"]["endCursor"]
            if len(people) >= connection["totalCount"]:
                break
        accounts.append({"id": account_id, "key": f"soak-{number}", "people": people})
    return accounts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(loads: list[Load], memory: list[tuple[float, int]], seconds: float, warmup: float) -> int:
    latency: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    for load in loads:
        for name, values in load.latency.items():
            latency[name].extend(values)
        for name, found in load.errors.items():
            errors[name].extend(found)
    total = sum(len(v) for v in latency.values())
    print(f"\n{total:,} requests in {seconds:.0f} s ({total / seconds:.1f}/s), {len(loads)} clients")
    print(f"{'operation':<24}{'count':>8}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for name in sorted(latency, key=lambda n: -len(latency[n])):
        values = latency[name]
        print(
            f"{name:<24}{len(values):>8}{len(errors[name]):>8}{statistics.median(values):>10.1f}"
            f"{percentile(values, 0.95):>10.1f}{percentile(values, 0.99):>10.1f}"
        )
    print("\nresident memory of the service (MiB) by minute:")
    by_minute: dict[int, int] = {}
    for at, kib in memory:
        by_minute[int(at // 60)] = kib
    print("  " + "  ".join(f"{minute}m:{kib / 1024:.0f}" for minute, kib in sorted(by_minute.items())))
    after_warmup = [kib for at, kib in memory if at >= warmup]
    if after_warmup:
        first, last, peak = after_warmup[0], after_warmup[-1], max(after_warmup)
        growth = (last - first) / first * 100
        print(
            f"after warm-up ({warmup:.0f} s): {first / 1024:.0f} MiB -> {last / 1024:.0f} MiB ({growth:+.1f}%), peak {peak / 1024:.0f} MiB"
        )
    failures = sum(len(v) for v in errors.values())
    print(f"\nerrors: {failures}")
    for name, found in errors.items():
        for message in found[:3]:
            print(f"  {name}: {message}")
    return 1 if failures else 0


async def soak(service: ServiceProcess, minutes: float, concurrency: int) -> int:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=service.base_url, timeout=120, limits=limits, headers=service.headers
    ) as http:
        print(f"loading {ACCOUNTS} accounts of {PEOPLE} people ...", flush=True)
        accounts = await setup(http)
        began = time.monotonic()
        deadline = began + minutes * 60
        loads = [Load(http, accounts, seed) for seed in range(concurrency)]
        memory: list[tuple[float, int]] = []
        print(f"soaking: {concurrency} clients for {minutes:g} min ...", flush=True)
        await asyncio.gather(
            sample_memory(service.process.pid, deadline, memory, began), *(load.run_until(deadline) for load in loads)
        )
        return report(loads, memory, time.monotonic() - began, warmup=minutes * 60 / 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="powermap-soak-")))
        uri = os.environ.get("NEO4J_URI")
        env = {
            "POWERMAP_WORKSPACE_ID": f"soak-{uuid.uuid4().hex[:8]}",
            "POWERMAP_LOG_LEVEL": "warning",
            "POWERMAP_RATE_LIMIT": "1000000/minute",  # 16 clients in a loop: far above a person's rate
        }
        if uri:
            env |= {
                "POWERMAP_NEO4J_URI": uri,
                "POWERMAP_NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j"),
                "POWERMAP_NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", ""),
            }
        else:
            server = stack.enter_context(LocalNeo4j(port=free_port(), home=folder / "neo4j"))
            env |= {
                "POWERMAP_NEO4J_URI": server.uri,
                "POWERMAP_NEO4J_USER": server.user,
                "POWERMAP_NEO4J_PASSWORD": server.password,
            }
        service = start_service(env, folder / "service.log")
        stack.callback(stop_service, service)
        code = asyncio.run(soak(service, args.minutes, args.concurrency))
        warnings = [line for line in service.log_text().splitlines() if '"level": "error"' in line]
        print(f"service log: {len(warnings)} error lines")
        for line in warnings[:5]:
            print(f"  {line[:300]}")
        return code or (1 if warnings else 0)


if __name__ == "__main__":
    sys.exit(main())
