"""Side-by-side benchmark (issue 14): Powermap, `@neo4j/graphql` 7 on graphql-yoga (the generic peer) and
the raw-Cypher floor (one query per screen behind a minimal ASGI endpoint), on one Neo4j and the same data.

    .venv/bin/python bench/side_by_side.py            # the full run (10-15 minutes once the data is loaded)
    .venv/bin/python bench/side_by_side.py --quick    # a smoke run: small workspaces, short cells
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/side_by_side.py   # an existing database

What it does, in one command:
1. starts a local Neo4j with APOC core (data kept in .cache/bench-neo4j, so the 10,000-account workspace
   is loaded once; every run starts from the state the first run after the load found, saved in
   .cache/bench-neo4j-start, so one run's writes do not slow the next) and a throw-away second one for the
   1-account workspace; or uses NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD) for everything;
2. starts every server as a real process on loopback: Powermap (`python -m service serve`, one per
   workspace and POWERMAP_WORKERS value), the floor (bench/floor_app.py, one per database) and the
   peer (bench/peer/, its npm packages installed by `npm ci` into the git-ignored bench/peer/node_modules);
3. loads three workspaces through Powermap's public API (accountGraphImport): `one` (the main account
   of 200 people alone), `a` (it plus 99 accounts of 20-50 people) and `b` (it plus 9,999 small ones);
4. checks that all servers answer the same data for the account page and the stakeholder detail;
5. warms every cell up, then measures in interleaved rounds (each round visits every cell, in a rotated
   order, so drift hits all alike): the account page, the stakeholder detail, two analytics and a small
   write, at each concurrency, with closed-loop clients; p50/p95/p99, requests/s, and CPU per request of
   each server's processes and of Neo4j (from /proc); after each Powermap write cell it waits out the
   checkpoints that cell made due (`sidebyside/settle.py`), so that they slow no other cell;
6. prints a markdown report with the issue's ratios, also written to bench/results/side_by_side.md.

Authentication: a key given with --key or POWERMAP_BENCH_KEY is sent as `Authorization: Bearer <key>`
on every Powermap request; otherwise, once `powermap keys create` exists, one key per workspace is
created with it (see the hook in bench/sidebyside/servers.py).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from powermap_devtools.local_neo4j import NEO4J_VERSION, LocalNeo4j, free_port
from sidebyside import data, screens
from sidebyside.bookkeeping import check_same_bookkeeping
from sidebyside.cpu import process_tree
from sidebyside.http import Client
from sidebyside.load import Request, Samples, measure
from sidebyside.report import (
    FLOOR,
    FLOOR_LOGGED,
    GRAPHQL_BOUNDS,
    PEER,
    Key,
    Results,
    powermap_label,
    render,
)
from sidebyside.servers import (
    PROJECT_ROOT,
    Database,
    Server,
    create_key,
    ensure_apoc,
    install_peer,
    keys_command_exists,
    node_version,
    peer_versions,
    start_floor,
    start_peer,
    start_powermap,
)
from sidebyside.settle import Settling, settle
from sidebyside.workload import MAIN_ACCOUNT, WorkspacePlan, plans

RESULTS = PROJECT_ROOT / "bench" / "results"
DETAIL_PERSON = f"{MAIN_ACCOUNT}-000"  # the general manager: reports, links, ties, circles
SCREEN_ORDER = (
    screens.ACCOUNT_PAGE,
    screens.STAKEHOLDER_DETAIL,
    screens.COVERAGE_GAPS,
    screens.NEUTRALS_TO_CONVERT,
    screens.ANALYTICS_INPUT,
    screens.STAKEHOLDER_UPDATE,
)


@dataclass(frozen=True)
class Cell:
    screen: str
    system: str
    workspace: str
    server: Server
    request: Request
    database: Database


@dataclass(frozen=True)
class Databases:
    """`main` holds workspaces `a` and `b`; `small`, when the databases are ours, holds `one` alone, so the
    1 -> 10,000 accounts ratio also shows a cost that grows with the whole database (a label scan)."""

    main: Database
    small: Database | None
    home: Path | None = None
    """The kept database's folder, when the benchmark runs it (not with NEO4J_URI)."""

    def of(self, role: str) -> Database:
        return self.small if role == "one" and self.small is not None else self.main

    @property
    def all(self) -> list[Database]:
        return [self.main] + ([self.small] if self.small is not None else [])


@contextmanager
def databases(args: argparse.Namespace) -> Iterator[Databases]:
    if uri := os.environ.get("NEO4J_URI"):
        user, password = os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
        yield Databases(Database(uri, user, password, tuple(args.neo4j_pid)), None)
        return
    home = PROJECT_ROOT / ".cache" / ("bench-neo4j-quick" if args.quick else "bench-neo4j")
    ensure_apoc(home)
    restore_start_state(home)
    main = LocalNeo4j(port=free_port(), home=home, pagecache="512m")
    small = LocalNeo4j(port=free_port(), heap="512m", pagecache="64m")  # a throw-away folder
    with ExitStack() as stack:
        for server in (main, small):
            stack.callback(server.stop)
        with ThreadPoolExecutor(2) as pool:
            for started in [pool.submit(server.start) for server in (main, small)]:
                started.result()
        print(f"local Neo4j servers started (data in {home} and a temporary folder)", file=sys.stderr)
        yield Databases(
            *(Database(server.uri, server.user, server.password, (_pid(server),)) for server in (main, small)),
            home=home,
        )


def start_state(home: Path) -> Path:
    """Where the kept database's state at the start of the first run after its load is saved."""
    return home.with_name(home.name + "-start") / "data"


def restore_start_state(home: Path) -> None:
    """Every run measures the kept database as the first run after its load found it: a run's writes (about
    20,000 changes, their feed commits and audit entries) would otherwise stay and slow the next run's writes.
    The first run saves the state (a copy of the stopped server's data folder); a reload drops the copy
    (`forget_start_state`)."""
    data_dir, saved = home / "data", start_state(home)
    if saved.is_dir():
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.copytree(saved, data_dir)
        print(f"the kept database restored to its saved start state ({saved})", file=sys.stderr)
    elif data_dir.is_dir():
        shutil.copytree(data_dir, saved)
        print(f"the kept database's start state saved ({saved}): later runs start from it", file=sys.stderr)


def forget_start_state(home: Path) -> None:
    """After a (re)load, the saved state is another database's: the next run saves its own."""
    shutil.rmtree(start_state(home).parent, ignore_errors=True)


def _pid(server: LocalNeo4j) -> int:
    assert server.process is not None
    return server.process.pid


def workspace_keys(
    args: argparse.Namespace, dbs: Databases, workspaces: dict[str, WorkspacePlan]
) -> dict[str, str | None]:
    """The key sent to Powermap for each workspace role (see the authentication hook in servers.py), made
    in the database that holds the workspace."""
    if args.key:
        return dict.fromkeys(workspaces, args.key)
    if keys_command_exists(dbs.main):
        return {role: create_key(dbs.of(role), plan.name) for role, plan in workspaces.items()}
    return dict.fromkeys(workspaces, None)


def post_json(server: Server, request: Request) -> dict[str, Any]:
    response = httpx.post(
        server.base_url + request.path,
        content=request.body(0),
        headers={"content-type": "application/json", **request.headers},
        timeout=120,
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"{server.label} {request.path}: HTTP {response.status_code} {json.dumps(body)[:2000]}")
    result: dict[str, Any] = body["data"]
    return result


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = first_difference(a.get(key), b.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items against {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} against {b!r}"


def check_same_answers(
    workspace: str,
    sides: list[tuple[str, str, Server, dict[str, Request], dict[str, str]]],
    screen_names: Sequence[str],
) -> dict[str, int]:
    """Every side's answer, in canonical form, equals the first side's (Powermap); values per screen."""
    values = {}
    for screen in screen_names:
        reference: tuple[str, Any] | None = None
        for label, kind, server, requests, names in sides:
            answer = post_json(server, requests[screen])
            canonical = screens.CANONICAL[kind][screen](answer, names)
            if reference is None:
                reference = (label, canonical)
                values[screen] = screens.count_values(answer)
                continue
            difference = first_difference(reference[1], canonical)
            if difference:
                raise SystemExit(f"{screen}: {label} answers differently from {reference[0]}: {difference}")
        print(f"  {workspace}, {screen}: same answers from {'; '.join(side[0] for side in sides)}", file=sys.stderr)
    return values


def leaves_deferred_work(screen: str, system: str) -> bool:
    """Powermap's write: its checkpoints are stored after its cell, once its account is quiet (`sidebyside.settle`)."""
    return screen == screens.STAKEHOLDER_UPDATE and system.startswith("Powermap")


async def measure_all(
    cells: list[Cell],
    args: argparse.Namespace,
    counters: dict[tuple[str, str], itertools.count[int]],
    settling: Settling,
) -> Results:
    results: Results = {}
    clients = {id(cell.server): Client(cell.server.base_url, max(args.concurrency)) for cell in cells}
    try:
        # Warm-up, not counted: every cell for a while, so no JIT or plan cache starts cold in round 1.
        for cell in cells:
            counter = counters[cell.screen, cell.workspace]
            await measure(clients[id(cell.server)], cell.request, 1, args.warmup, counter, [], [], Samples())
            if leaves_deferred_work(cell.screen, cell.system):
                await settle(cell.database, Settling())
        began = time.monotonic()
        for round_ in range(args.rounds):
            for screen in SCREEN_ORDER:
                group = [cell for cell in cells if cell.screen == screen]
                if not group:
                    continue
                shift = round_ % len(group)
                for concurrency in args.concurrency:
                    for cell in group[shift:] + group[:shift]:
                        key = Key(cell.screen, cell.system, cell.workspace, concurrency)
                        samples = results.setdefault(key, Samples())
                        await measure(
                            clients[id(cell.server)],
                            cell.request,
                            concurrency,
                            args.seconds,
                            counters[cell.screen, cell.workspace],
                            cell.server.pids,
                            cell.database.pids,
                            samples,
                        )
                        if leaves_deferred_work(cell.screen, cell.system):
                            await settle(cell.database, settling)
            elapsed = time.monotonic() - began
            print(f"round {round_ + 1} of {args.rounds} done ({elapsed:.0f} s)", file=sys.stderr)
    finally:
        for client in clients.values():
            await client.close()
    return results


def git_commit() -> str:
    def git(*argv: str) -> str:
        return subprocess.run(["git", *argv], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "?"
    return commit + (" (with local changes)" if git("status", "--porcelain", "--untracked-files=no") else "")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small workspaces, 2 rounds of 1 s cells (a smoke run)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3; --quick 2)")
    parser.add_argument("--seconds", type=float, help="seconds per cell and round (default 3; --quick 1)")
    parser.add_argument("--warmup", type=float, help="seconds per cell before the rounds (default 2; --quick 0.5)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="POWERMAP_WORKERS values")
    parser.add_argument("--screens", nargs="+", choices=SCREEN_ORDER, default=list(SCREEN_ORDER))
    parser.add_argument("--key", default=os.environ.get("POWERMAP_BENCH_KEY"), help="Powermap API key (Bearer)")
    parser.add_argument("--fresh", action="store_true", help="reload the workspaces even if already loaded")
    parser.add_argument("--load-concurrency", type=int, default=8, help="imports in flight while loading")
    parser.add_argument("--neo4j-pid", type=int, nargs="*", default=[], help="Neo4j's pid, with NEO4J_URI")
    parser.add_argument("--out", type=Path, default=RESULTS / "side_by_side.md")
    args = parser.parse_args()
    args.rounds = args.rounds or (2 if args.quick else 3)
    args.seconds = args.seconds or (1.0 if args.quick else 3.0)
    args.warmup = args.warmup if args.warmup is not None else (0.5 if args.quick else 2.0)
    args.concurrency = sorted(set(args.concurrency))
    args.workers = sorted(set(args.workers))
    return args


def main() -> None:
    args = parse_args()
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    workspaces = plans(args.quick)
    with databases(args) as dbs, ExitStack() as running:
        stale = []
        for db in dbs.all:
            held = [plan for role, plan in workspaces.items() if dbs.of(role) is db]
            stale += data.stale_workspaces(db, held, args.fresh)
        install_peer(logs)
        node = node_version()
        servers = start_servers(args, dbs, workspaces, logs, running)
        keys = workspace_keys(args, dbs, workspaces)
        for plan in stale:
            role = next(r for r, p in workspaces.items() if p == plan)
            loaders = [server for (r, _), server in servers.powermap.items() if r == role]
            headers = screens.bearer(keys[role])
            asyncio.run(data.load(plan, loaders, headers, args.load_concurrency, dbs.of(role).pids))
            data.mark_loaded(dbs.of(role), plan)
            if dbs.home is not None and dbs.of(role) is dbs.main:
                forget_start_state(dbs.home)
        cells, sides, counters = build_cells(args, dbs, workspaces, servers, keys)
        values = check_all(workspaces, sides)
        if screens.STAKEHOLDER_UPDATE in args.screens:
            check_write(dbs.main, workspaces["a"].name, servers, keys["a"], args.workers[0])
        slices = len(cells) * len(args.concurrency) * args.rounds
        print(
            f"measuring {slices} slices of {args.seconds:g} s: at least {slices * args.seconds / 60:.0f} min",
            file=sys.stderr,
        )
        settling = Settling()
        results = asyncio.run(measure_all(cells, args, counters, settling))
        processes = {w: len(process_tree(servers.powermap["a", w].pids)) for w in args.workers}
        people = {role: data.people_count(dbs.of(role)) for role in workspaces}

    header = report_header(args, workspaces, values, node, processes, load_before, people)
    accounts = {role: plan.accounts for role, plan in workspaces.items()}
    notes = report_notes(processes, separate_small=dbs.small is not None)
    if settling.pauses:
        notes.append(settling_note(settling, results))
    text = render(header, results, args.workers, args.concurrency, bool(dbs.main.pids), notes, accounts)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    print(f"(written to {args.out})", file=sys.stderr)


@dataclass(frozen=True)
class Servers:
    powermap: dict[tuple[str, int], Server]  # by (workspace role, worker count)
    floors: dict[int, Server]  # by id() of the database each answers from
    peer: Server  # on the main database


def start_servers(
    args: argparse.Namespace, dbs: Databases, workspaces: dict[str, WorkspacePlan], logs: Path, running: ExitStack
) -> Servers:
    """Powermap for each (workspace role, worker count) measured, a floor per database and the peer; each is
    stopped when `running` closes."""

    def started(server: Server) -> Server:
        running.callback(server.stop)
        return server

    print("starting the servers ...", file=sys.stderr)
    w0 = args.workers[0]
    powermap: dict[tuple[str, int], Server] = {}
    for role, workers in [("a", w) for w in args.workers] + [("one", w0), ("b", w0)]:
        label = f"{powermap_label(workers)}, workspace {workspaces[role].name}"
        db = dbs.of(role)
        powermap[role, workers] = started(start_powermap(db, workspaces[role].name, workers, label, logs))
    floors = {id(db): started(start_floor(db, f"floor-{n}", logs)) for n, db in enumerate(dbs.all)}
    return Servers(powermap, floors, started(start_peer(dbs.main, logs)))


def check_all(workspaces: dict[str, WorkspacePlan], sides: dict[str, list[Any]]) -> dict[str, int]:
    """The same-answers check in every workspace (the detail in `a` only); values per screen and role."""
    print("checking that the servers answer the same data ...", file=sys.stderr)
    values: dict[str, int] = {}
    for role, role_sides in sides.items():
        checked = [screens.ACCOUNT_PAGE] + ([screens.STAKEHOLDER_DETAIL] if role == "a" else [])
        answered = check_same_answers(workspaces[role].name, role_sides, checked)
        values |= {f"{screen} ({role})": n for screen, n in answered.items()}
    return values


def check_write(db: Database, ws: str, servers: Servers, key: str | None, workers: int) -> None:
    """Powermap's write and the floor's "floor + log" keep the same bookkeeping (`bookkeeping`), on one person."""
    stored = data.stored_ids(db, ws)
    global_ids = data.powermap_ids(servers.powermap["a", workers], screens.bearer(key))
    person = f"{MAIN_ACCOUNT}-001"
    run = "check-" + datetime.now(UTC).strftime("%H%M%S")
    writes = [
        (
            powermap_label(workers),
            servers.powermap["a", workers],
            screens.powermap_write([global_ids.person(person)], key, run),
        ),
        (
            FLOOR_LOGGED,
            servers.floors[id(db)],
            screens.floor_write(ws, [stored.person(person)], run, "stakeholder-update-logged"),
        ),
    ]
    check_same_bookkeeping(db, ws, stored.account, stored.person(person), writes, post_json)


def build_cells(
    args: argparse.Namespace,
    dbs: Databases,
    workspaces: dict[str, WorkspacePlan],
    servers: Servers,
    keys: dict[str, str | None],
) -> tuple[list[Cell], dict[str, list[Any]], dict[tuple[str, str], itertools.count[int]]]:
    """The cells to measure, the sides to check per workspace role, and a request counter per screen (writes
    take the next person and a new text from it, whichever server sends them)."""
    run = datetime.now(UTC).strftime("%H%M%S")
    w0 = args.workers[0]
    cells: list[Cell] = []
    sides: dict[str, list[Any]] = {}
    for role in ("a", "one", "b"):
        ws, db = workspaces[role].name, dbs.of(role)
        floor = servers.floors[id(db)]
        global_ids = data.powermap_ids(servers.powermap[role, w0], screens.bearer(keys[role]))
        stored = data.stored_ids(db, ws)
        pm_reads = screens.powermap_reads(global_ids.account, global_ids.person(DETAIL_PERSON), keys[role])
        floor_reads = screens.floor_reads(ws, stored.account, stored.person(DETAIL_PERSON))
        workers = args.workers if role == "a" else [w0]
        sides[role] = [
            (powermap_label(w), "powermap", servers.powermap[role, w], pm_reads, global_ids.names()) for w in workers
        ] + [(FLOOR, "floor", floor, floor_reads, stored.names())]
        if db is dbs.main:
            peer_reads = screens.peer_reads(ws, stored.account, stored.person(DETAIL_PERSON))
            sides[role].append((PEER, "peer", servers.peer, peer_reads, stored.names()))
        if role != "a":
            cells += [
                Cell(
                    screens.ACCOUNT_PAGE,
                    powermap_label(w0),
                    role,
                    servers.powermap[role, w0],
                    pm_reads[screens.ACCOUNT_PAGE],
                    db,
                )
            ]
            cells.append(Cell(screens.ACCOUNT_PAGE, FLOOR, role, floor, floor_reads[screens.ACCOUNT_PAGE], db))
            continue
        pm_write = screens.powermap_write(list(global_ids.people.values()), keys[role], run)
        for w in workers:
            server = servers.powermap[role, w]
            cells += [Cell(s, powermap_label(w), role, server, request, db) for s, request in pm_reads.items()]
            cells.append(Cell(screens.STAKEHOLDER_UPDATE, powermap_label(w), role, server, pm_write, db))
        stored_people = list(stored.people.values())
        floor_write = screens.floor_write(ws, stored_people, run)
        floor_logged = screens.floor_write(ws, stored_people, run, "stakeholder-update-logged")
        cells += [Cell(s, FLOOR, role, floor, request, db) for s, request in floor_reads.items()]
        cells.append(Cell(screens.STAKEHOLDER_UPDATE, FLOOR, role, floor, floor_write, db))
        cells.append(Cell(screens.STAKEHOLDER_UPDATE, FLOOR_LOGGED, role, floor, floor_logged, db))
        for label, write in GRAPHQL_BOUNDS.items():
            request = screens.floor_graphql_write(ws, stored_people, run, write)
            cells.append(Cell(screens.STAKEHOLDER_UPDATE, label, role, floor, request, db))
        cells += [Cell(s, PEER, role, servers.peer, request, db) for s, request in peer_reads.items()]
    cells = [cell for cell in cells if cell.screen in args.screens]
    counters = {(cell.screen, cell.workspace): itertools.count() for cell in cells}
    return cells, sides, counters


def report_header(
    args: argparse.Namespace,
    workspaces: dict[str, WorkspacePlan],
    values: dict[str, int],
    node: str,
    processes: dict[int, int],
    load_before: tuple[float, float, float],
    people: dict[str, int],
) -> list[str]:
    """`people`: the stakeholders in the database each workspace role lives in (every workspace there)."""
    peers = ", ".join(f"{name} {version}" for name, version in peer_versions().items())
    sizes = "; ".join(
        f"`{role}` = {plan.name}: {plan.accounts:,} accounts, in a database of {people[role]:,} stakeholders"
        for role, plan in workspaces.items()
    )
    page = values.get(f"{screens.ACCOUNT_PAGE} (a)", 0)
    detail = values.get(f"{screens.STAKEHOLDER_DETAIL} (a)", 0)
    return [
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {git_commit()}, "
        f"{'--quick, ' if args.quick else ''}{args.rounds} interleaved rounds x {args.seconds:g} s per cell",
        f"- Machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} before and {os.getloadavg()[0]:.2f} after "
        "(other work on the machine shows in every figure)",
        f"- Versions: Python {platform.python_version()}, Neo4j {NEO4J_VERSION if not os.environ.get('NEO4J_URI') else '(NEO4J_URI)'}, "
        f"Node {node}, {peers}",
        f"- Data: {sizes}. Each holds the same main account (200 people); the account page shows its first 100 "
        f"people ({page:,} values in Powermap's answer), the stakeholder detail its general manager ({detail:,} values)",
        "- Powermap processes per POWERMAP_WORKERS value: "
        + ", ".join(f"{w} -> {n} process{'es' if n > 1 else ''}" for w, n in processes.items()),
        "- CPU per request: utime+stime of each server's processes and of Neo4j (when the benchmark started it, "
        "or with --neo4j-pid) over the cell, divided by its requests",
    ]


def settling_note(settling: Settling, results: Results) -> str:
    writes = sum(s.requests for key, s in results.items() if leaves_deferred_work(key.screen, key.system))
    per_write = settling.busy_seconds * 1000 / writes if writes else 0.0
    return (
        f"After each of Powermap's {settling.pauses} write cells the benchmark waited out the account's quiet period "
        "and every transaction then running (its checkpoints, `bench/sidebyside/settle.py`), so that they slow no "
        f"other cell. Transactions ran for about {settling.busy_seconds:.2f} s of those pauses in all, "
        f"{per_write:.3f} ms per Powermap write measured: Powermap's deferred cost, in no cell's figures."
    )


def report_notes(processes: dict[int, int], separate_small: bool) -> list[str]:
    notes = [
        "All three servers were checked to answer the same data for the account page and the stakeholder detail "
        "(ids mapped by name, nested lists sorted) before timing.",
        "The peer is read-only (`@mutation(operations: [])`) and has no analytics: it is absent from those tables. "
        "Account.stakeholders is a `@cypher` field there, as the stored model links people to their account by "
        "the `accountId` property, not a relationship.",
        "The floor answers analytics with their input only (the account's people, links, circles and coverage in one "
        'Cypher round trip, decoded, no computation). The write\'s floor is "floor + log": the `SET` with the '
        "bookkeeping every Powermap write keeps in its transaction, by hand in the same query: the change logged "
        "about the person, the account's clock, an audit entry and the change feed's next number (no lock, version "
        "check, JSON escaping or validation). It was checked to leave the same bookkeeping as Powermap's write "
        "before timing. It is the floor issue 14 judges the write by (its \"raw write floor ... with today's "
        'global clock", the bookkeeping of the day); "floor" writes the `SET` alone (no history, clock, audit '
        "entry or change feed: what no Powermap write may skip), for context. "
        '"Strawberry + floor" and "Strawberry + floor + log" are the same two writes behind a minimal GraphQL '
        "endpoint in the floor's process (Strawberry, the stack Powermap must use, with its parser and validation "
        "caches; no authentication, rate limit, middleware or other extension): what GraphQL alone adds to them; "
        "\"Strawberry + Powermap's query\" runs Powermap's own query for the edit there, with the parameters its "
        "use case gives it and none of its stack around it.",
        "Powermap caches analytics answers between writes: its analytics cells are mostly warm, the first request "
        "after a round's writes recomputes.",
        "Writes rotate over the main account's 200 people, changing the notes each time.",
        "The peer runs one Node process whatever the Powermap worker count.",
        "The load generator runs on the same machine (closed loop, a lean HTTP/1.1 client, about 0.15 ms CPU "
        "per request).",
    ]
    if separate_small:
        notes.append(
            "Workspace `one` lives in a second Neo4j of its own: the 1 -> 10,000 accounts ratios compare a database "
            "holding 1 account with one holding workspaces `a` and `b`, so a cost that grows with the whole database "
            "(a label scan) shows there too. Floor and peer seek the (workspaceId, accountId, name) index."
        )
    else:
        notes.append(
            "With NEO4J_URI every workspace shares one database: the 1 -> 10,000 ratios show per-workspace scale only."
        )
    ignored = [w for w, n in processes.items() if w > 1 and n == 1]
    if ignored:
        notes.append(
            f"POWERMAP_WORKERS={', '.join(map(str, ignored))} made no difference: the service still ran one process "
            "(the setting is not implemented yet), so those rows measure the same configuration again."
        )
    return notes


if __name__ == "__main__":
    main()
