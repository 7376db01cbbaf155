"""Test fixtures: one real Neo4j for the whole run, and a workspace of its own for every test.

The database, chosen in this order:

1. `NEO4J_URI` from the environment (with `NEO4J_USER` / `NEO4J_PASSWORD`);
2. a testcontainers Neo4j when a Docker daemon answers;
3. the local Neo4j of the development tooling (`powermap_devtools.local_neo4j`), from Maven Central.

Under pytest-xdist the controller provides it once for all workers (`pytest_configure`): it starts
the local server in a thread while the workers start and collect, and a worker waits for it when its
first test needs the database (so a run of pure tests never does); `NEO4J_URI` and testcontainers are
set up before the workers start. With `-n 0` the session fixture starts it on first use. Nothing is
wiped between tests: each test works in a fresh workspace (`workspace`), so tests that run at the
same time never see each other's data. When the database came from `NEO4J_URI`, the run's workspaces
are deleted at the end.

With `CI` set, a missing database fails the run, and so does any skipped test (`tests/ci_policy.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, LiteralString, NoReturn

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from fastapi.dependencies import models as fastapi_dependencies
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from neo4j.exceptions import DriverError, Neo4jError

from service.entrypoints.app import create_app
from service.graph.database import Database
from service.graph.driver import QUERIES, create_driver
from service.graph.migrations import apply_migrations
from service.rules.access import Role
from service.schema import PowermapSchema
from service.schema.limits import CheckedValidationCache
from service.settings import Settings
from service.usecases.identity import provision_key
from tests.ci_policy import in_ci, pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401 (hooks)

pytest_plugins = ("tests.report",)  # the `measured` fixture and the summary of measured figures

TEST_PASSWORD = "powermap-test-password"
RUN_PREFIX = "POWERMAP_TEST_RUN"
"""Environment: the prefix of this run's workspace ids, set once by the controller."""
NO_DATABASE = "POWERMAP_TEST_NO_NEO4J"
"""Environment: why the controller could not start a database (the workers skip, or fail in CI)."""
LOCK_DIR = "POWERMAP_TEST_LOCK_DIR"
"""Environment: the run's scratch folder (the background server's file); unset with one process."""
SERVER_FILE = "POWERMAP_TEST_NEO4J_FILE"
"""Environment: the file where the controller's background start writes the server, or why it failed."""
WAIT_FOR_SERVER_SECONDS = 900.0
"""A hang guard for a worker waiting on the controller's server (a first run also fetches the jars)."""
DELETE_WORKSPACES: LiteralString = """
MATCH (n) WHERE n.workspaceId STARTS WITH $prefix
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""
RUN_STATE = pytest.StashKey[contextlib.ExitStack]()

# No property test may fail for being slow: workers share two cores with each other and the database.
hypothesis_settings.register_profile("powermap", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("powermap")
ACCOUNT_DATA = "NOT n:AuditEntry AND NOT n:ApiKey AND NOT n:Workspace"
"""Cypher: `n` is account data, not the audit log or identity (what "writes nothing" is about)."""


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str


class Neo4jUnavailable(RuntimeError):
    """No database could be found or started; the message says why."""


def _docker_available() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def _launcher() -> ModuleType:
    try:
        from powermap_devtools import local_neo4j
    except ImportError as error:
        raise Neo4jUnavailable(f"the development tooling is not installed (scripts/bootstrap): {error}") from error
    return local_neo4j


@contextlib.contextmanager
def running_neo4j() -> Iterator[Neo4jServer]:
    """The run's database (see the module docstring), stopped on exit if it was started here."""
    if uri := os.environ.get("NEO4J_URI"):
        yield Neo4jServer(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        return
    launcher = _launcher()
    if _docker_available():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer(f"neo4j:{launcher.NEO4J_VERSION}-community", password=TEST_PASSWORD) as container:
            yield Neo4jServer(container.get_connection_url(), "neo4j", TEST_PASSWORD)
        return
    try:
        server = launcher.LocalNeo4j(port=launcher.free_port()).start()
    except launcher.LocalNeo4jError as error:
        raise Neo4jUnavailable(str(error)) from error
    try:
        yield Neo4jServer(server.uri, server.user, server.password)
    finally:
        server.stop()


class BackgroundNeo4j:
    """The local server for the workers, started in a thread so that they start and collect meanwhile.
    The outcome goes to `file` as JSON: the server's address, or the error."""

    def __init__(self, file: Path) -> None:
        launcher = _launcher()
        self.file = file
        self.server = launcher.LocalNeo4j(port=launcher.free_port())
        self.migrating = threading.Event()
        self.thread = threading.Thread(target=self._start, name="neo4j-start", daemon=True)
        self.thread.start()

    def _start(self) -> None:
        outcome: dict[str, str]
        try:
            self.server.start()
            server = Neo4jServer(self.server.uri, self.server.user, self.server.password)
            self.migrating.set()
            asyncio.run(_migrate(server))
            outcome = {"uri": server.uri, "user": server.user, "password": server.password}
        except Exception as error:  # whatever it is, the workers must hear of it rather than wait
            outcome = {"error": f"{type(error).__name__}: {error}"}
        partial = self.file.with_suffix(".partial")
        partial.write_text(json.dumps(outcome), encoding="utf-8")
        partial.rename(self.file)

    def stop(self) -> None:
        """Also while it is still starting (a run of pure tests ends first): killing the process ends
        the wait. Its data is thrown away, so no clean shutdown; its logs are kept (`KEPT_LOGS`)."""
        if not self.migrating.is_set():
            self.server.kill()
        self.thread.join()
        if self.server.home is not None:
            _keep_logs(self.server.home / "logs")
        self.server.kill()
        self.server.stop()


KEPT_LOGS = Path(__file__).resolve().parents[1] / ".cache" / "test-neo4j-logs"
"""The shared server's logs (`debug.log`: its pauses, slow queries, errors) of the last run. Its folder goes
with it, and a run that failed on the database is diagnosed from them."""


def _keep_logs(logs: Path) -> None:
    shutil.rmtree(KEPT_LOGS, ignore_errors=True)
    with contextlib.suppress(OSError):
        shutil.copytree(logs, KEPT_LOGS)


def _server_from(file: Path) -> Neo4jServer:
    """The controller's server, once its background start has written `file`."""
    deadline = time.monotonic() + WAIT_FOR_SERVER_SECONDS
    while not file.exists():
        if time.monotonic() > deadline:
            unavailable(f"the controller did not start Neo4j within {WAIT_FOR_SERVER_SECONDS:.0f} s")
        time.sleep(0.2)
    outcome = json.loads(file.read_text(encoding="utf-8"))
    if "error" in outcome:
        unavailable(f"no Neo4j: {outcome['error']}")
    return Neo4jServer(outcome["uri"], outcome["user"], outcome["password"])


def unavailable(reason: str) -> NoReturn:
    """Skip a test that cannot run here; in CI, fail it."""
    if in_ci():
        pytest.fail(f"cannot run in CI: {reason}")
    pytest.skip(reason)


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _starts_workers(config: pytest.Config) -> bool:
    return getattr(config.option, "dist", "no") != "no"


def pytest_configure(config: pytest.Config) -> None:
    """In the process that runs the session (the xdist controller, or pytest with `-n 0`)."""
    if _is_worker(config):
        return
    os.environ.setdefault(RUN_PREFIX, f"test-{uuid.uuid4().hex[:8]}-")
    run = contextlib.ExitStack()
    config.stash[RUN_STATE] = run
    if config.option.collectonly:
        return
    if "NEO4J_URI" in os.environ:
        run.callback(_delete_run_workspaces, os.environ[RUN_PREFIX])
    if not _starts_workers(config):
        return
    lock_dir = tempfile.mkdtemp(prefix="powermap-test-locks-")
    run.callback(shutil.rmtree, lock_dir, ignore_errors=True)
    os.environ[LOCK_DIR] = lock_dir
    try:
        if "NEO4J_URI" not in os.environ and not _docker_available():
            os.environ[SERVER_FILE] = str(Path(lock_dir) / "neo4j.json")
            run.callback(BackgroundNeo4j(Path(os.environ[SERVER_FILE])).stop)
            return
        server = run.enter_context(running_neo4j())
        asyncio.run(_migrate(server))
    except (Neo4jUnavailable, DriverError, Neo4jError) as error:
        os.environ[NO_DATABASE] = str(error)
        return
    os.environ.update(NEO4J_URI=server.uri, NEO4J_USER=server.user, NEO4J_PASSWORD=server.password)


async def _migrate(server: Neo4jServer) -> None:
    """Once, before the workers need the database: on a fresh one, two `CREATE INDEX ... IF NOT EXISTS`
    of one index at the same time can fail (EquivalentSchemaRuleAlreadyExists); once the schema exists,
    the workers' and apps' own migrations find everything there."""
    driver = create_driver(server.uri, server.user, server.password)
    try:
        await apply_migrations(driver, "neo4j")
    finally:
        await driver.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first, so that under xdist the longest one starts at once instead of ending the run late."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_unconfigure(config: pytest.Config) -> None:
    if (run := config.stash.get(RUN_STATE, None)) is not None:
        run.close()


def _delete_run_workspaces(prefix: str) -> None:
    """Leave a database we were given as we found it: without this run's workspaces."""
    from neo4j import GraphDatabase

    password = os.environ.get("NEO4J_PASSWORD", "")
    auth = (os.environ.get("NEO4J_USER", "neo4j"), password) if password else None
    try:
        with GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth) as driver, driver.session() as session:
            session.run(DELETE_WORKSPACES, prefix=prefix).consume()
    except (DriverError, Neo4jError) as error:
        warnings.warn(f"could not delete this run's workspaces ({prefix}*): {error}", stacklevel=1)


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    if reason := os.environ.get(NO_DATABASE):
        unavailable(f"no Neo4j: {reason}")
    if file := os.environ.get(SERVER_FILE):
        yield _server_from(Path(file))
        return
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(running_neo4j())
        except Neo4jUnavailable as error:
            unavailable(f"no Neo4j: {error}")
        yield server


@pytest_asyncio.fixture(scope="session")
async def database(neo4j_server: Neo4jServer) -> AsyncIterator[Database]:
    driver = create_driver(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    await driver.verify_connectivity()
    await apply_migrations(driver, "neo4j")
    db = Database(driver, "neo4j")
    yield db
    await db.close()


PROCESS_WIDE_CACHES = (
    fastapi_dependencies._is_gen_callable_cached,
    fastapi_dependencies._is_async_gen_callable_cached,
    fastapi_dependencies._is_coroutine_callable_cached,
    CheckedValidationCache().cached_validate_document,
    PowermapSchema.get_type_by_name,
    PowermapSchema.get_directive_by_name,
)
"""Bounded caches that live as long as the process and hold whatever they were called with: FastAPI's record of
how it classified each endpoint (4,096 entries each; through the GraphQL router's endpoints, whole schemas),
Strawberry's validation results (128, keyed by schema) and lookups by name (128, keyed by schema). A served
process builds one schema; the suite builds one per test, and a worker that kept hundreds alive spent up to 10 s
in each full garbage collection late in a run, which stalled its apps' outage probes too. The FastAPI caches
are private to it: should they move, this module fails to import, and should another cache start holding apps,
`test_app_lifetime.py` fails, rather than letting the leak come back unnoticed."""


def forget_built_apps() -> None:
    for cache in PROCESS_WIDE_CACHES:
        cache.cache_clear()


@pytest.fixture(autouse=True)
def _built_apps_are_freed() -> Iterator[None]:
    yield
    forget_built_apps()


@pytest_asyncio.fixture
async def db(database: Database) -> Database:
    """The database every test shares; a test keeps to its own `workspace` there."""
    return database


@pytest.fixture
def workspace() -> str:
    """The workspace this test works in, fresh for every test: the one place the choice is made."""
    return f"{os.environ.get(RUN_PREFIX, 'test-')}{uuid.uuid4().hex[:12]}"


@pytest.fixture
def other_workspace(workspace: str) -> str:
    """A second workspace of this test's own, for data that must stay invisible from `workspace`."""
    return f"{workspace}-other"


@pytest.fixture
def settings(neo4j_server: Neo4jServer, workspace: str) -> Settings:
    return Settings(
        neo4j_uri=neo4j_server.uri,
        neo4j_user=neo4j_server.user,
        neo4j_password=neo4j_server.password,
        workspace_id=workspace,
        load_demo=False,
        readiness_timeout_seconds=10,  # the most it may be: on a loaded machine a ping can take a while
        api_key_cache_seconds=300,  # round-trip counts must not depend on how long a test takes
        analytics_timeout_seconds=300,  # a deadline is no assertion: a loaded machine must not fail a test
        db_acquisition_timeout_seconds=60,  # a generated query of hundreds of fields waits for connections
    )


class GraphQLClient:
    """Posts GraphQL operations to the app in-process, as a front end would over HTTP, with its API key."""

    def __init__(self, http: httpx.AsyncClient, key: str | None = None) -> None:
        self.http = http
        self.key = key
        if key is not None:
            http.headers["Authorization"] = f"Bearer {key}"

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a response that must have no errors."""
        body = await self.execute(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


ClientFactory = Callable[..., Awaitable[GraphQLClient]]


@contextlib.asynccontextmanager
async def admin_of_own_app(settings: Settings, workspace: str, name: str) -> AsyncIterator[GraphQLClient]:
    """An admin of `workspace` (a key called `name`) on an app of its own for `settings`, started: another
    process as far as the caches go."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        created = await provision_key(application.state.services, workspace, Role.ADMIN, name)
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:
            yield GraphQLClient(http, created.secret)


@pytest_asyncio.fixture
async def app(db: Database, settings: Settings) -> AsyncIterator[FastAPI]:
    """The app, started (its lifespan entered) against the test's database."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest_asyncio.fixture
async def clients(app: FastAPI, workspace: str) -> AsyncIterator[ClientFactory]:
    """`await clients(role=Role.ADMIN, workspace=None)`: a client of its own with a new key of that role, in
    the test's workspace unless another is named."""
    opened: list[httpx.AsyncClient] = []

    async def make(role: Role = Role.ADMIN, workspace_id: str | None = None) -> GraphQLClient:
        created = await provision_key(app.state.services, workspace_id or workspace, role, f"test {role.value}")
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://powermap.test")
        opened.append(http)
        return GraphQLClient(http, created.secret)

    yield make
    for http in opened:
        await http.aclose()


@pytest_asyncio.fixture
async def client(clients: ClientFactory) -> GraphQLClient:
    """An admin of the test's workspace, with its own API key."""
    return await clients()


@pytest_asyncio.fixture
async def cli_settings(db: Database, settings: Settings, workspace: str) -> Settings:
    """The settings of a command-line job: an integration key of the test's workspace in `api_key`."""
    from pydantic import SecretStr

    from service.usecases.services import Services

    created = await provision_key(Services(db), workspace, Role.INTEGRATION, "command line")
    return settings.model_copy(update={"api_key": SecretStr(created.secret)})


@pytest.fixture
def query_count() -> QueryCounterView:
    return QueryCounterView()


class QueryCounterView:
    """Cypher round trips since the fixture was created."""

    def __init__(self) -> None:
        self.start = QUERIES.count

    @property
    def value(self) -> int:
        return QUERIES.count - self.start

    def reset(self) -> None:
        self.start = QUERIES.count
