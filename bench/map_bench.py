"""Map page benchmark: a synthetic 1,000-person account in headless chromium, opened and worked.

Builds the account as an import document (1,000 people, 3 influence links each, 1,000 ties, 8 circles,
a reporting tree, a team of 12 covering 100 people), loads it through `accountGraphImport` into a
throw-away workspace, serves the real app with uvicorn on 127.0.0.1 and drives Debian's chromium with
Playwright at 1600x1000. Prints, never asserts:
- opening: click to interactive, first visit (layout computed) and again (layout restored), split
  into loading (10 pages of 100 people) and layout;
- pan and zoom: frame intervals (p50, p95, max) recorded by requestAnimationFrame while the mouse drags
  and the wheel turns, and the share of frames slower than 50 ms;
- click: mouse down on a person to the node selected, and to their card shown (an API round trip).

    .venv/bin/python bench/map_bench.py                    # starts its own local Neo4j
    .venv/bin/python bench/map_bench.py --people 2000
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/map_bench.py
Needs the built page (scripts/bootstrap) and /usr/bin/chromium (or CHROMIUM=...).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from playwright.sync_api import Page, sync_playwright
from powermap_devtools.local_neo4j import LocalNeo4j, free_port

from service.entrypoints.app import create_app
from service.entrypoints.map_page import MAP_ASSETS_DIR
from service.graph.database import Database
from service.graph.driver import create_driver
from service.rules.access import Role
from service.schema.operations import IMPORT_MUTATION
from service.settings import Settings
from service.usecases.identity import provision_key
from service.usecases.services import Services

WORKSPACE = "map-bench"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STANCES = {"ENEMY": 3, "OPPONENT": 7, "NEUTRAL": 45, "UNKNOWN": 30, "SUPPORTER": 12, "MENTOR": 3}
ROLES = {"APPROVER": 2, "RECOMMENDER": 10, "USER": 20, "": 68}
TIE_KINDS = {"KNOWS": 70, "ALLY": 20, "RIVAL": 10}


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def synthetic_document(people: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    keys = [f"p{i:05d}" for i in range(people)]
    stakeholders = [
        {
            "externalId": key,
            "name": f"Person {i:05d}",
            "title": f"Title {i % 40}",
            "department": f"Dept {i % 25}",
            "reportsTo": keys[rng.randrange(i)] if i else None,
            "stance": pick(rng, STANCES),
            "influence": rng.randint(1, 5),
            "buyingRoles": ["DECISION_MAKER"] if i < 3 else [r for r in [pick(rng, ROLES)] if r],
        }
        for i, key in enumerate(keys)
    ]
    links = {(a, b) for a, b in (rng.sample(keys, 2) for _ in range(people * 3))}
    ties = {(a, b) if a < b else (b, a) for a, b in (rng.sample(keys, 2) for _ in range(people))}
    members = rng.sample(keys, int(people * 0.6))
    circles = [
        {
            "key": f"c{c}",
            "name": f"Circle {c}",
            "members": [{"stakeholder": k, "core": rng.random() < 0.05} for k in members[c::8]],
        }
        for c in range(8)
    ]
    team = [{"externalId": f"t{t}", "name": f"Team {t}", "role": "SALES"} for t in range(12)]
    covered = rng.sample(keys, min(100, people))
    return {
        "input": {
            "source": "map-bench",
            "account": {"externalId": f"bench-{people}", "name": f"Map bench {people}"},
            "stakeholders": stakeholders,
            "influences": [{"from": a, "to": b, "strength": rng.randint(1, 5)} for a, b in sorted(links)],
            "ties": [{"kind": pick(rng, TIE_KINDS), "a": a, "b": b} for a, b in sorted(ties)],
            "circles": circles,
            "team": team,
            "coverage": [
                {"teamMember": f"t{i % 12}", "stakeholder": k, "relationshipStep": rng.randint(1, 5)}
                for i, k in enumerate(covered)
            ],
            "mode": "REPLACE",
        }
    }


Neo4j = tuple[str, str, str]
"""The database: URI, user, password."""


@contextmanager
def database() -> Iterator[Neo4j]:
    if uri := os.environ.get("NEO4J_URI"):
        yield uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
        return
    with LocalNeo4j(port=free_port()) as server:
        print(f"local Neo4j started in {server.started_in_seconds:.1f} s")
        yield server.uri, server.user, server.password


def clear_workspace(neo4j: Neo4j) -> None:
    async def clear() -> None:
        driver = create_driver(*neo4j)
        try:
            await driver.execute_query("MATCH (n {workspaceId: $ws}) DETACH DELETE n", ws=WORKSPACE)
        finally:
            await driver.close()

    asyncio.run(clear())


def issue_keys(neo4j: Neo4j) -> dict[Role, str]:
    """An admin key (for the import) and a strategist key (for the page) of the bench's workspace."""

    async def issue() -> dict[Role, str]:
        db = Database(create_driver(*neo4j), "neo4j")
        try:
            services = Services(db)
            return {role: (await provision_key(services, WORKSPACE, role, "map bench")).secret for role in Role}
        finally:
            await db.close()

    return asyncio.run(issue())


@contextmanager
def serve(neo4j: Neo4j) -> Iterator[str]:
    uri, user, password = neo4j
    settings = Settings(
        neo4j_uri=uri, neo4j_user=user, neo4j_password=password, workspace_id=WORKSPACE, load_demo=False
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


FRAME_RECORDER = """
window.__frames = [];
window.__recording = true;
(function tick(t) { if (!window.__recording) return; window.__frames.push(t); requestAnimationFrame(tick); })(performance.now());
"""


def frames(page: Page) -> dict[str, float]:
    stamps: list[float] = page.evaluate("(window.__recording = false, window.__frames)")
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    if not gaps:
        return {"frames": 0}
    gaps.sort()
    return {
        "frames": len(gaps),
        "p50_ms": round(statistics.median(gaps), 1),
        "p95_ms": round(gaps[int(0.95 * (len(gaps) - 1))], 1),
        "max_ms": round(gaps[-1], 1),
        "slow_share": round(sum(g > 50 for g in gaps) / len(gaps), 3),
    }


def open_account(page: Page, name: str) -> dict[str, Any]:
    page.fill("#account-search", name)
    item = page.locator(".account-item", has_text=name)
    item.wait_for()
    started = time.perf_counter()
    item.click()
    page.wait_for_selector("body[data-state=ready]", timeout=600_000)
    figures: dict[str, Any] = page.evaluate("window.powermap.timings")
    figures["wall_ms"] = round((time.perf_counter() - started) * 1000)
    return figures


def drag(page: Page, box: dict[str, float]) -> dict[str, float]:
    page.evaluate(FRAME_RECORDER)
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    for step in range(60):
        page.mouse.move(cx + 4 * step, cy + 2 * step)
    page.mouse.up()
    page.wait_for_timeout(300)
    return frames(page)


def wheel(page: Page, box: dict[str, float]) -> dict[str, float]:
    page.evaluate(FRAME_RECORDER)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for step in range(40):
        page.mouse.wheel(0, -120 if step < 20 else 120)
    page.wait_for_timeout(300)
    return frames(page)


# Timestamps taken in the page: when a node gets selected, and when the selected person's card is shown.
CARD_WATCH = """(() => {
  window.__selectedAt = 0;
  window.__cardAt = 0;
  const panel = document.getElementById('panel-person');
  const observer = new MutationObserver(() => {
    const selected = window.powermap.cy.$('node.person:selected');
    const card = panel.querySelector('article.person-card');
    if (selected.nonempty() && card && card.dataset.person === selected.id()) {
      window.__cardAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(panel, { childList: true, subtree: true });
  return performance.now();
})()"""


def clicks(page: Page, box: dict[str, float], count: int) -> dict[str, float]:
    """Click people at a readable zoom (1:1, each person centred first, as a user would have them in view):
    mouse down to the node selected (in the page), and to their card shown (an API call)."""
    page.evaluate("window.powermap.cy.on('select', 'node', () => { window.__selectedAt = performance.now(); })")
    ids: list[str] = page.evaluate("window.powermap.cy.nodes('.person').map(n => n.id())")
    rng = random.Random(3)
    selected: list[float] = []
    carded: list[float] = []
    misses = 0
    for person in rng.sample(ids, min(count, len(ids))):
        target = json.dumps(person)
        page.evaluate(
            f"(() => {{ const cy = window.powermap.cy; cy.zoom(1); cy.center(cy.getElementById({target})); }})()"
        )
        page.wait_for_timeout(100)
        position = page.evaluate(f"window.powermap.cy.getElementById({target}).renderedPosition()")
        start = page.evaluate(CARD_WATCH)
        page.mouse.click(box["x"] + position["x"] + 1, box["y"] + position["y"] + 1)
        # Where people overlap, the click opens whoever is drawn on top: wait for that person's card.
        deadline = time.monotonic() + 120
        while not page.evaluate("window.__cardAt") and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        end = page.evaluate("window.__cardAt")
        if not end:
            raise RuntimeError("no card opened after a click")
        misses += page.evaluate("window.powermap.cy.$(':selected').id()") != person
        selected.append(page.evaluate("window.__selectedAt") - start)
        carded.append(end - start)
    return {
        "clicks": len(selected),
        "selected_p50_ms": round(statistics.median(selected), 1),
        "selected_max_ms": round(max(selected), 1),
        "card_p50_ms": round(statistics.median(carded), 1),
        "card_max_ms": round(max(carded), 1),
        "hit_someone_else": misses,
    }


def run(people: int, clicks_count: int) -> None:
    if not (MAP_ASSETS_DIR / "index.html").is_file():
        raise SystemExit("the map page is not built: run scripts/bootstrap")
    with database() as neo4j:
        clear_workspace(neo4j)
        try:
            with serve(neo4j) as base:
                keys = issue_keys(neo4j)
                document = synthetic_document(people)
                started = time.perf_counter()
                payload = httpx.post(
                    f"{base}/graphql",
                    json={"query": IMPORT_MUTATION, "variables": document},
                    headers={"Authorization": f"Bearer {keys[Role.ADMIN]}"},
                    timeout=600,
                ).json()["data"]["accountGraphImport"]
                assert payload["userErrors"] == [], payload["userErrors"]
                doc = document["input"]
                print(
                    f"account: {people} people, {len(doc['influences'])} links, {len(doc['ties'])} ties, "
                    f"8 circles, 12 team members; imported in {time.perf_counter() - started:.1f} s"
                )
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    page = browser.new_page(viewport={"width": 1600, "height": 1000})
                    page.set_default_timeout(600_000)
                    page.goto(f"{base}/map")
                    page.fill("#token-input", keys[Role.STRATEGIST])
                    page.click("#signin-form button[type=submit]")
                    page.wait_for_selector("body[data-state=picking]")
                    name = doc["account"]["name"]
                    print(f"open, first visit (layout computed): {open_account(page, name)}")
                    page.click("#switch-account")
                    print(f"open, again (layout restored):      {open_account(page, name)}")
                    box = page.locator("#cy").bounding_box()
                    assert box is not None
                    print(f"pan (mouse drag, 60 moves):          {drag(page, box)}")
                    print(f"zoom (40 wheel steps):               {wheel(page, box)}")
                    print(f"click a person:                      {clicks(page, box, clicks_count)}")
                    browser.close()
        finally:
            clear_workspace(neo4j)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--clicks", type=int, default=15)
    arguments = parser.parse_args()
    run(arguments.people, arguments.clicks)
