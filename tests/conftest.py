"""Test fixtures: a real Neo4j, chosen in this order:

1. `NEO4J_URI` from the environment (with `NEO4J_USER` / `NEO4J_PASSWORD`);
2. a testcontainers Neo4j when a Docker daemon answers;
3. the project's local Neo4j (`service.local_neo4j`), fetched from Maven Central.

With `CI` set, a missing database fails the run; database tests are never skipped there.
The graph is emptied before each test that uses it; constraints and indexes stay.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from service.entrypoints.app import create_app
from service.graph.database import Database
from service.graph.driver import QUERIES, create_driver
from service.graph.migrations import apply_migrations
from service.local_neo4j import NEO4J_VERSION, LocalNeo4j, LocalNeo4jError, free_port
from service.rules.access import Role
from service.settings import Settings
from service.usecases.identity import provision_key

WORKSPACE = "test-workspace"
TEST_PASSWORD = "powermap-test-password"
RESET = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
ACCOUNT_DATA = "NOT n:AuditEntry AND NOT n:ApiKey AND NOT n:Workspace"
"""Cypher: `n` is account data, not the audit log or identity (what "writes nothing" is about)."""


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str
    local: LocalNeo4j | None = None


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


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"no Neo4j for the tests in CI: {reason}")
    pytest.skip(f"no Neo4j available: {reason}")


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    if uri := os.environ.get("NEO4J_URI"):
        yield Neo4jServer(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        return
    if _docker_available():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer(f"neo4j:{NEO4J_VERSION}-community", password=TEST_PASSWORD) as container:
            yield Neo4jServer(container.get_connection_url(), "neo4j", TEST_PASSWORD)
        return
    try:
        server = LocalNeo4j(port=free_port()).start()
    except LocalNeo4jError as error:
        _unavailable(str(error))
        return
    try:
        yield Neo4jServer(server.uri, server.user, server.password, local=server)
    finally:
        server.stop()


@pytest_asyncio.fixture(scope="session")
async def database(neo4j_server: Neo4jServer) -> AsyncIterator[Database]:
    driver = create_driver(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    await driver.verify_connectivity()
    await apply_migrations(driver, "neo4j")
    db = Database(driver, "neo4j")
    yield db
    await db.close()


@pytest_asyncio.fixture
async def db(database: Database) -> Database:
    """The database, emptied of data (constraints and indexes stay)."""
    async with database.driver.session(database=database.database) as session:
        result = await session.run(RESET)
        await result.consume()
    return database


@pytest.fixture
def workspace() -> str:
    """The workspace the test's client works in."""
    return WORKSPACE


@pytest.fixture
def settings(neo4j_server: Neo4jServer) -> Settings:
    return Settings(
        neo4j_uri=neo4j_server.uri,
        neo4j_user=neo4j_server.user,
        neo4j_password=neo4j_server.password,
        workspace_id=WORKSPACE,
        load_demo=False,
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
