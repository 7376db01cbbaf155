"""A/B of a bulk write against another revision of its graph code, interleaved in one process on one database.

The sync and interactions benchmarks run a few minutes each, and on a shared 2-core machine two runs of the same
code differ by 10% or more: too much to see a change of a few milliseconds a batch. This one swaps the graph write
function behind `stakeholdersUpsert` (`service/graph/writes/contacts.py`) or `interactionsUpsert`
(`service/graph/writes/entity_sync.py`) between the version at `--base` (A, read with `git show`) and the working
tree's (B), round by round, in the order AB, BA, AB, ... Everything else (HTTP, GraphQL, use cases, the database)
is the same object for both, so the difference is the graph module's alone: changes elsewhere are not compared.

Each round loads the benchmark's data fresh (10,000 items in calls of 1,000) and replays it; the first two rounds
warm up. Prints each version's p50 and mean per call, and B/A.

    .venv/bin/python bench/write_ab.py --base main --kind contacts
    .venv/bin/python bench/write_ab.py --base HEAD~1 --kind interactions --rounds 10
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import interactions_bench  # beside this script, like every benchmark's helpers
import sync_bench
from in_process import served_in_process  # beside this script, like every benchmark's helpers
from powermap_devtools.local_neo4j import env_or_local_neo4j

import service.graph.writes.entity_sync as interaction_writes
import service.usecases.contacts as contact_cases
from service.rules.access import Role

ROOT = Path(__file__).resolve().parent.parent
WARM_UP_ROUNDS = 2
WORKSPACE = "bench-api"


@dataclass(frozen=True)
class Kind:
    """One bulk write: its benchmark module (client, batches, workspace setup) and items, its graph module and how
    to swap the function behind it."""

    bench: Any
    items: Callable[[int], list[dict[str, Any]]]
    path: str
    current: Callable[[], Any]
    install: Callable[[Any], None]


def _install_contacts(function: Any) -> None:
    contact_cases.upsert_contacts = function


def _install_interactions(function: Any) -> None:
    interaction_writes.upsert_interactions = function


KINDS = {
    "contacts": Kind(
        sync_bench,
        sync_bench.contacts,
        "service/graph/writes/contacts.py",
        lambda: contact_cases.upsert_contacts,
        _install_contacts,
    ),
    "interactions": Kind(
        interactions_bench,
        interactions_bench.interactions,
        "service/graph/writes/entity_sync.py",
        lambda: interaction_writes.upsert_interactions,
        _install_interactions,
    ),
}


def module_at(revision: str, path: str) -> types.ModuleType:
    """The module at `path` as it is at `revision`, loaded under a name of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:{path}"], capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(f"ab_base_{path.replace('/', '_').removesuffix('.py')}")
    exec(compile(source, f"{revision}:{path}", "exec"), module.__dict__)  # our own file, as it was at a revision
    return module


async def run(uri: str, user: str, password: str, kind: Kind, base: Any, rounds: int) -> None:
    versions = {"A": base, "B": kind.current()}
    async with served_in_process(uri, user, password, WORKSPACE) as served:
        services = served.services
        async with served.client(Role.INTEGRATION, "write A/B") as http:
            api = kind.bench.Api(http)
            work = kind.bench.batches(kind.items(10_000))
            times: dict[tuple[str, str], list[float]] = {
                (v, load): [] for v in versions for load in ("fresh", "replay")
            }
            for round_ in range(WARM_UP_ROUNDS + rounds):
                for version in "AB" if round_ % 2 == 0 else "BA":
                    kind.install(versions[version])
                    await kind.bench.prepare(services.db, WORKSPACE)
                    for load in ("fresh", "replay"):
                        for batch in work:
                            start = time.perf_counter()
                            await api.upsert(batch)
                            if round_ >= WARM_UP_ROUNDS:
                                times[(version, load)].append(time.perf_counter() - start)
            kind.install(versions["B"])
    print(f"{rounds} round(s) after {WARM_UP_ROUNDS} to warm up; A = base, B = working tree; ms per call of 1,000")
    print(f"{'':8}{'A p50':>9}{'B p50':>9}{'B/A':>7}{'A mean':>9}{'B mean':>9}{'B/A':>7}")
    for load in ("fresh", "replay"):
        a, b = times[("A", load)], times[("B", load)]
        a50, b50, am, bm = (1000 * f(t) for f in (statistics.median, statistics.mean) for t in (a, b))
        print(f"{load:8}{a50:>9.1f}{b50:>9.1f}{b50 / a50:>7.2f}{am:>9.1f}{bm:>9.1f}{bm / am:>7.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="HEAD", help="the revision to compare against (A)")
    parser.add_argument("--kind", choices=sorted(KINDS), default="contacts")
    parser.add_argument("--rounds", type=int, default=6, help="measured rounds (each: A and B, fresh and replay)")
    args = parser.parse_args()
    kind = KINDS[args.kind]
    function = kind.current().__name__
    base = getattr(module_at(args.base, kind.path), function)
    with env_or_local_neo4j(heap="2g", pagecache="512m") as (uri, user, password):
        asyncio.run(run(uri, user, password, kind, base, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
