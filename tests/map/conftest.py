"""Fixtures for the map page's browser tests: the real app on a free 127.0.0.1 port (uvicorn in a
thread, the run's Neo4j; one per test module), and for every test a workspace of its own with a key
of each role and the demo accounts imported through the import mutation; Debian's chromium driven by
Playwright. Screenshots and timings go to test-artifacts/map/ (git-ignored)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, Request, async_playwright

from service.demo import demo_documents
from service.entrypoints.app import create_app
from service.entrypoints.map_page import MAP_ASSETS_DIR
from service.graph.database import Database
from service.rules.access import Role
from service.schema.operations import IMPORT_MUTATION
from service.settings import Settings
from tests.conftest import RUN_PREFIX, Neo4jServer, unavailable
from tests.map.auth import issue_keys

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "map"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # /dev/shm is 64 MB in a default container: renderers that outgrow it crash ("Target crashed").
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Only 127.0.0.1 resolves: anything the page tried to fetch from elsewhere (a CDN) would fail.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1280, "height": 800}
CANON = "日本佳能公司(广东珠海)"

CHROMIUM_LOG: list[Path | None] = [None]
"""Where the driver of the browser in use logs chromium's stderr."""
TIMINGS: dict[str, Any] = {}
"""Figures measured during the run (reported at the end, never asserted)."""


@pytest.fixture(scope="session")
def built_page() -> Path:
    index = MAP_ASSETS_DIR / "index.html"
    if not index.is_file():
        unavailable(f"{index} is missing: scripts/bootstrap builds the map page (Node.js 20.19+ and npm)")
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing; apt-get install -y chromium (.ci/run does)")
    return index


@dataclass
class MapServer:
    """The served app as one test sees it: its workspace, a key of each role there, the demo loaded."""

    base_url: str
    workspace: str
    keys: dict[Role, str]
    demo: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each demo document's input, by account name."""
    account_ids: dict[str, str] = field(default_factory=dict)

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """As the workspace's admin."""
        response = httpx.post(
            f"{self.base_url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.keys[Role.ADMIN]}"},
            timeout=60,
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    def import_demo(self) -> None:
        for document in demo_documents():
            payload = self.graphql(IMPORT_MUTATION, document)["accountGraphImport"]
            assert payload["userErrors"] == []
            name = document["input"]["account"]["name"]
            self.demo[name] = document["input"]
            self.account_ids[name] = payload["account"]["id"]


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The whole app (lifespan included) under uvicorn on a free 127.0.0.1 port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


@pytest.fixture(scope="module")
def served_app(built_page: Path, neo4j_server: Neo4jServer) -> Iterator[str]:
    """The app's base URL; which workspace a request sees comes from its key alone."""
    settings = Settings(
        neo4j_uri=neo4j_server.uri,
        neo4j_user=neo4j_server.user,
        neo4j_password=neo4j_server.password,
        workspace_id=f"{os.environ.get(RUN_PREFIX, 'test-')}map-server",
        load_demo=False,
        api_key_cache_seconds=300,
    )
    with serve(settings) as base_url:
        yield base_url


@pytest_asyncio.fixture
async def map_server(served_app: str, db: Database, workspace: str) -> MapServer:
    server = MapServer(served_app, workspace, await issue_keys(db, workspace))
    server.import_demo()
    return server


@pytest_asyncio.fixture(scope="module")
async def browser(built_page: Path, request: pytest.FixtureRequest) -> AsyncIterator[Browser]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log = ARTIFACTS / f"chromium-{worker}-{request.module.__name__.rsplit('.', 1)[-1]}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as env:
        # Playwright's driver reads these as it starts: it writes what chromium says on stderr to `log`, where
        # a renderer crash's report finds chromium's own reason (`chromium_said`).
        env.setenv("DEBUG", "pw:browser")
        env.setenv("DEBUG_FILE", str(log))
        playwright = await async_playwright().start()
    CHROMIUM_LOG[0] = log
    try:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()
    finally:
        await playwright.stop()


@dataclass
class Watched:
    """A page with what it did: console errors, page errors, every request."""

    page: Page
    context: BrowserContext
    test_name: str
    errors: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    step: int = 0

    async def shot(self, label: str) -> Path:
        self.step += 1
        path = ARTIFACTS / f"{self.test_name}-{self.step:02d}-{label}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=str(path))
        return path


@pytest_asyncio.fixture
async def watched(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Watched]:
    result = await open_watched(browser, request.node.name.removeprefix("test_"))
    yield result
    await result.context.close()


async def open_watched(browser: Browser, name: str) -> Watched:
    """A fresh browser context and page, watched."""
    context = await browser.new_context(viewport=VIEWPORT, accept_downloads=True)  # type: ignore[arg-type]
    context.set_default_timeout(90_000)  # a shared 2-core machine can be slow; nothing here asserts time
    page = await context.new_page()
    result = Watched(page, context, name)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            result.errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: result.errors.append(f"page error: {error}"))
    page.on("request", lambda request: result.requests.append(request))
    return result


def chromium_said(lines: int = 20) -> list[str]:
    """The last `lines` that chromium wrote on stderr, as the driver logged them (a crash's reason is among them)."""
    log = CHROMIUM_LOG[0]
    if log is None or not log.exists():
        return []
    text = log.read_text(encoding="utf-8", errors="replace")
    said = [line for line in text.splitlines() if "][err]" in line and "dbus/" not in line]  # no D-Bus here
    return said[-lines:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """A test that failed because chromium's renderer died carries chromium's own last words in its report."""
    report: pytest.TestReport = yield
    if call.excinfo is not None and "Target crashed" in str(call.excinfo.value):
        report.sections.append(("chromium said, last", "\n".join(chromium_said())))
    return report


def record_timing(name: str, value: Any) -> None:
    TIMINGS[name] = value
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps(TIMINGS, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMINGS:
        terminalreporter.write_sep("-", "map page timings (reported, not asserted)")
        for name, value in TIMINGS.items():
            terminalreporter.write_line(f"{name}: {value}")
