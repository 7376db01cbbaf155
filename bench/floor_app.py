"""The raw-Cypher floor of the side-by-side benchmark: one Cypher round trip per screen behind a minimal
ASGI endpoint (Starlette on uvicorn), answering the same JSON shape as Powermap's GraphQL response.

    POST /screens/<name>  {"ws": "<workspace>", "variables": {...}}  ->  {"data": {...}}

No GraphQL, no validation, no caches: what a hand-written endpoint per screen would cost. The people
of an account are matched with `s.name IS NOT NULL`, which lets Neo4j seek the composite index
(workspaceId, accountId, name) instead of scanning every Stakeholder in the database. Beside it, the
same two writes behind a minimal GraphQL endpoint (Strawberry, the stack Powermap must use, with its own parser
and validation caches and nothing else): what GraphQL alone adds to them.

    POST /graphql  mutation { stakeholderUpdate(input: {ws, id, notes, write}) { stakeholder { id version notes }
                                                                           userErrors { field code message } } }

`write` SET or LOGGED, or POWERMAP: Powermap's own query for the same edit (`stakeholder_edit`), with none of
its stack around it (authentication, limits, checks, extensions): what its query costs behind bare GraphQL.

Started by bench/side_by_side.py; on its own:

    FLOOR_NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/floor_app.py --port 8090
"""

from __future__ import annotations

import argparse
import enum
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import strawberry
import uvicorn
from neo4j import AsyncDriver, AsyncGraphDatabase
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

from service.graph.database import WriteState
from service.graph.writes.stakeholders import stakeholder_edit
from service.rules.access import Role
from service.rules.identity import AuditNote

DATABASE = os.environ.get("FLOOR_NEO4J_DATABASE", "neo4j")

ACCOUNT_PAGE = """
MATCH (a:Account {workspaceId: $ws, id: $id})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE s.name IS NOT NULL AND NOT s.archived
  WITH s ORDER BY s.name, s.id LIMIT 100
  RETURN collect(s {
    .id, .name, .stance, .influence, .buyingRoles,
    influences: [(s)-[r:INFLUENCES]->(t:Stakeholder) WHERE NOT t.archived | {strength: r.strength, to: {id: t.id}}],
    circles: [(s)-[m:MEMBER_OF]->(c:Circle) | {core: m.core, circle: {id: c.id, name: c.name}}],
    coveredBy: [(tm:TeamMember)-[c:COVERS]->(s) |
                {relationshipStep: c.relationshipStep, teamMember: {id: tm.id, name: tm.name}}]
  }) AS people
}
RETURN a {.id, .name, .industry, .tier, stakeholders: {nodes: people}} AS account
"""

STAKEHOLDER_DETAIL = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
RETURN s {
  .id, .name, .title, .department, .email, .phone, .level, .stance, .influence, .buyingRoles, .buyerTypes,
  .adaptability, .personality, .contactTier, .notes, .archived, .version, updatedAt: toString(s.updatedAt),
  reportsTo: head([(s)-[:REPORTS_TO]->(m:Stakeholder) WHERE NOT m.archived | {id: m.id, name: m.name}]),
  directReports: [(s)<-[:REPORTS_TO]-(r:Stakeholder) WHERE NOT r.archived | {id: r.id, name: r.name}],
  circles: [(s)-[m:MEMBER_OF]->(c:Circle) | {core: m.core, circle: {id: c.id, name: c.name}}],
  influences: [(s)-[r:INFLUENCES]->(t:Stakeholder) WHERE NOT t.archived |
               {strength: r.strength, kind: r.kind, to: {id: t.id, name: t.name}}],
  influencedBy: [(f:Stakeholder)-[r:INFLUENCES]->(s) WHERE NOT f.archived |
                 {strength: r.strength, kind: r.kind, from: {id: f.id, name: f.name}}],
  ties: [(s)-[r:TIE]-(o:Stakeholder) WHERE NOT o.archived |
         {kind: r.kind, strength: r.strength, a: {id: startNode(r).id, name: startNode(r).name},
          b: {id: endNode(r).id, name: endNode(r).name}}],
  coveredBy: [(tm:TeamMember)-[c:COVERS]->(s) |
              {relationshipStep: c.relationshipStep, relationshipType: c.relationshipType,
               teamMember: {id: tm.id, name: tm.name}}]
} AS stakeholder
"""

# The analytics' input in one round trip: the account's active people, links, circles and coverage. The
# floor stops there: computing coverage gaps or conversion targets is not a one-query job.
ANALYTICS_INPUT = """
MATCH (a:Account {workspaceId: $ws, id: $id})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE s.name IS NOT NULL AND NOT s.archived
  RETURN collect(s {.id, .name, .stance, .influence, .buyingRoles, .buyerTypes,
                    links: [(s)-[r:INFLUENCES]->(t:Stakeholder) WHERE NOT t.archived | [t.id, r.strength]],
                    circles: [(s)-[m:MEMBER_OF]->(c:Circle) | [c.id, m.core]],
                    coveredBy: [(tm:TeamMember)-[c:COVERS]->(s) | [tm.id, c.relationshipStep]]}) AS people
}
RETURN {id: a.id, stakeholders: size(people)} AS account, people
"""

WRITE_NOTES = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
SET s.notes = $notes, s.version = s.version + 1, s.updatedAt = datetime()
RETURN s {.id, .version, .notes} AS stakeholder
"""


WRITE_NOTES_LOGGED = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
WITH s, s.notes AS old
SET s.notes = $notes, s.version = s.version + 1, s.updatedAt = datetime()
CREATE (change:Change {workspaceId: $ws, id: randomUUID(), txId: $txId, seq: 0, at: datetime(), by: 'floor',
                       accountId: s.accountId, entity: 'Stakeholder', entityId: s.id, op: 'UPDATED',
                       fields: ['notes'], old: [CASE WHEN old IS NULL THEN 'null' ELSE '"' + old + '"' END],
                       new: ['"' + $notes + '"']})
CREATE (change)-[:ABOUT {workspaceId: $ws}]->(s)
WITH s
MATCH (a:Account {workspaceId: $ws, id: s.accountId})
SET a.clock = randomUUID()
CREATE (:AuditEntry {workspaceId: $ws, id: randomUUID(), at: datetime(), by: 'floor', role: 'admin',
                     operation: 'update', outcome: 'OK', entityIds: [s.id, a.id], entityCount: 2})
MERGE (q:ChangeSequence {workspaceId: $ws})
  ON CREATE SET q.number = 0
SET q.number = q.number + 1
CREATE (:ChangeCommit {workspaceId: $ws, number: q.number, txId: $txId, at: datetime(), changes: 1})
RETURN s {.id, .version, .notes} AS stakeholder
"""
"""The same SET with the bookkeeping every Powermap write keeps in its transaction, written by hand: the change
logged about the person (its notes assumed plain text: no JSON escaping), the account's clock ticked, an audit
entry, and the next number of the workspace's change feed. No lock, no version check, no validation."""


async def account_page(driver: AsyncDriver, ws: str, variables: dict[str, Any]) -> dict[str, Any]:
    records, _, _ = await driver.execute_query(
        ACCOUNT_PAGE, ws=ws, id=variables["id"], routing_="r", database_=DATABASE
    )
    return {"account": records[0]["account"] if records else None}


async def stakeholder_detail(driver: AsyncDriver, ws: str, variables: dict[str, Any]) -> dict[str, Any]:
    records, _, _ = await driver.execute_query(
        STAKEHOLDER_DETAIL, ws=ws, id=variables["id"], routing_="r", database_=DATABASE
    )
    return {"stakeholder": records[0]["stakeholder"] if records else None}


async def analytics_input(driver: AsyncDriver, ws: str, variables: dict[str, Any]) -> dict[str, Any]:
    records, _, _ = await driver.execute_query(
        ANALYTICS_INPUT, ws=ws, id=variables["id"], routing_="r", database_=DATABASE
    )
    return {"account": records[0]["account"] if records else None}


async def _write_notes(driver: AsyncDriver, query: str, params: dict[str, Any]) -> dict[str, Any]:
    records, _, _ = await driver.execute_query(query, params, database_=DATABASE)
    stakeholder = records[0]["stakeholder"] if records else None
    return {"stakeholderUpdate": {"stakeholder": stakeholder, "userErrors": []}}


async def stakeholder_update(driver: AsyncDriver, ws: str, variables: dict[str, Any]) -> dict[str, Any]:
    return await _write_notes(driver, WRITE_NOTES, {"ws": ws, "id": variables["id"], "notes": variables["notes"]})


async def stakeholder_update_logged(driver: AsyncDriver, ws: str, variables: dict[str, Any]) -> dict[str, Any]:
    params = {"ws": ws, "id": variables["id"], "notes": variables["notes"], "txId": uuid.uuid4().hex}
    return await _write_notes(driver, WRITE_NOTES_LOGGED, params)


SCREENS = {
    "account-page": account_page,
    "stakeholder-detail": stakeholder_detail,
    "analytics-input": analytics_input,
    "stakeholder-update": stakeholder_update,
    "stakeholder-update-logged": stakeholder_update_logged,
}


@strawberry.type
class FloorStakeholder:
    id: strawberry.ID
    version: int
    notes: str | None


@strawberry.type
class FloorUserError:
    field: list[str] | None
    code: str
    message: str


@strawberry.type
class FloorPayload:
    stakeholder: FloorStakeholder | None
    user_errors: list[FloorUserError]


@strawberry.enum
class FloorWrite(enum.Enum):
    SET = "set"
    """The bare `SET` (`WRITE_NOTES`)."""
    LOGGED = "logged"
    """With the bookkeeping, by hand (`WRITE_NOTES_LOGGED`)."""
    POWERMAP = "powermap"
    """Powermap's own query for the edit (`stakeholder_edit`), as its use case runs it, without the checks and
    the rest of its stack around it."""


@strawberry.input
class FloorUpdateInput:
    ws: str
    id: strawberry.ID
    notes: str
    write: FloorWrite = FloorWrite.SET


@strawberry.type
class FloorQuery:
    ok: bool = True


@strawberry.type
class FloorMutation:
    @strawberry.mutation
    async def stakeholder_update(self, info: strawberry.Info, input: FloorUpdateInput) -> FloorPayload:
        driver: AsyncDriver = info.context["driver"]
        variables = {"id": input.id, "notes": input.notes}
        if input.write is FloorWrite.POWERMAP:
            stakeholder = await powermap_edit(driver, input.ws, variables)
        else:
            write = stakeholder_update_logged if input.write is FloorWrite.LOGGED else stakeholder_update
            stakeholder = (await write(driver, input.ws, variables))["stakeholderUpdate"]["stakeholder"]
        found = None if stakeholder is None else FloorStakeholder(**stakeholder)
        return FloorPayload(stakeholder=found, user_errors=[])


async def powermap_edit(driver: AsyncDriver, ws: str, variables: dict[str, Any]) -> dict[str, Any] | None:
    """Powermap's query for a notes edit with the parameters its use case gives it (`stakeholder_edit`, a fresh
    `WriteState`), run as `Database.write_one_query` runs it: one `execute_query`."""
    one = stakeholder_edit(variables["id"], {"notes": variables["notes"]}, None)
    assert one is not None
    audit = AuditNote("stakeholderUpdate", Role.ADMIN, None)
    params = one.params(WriteState(ws, "floor", datetime.now(UTC), audit=audit))
    records, _, _ = await driver.execute_query(one.query, params, database_=DATABASE)
    item = records[0]["item"]
    return None if item is None else {"id": item["id"], "version": item["version"], "notes": item.get("notes")}


class FloorGraphQL(GraphQL[dict[str, Any], None]):
    def __init__(self, driver: AsyncDriver) -> None:
        extensions = [ParserCache(maxsize=100), ValidationCache(maxsize=100)]
        super().__init__(strawberry.Schema(FloorQuery, FloorMutation, extensions=extensions), graphql_ide=None)
        self.driver = driver

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        return {"driver": self.driver}


def create_app(uri: str, user: str, password: str) -> Starlette:
    driver = AsyncGraphDatabase.driver(uri, auth=(user, password) if password else None)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await driver.verify_connectivity()
        yield
        await driver.close()

    async def screen(request: Request) -> JSONResponse:
        handler = SCREENS.get(request.path_params["name"])
        if handler is None:
            return JSONResponse({"errors": [{"message": "no such screen"}]}, status_code=404)
        body = await request.json()
        return JSONResponse({"data": await handler(driver, body["ws"], body.get("variables") or {})})

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    routes = [
        Route("/screens/{name}", screen, methods=["POST"]),
        Route("/graphql", FloorGraphQL(driver), methods=["POST"]),
        Route("/healthz", healthz),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    app = create_app(
        os.environ.get("FLOOR_NEO4J_URI", "bolt://127.0.0.1:7687"),
        os.environ.get("FLOOR_NEO4J_USER", "neo4j"),
        os.environ.get("FLOOR_NEO4J_PASSWORD", ""),
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
