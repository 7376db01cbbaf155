"""Test fixtures: a real Neo4j, chosen in this order:

1. `NEO4J_URI` from the environment (with `NEO4J_USER` / `NEO4J_PASSWORD`);
2. a testcontainers Neo4j when a Docker daemon answers;
3. the project's local Neo4j (`service.local_neo4j`), fetched from Maven Central.

With `CI` set, a missing database fails the run; database tests are never skipped there.
The graph is emptied before each test that uses it; constraints and indexes stay.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

from service.entrypoints.app import create_app
from service.graph.database import Database
from service.graph.driver import QUERIES, create_driver
from service.graph.migrations import apply_migrations
from service.local_neo4j import NEO4J_VERSION, LocalNeo4j, LocalNeo4jError, free_port
from service.settings import Settings

pytest_plugins = ("tests.report",)  # the `measured` fixture and the summary of measured figures

WORKSPACE = "test-workspace"
TEST_PASSWORD = "powermap-test-password"
RESET = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


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
        yield Neo4jServer(server.uri, "neo4j", "", local=server)
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
    """Posts GraphQL operations to the app in-process, as a front end would over HTTP."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

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


@pytest_asyncio.fixture
async def client(db: Database, settings: Settings) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:
            yield GraphQLClient(http)


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
