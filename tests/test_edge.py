"""The edge against abuse: graphql-cop's probes and OWASP's GraphQL denial-of-service shapes, each refused
and naming what refused it; identity on every request; CORS; rate limits; production mode.

The probes are graphql-cop's (dolevf/graphql-cop, lib/tests): each sends what the tool sends and checks
that what the tool looks for is not there. How fast each refusal is, is `bench/edge_bench.py`'s to print.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from service.entrypoints.app import create_app
from service.graph.database import Database
from service.rules.access import Role
from service.settings import Settings
from service.usecases.identity import provision_key
from tests.conftest import ClientFactory, GraphQLClient, admin_of_own_app

DOS_SHAPES: dict[str, str] = {
    # graphql-cop: dos_alias_overloading (101 aliases)
    "alias overload": "query { " + " ".join(f"alias{i}:__typename" for i in range(101)) + " }",
    # graphql-cop: dos_field_duplication (500 repeats)
    "field duplication": "query { " + "__typename " * 500 + "}",
    # graphql-cop: dos_directive_overloading
    "directive overload": "query { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }",
    # graphql-cop: dos_circular_fragment
    "circular fragments": "query { __schema { ...A } } fragment A on __Schema { __typename ...B } "
    "fragment B on __Schema { ...A }",
    # graphql-cop: dos_circular_introspection
    "circular introspection": "query { __schema { types { fields { type { fields { type { fields { type { fields "
    "{ type { name } } } } } } } } } } }",
    # OWASP: deep nesting
    "deep nesting": '{ stakeholder(id: "x") { ' + "reportsTo { " * 40 + "id" + " }" * 40 + " } }",
    # OWASP: a fragment bomb (each level spreads the one below ten times)
    "fragment bomb": "query { accounts { nodes { ...F0 } } } "
    + " ".join(f"fragment F{i} on Account {{ {' '.join([f'...F{i + 1}'] * 10)} }}" for i in range(5))
    + " fragment F5 on Account { id }",
    # OWASP: a costly nest of connections
    "cost": "{ accounts(first: 100) { nodes { stakeholders(first: 100) { nodes { influences { to { influences "
    "{ to { id } } } } } } } } }",
}
REFUSED_WITH: dict[str, str] = {
    "alias overload": "maxAliases",
    "field duplication": "maxFieldRepeats",
    "directive overload": "maxDirectivesPerLocation",
    "circular fragments": "NoFragmentCycles",
    "circular introspection": "maxCost",
    "deep nesting": "maxDepth",
    "fragment bomb": "maxFields",
    "cost": "maxCost",
}


def _messages(body: dict[str, Any]) -> list[str]:
    return [e["message"] for e in body.get("errors") or []]


@pytest.mark.parametrize("shape", sorted(DOS_SHAPES))
async def test_denial_of_service_shapes_are_refused_before_they_run(client: GraphQLClient, shape: str) -> None:
    body = await client.execute(DOS_SHAPES[shape])
    assert body.get("data") is None
    errors = body["errors"]
    if REFUSED_WITH[shape] == "NoFragmentCycles":  # the validator's own rule: one error, naming the cycle
        assert _messages(body) == ["Cannot spread fragment 'A' within itself via 'B'."]
    else:
        assert len(errors) == 1
        assert errors[0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert errors[0]["extensions"]["limit"] == REFUSED_WITH[shape]
        assert f"the limit {REFUSED_WITH[shape]} (POWERMAP_" in errors[0]["message"]


async def test_a_batch_of_operations_is_refused(client: GraphQLClient) -> None:
    # graphql-cop: dos_batch (an array of 11 operations)
    response = await client.http.post("/graphql", json=[{"query": "query { __typename }"}] * 11)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BATCH_REFUSED"


async def test_a_query_over_get_is_answered_with_a_key(client: GraphQLClient, workspace: str) -> None:
    # GraphQL over HTTP: query, variables and operationName in the URL
    params = {
        "query": "query Other { __typename } query Me($first: Int!) { me { role workspace { id } } "
        "accounts(first: $first) { totalCount } }",
        "variables": '{"first": 5}',
        "operationName": "Me",
    }
    response = await client.http.get("/graphql", params=params, headers={"x-request-id": "get-1"})
    assert (response.status_code, response.headers["content-type"]) == (200, "application/json")
    assert response.headers["x-request-id"] == "get-1"
    body = response.json()
    assert body["data"] == {"me": {"role": "ADMIN", "workspace": {"id": workspace}}, "accounts": {"totalCount": 0}}
    by_post = await client.http.post(
        "/graphql", json={"query": params["query"], "variables": {"first": 5}, "operationName": "Me"}
    )
    assert body == by_post.json()  # the cost in `extensions` included


async def test_a_query_over_get_without_a_key_is_401(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as anonymous:
        for accept in ("application/json", "text/html"):  # a browser's GET with an operation is no IDE page
            response = await anonymous.get("/graphql", params={"query": "{ __typename }"}, headers={"accept": accept})
            assert response.status_code == 401
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert response.headers["www-authenticate"].startswith('Bearer realm="powermap"')
        page = await anonymous.get("/graphql", headers={"accept": "text/html"})  # no operation: the IDE page
        assert (page.status_code, "graphiql" in page.text.lower()) == (200, True)


async def test_a_mutation_over_get_is_405_and_writes_nothing(client: GraphQLClient) -> None:
    # graphql-cop: info_get_based_mutation
    for query in ("mutation { __typename }", 'mutation { accountCreate(input: {name: "By GET"}) { account { id } } }'):
        for accept in ("application/json", "application/graphql-response+json"):
            response = await client.http.get("/graphql", params={"query": query}, headers={"accept": accept})
            assert response.status_code == 405
            assert response.headers["allow"] == "POST"
            assert response.json() == {
                "errors": [
                    {
                        "message": "Only queries are accepted over GET; send mutations as a POST with a JSON body.",
                        "extensions": {"code": "METHOD_NOT_ALLOWED"},
                    }
                ]
            }
    assert await client.data("{ accounts(first: 1) { totalCount } }") == {"accounts": {"totalCount": 0}}


async def test_other_methods_are_405(client: GraphQLClient) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = await client.http.request(method, "/graphql", json={"query": "{ __typename }"})
        assert (response.status_code, response.headers["allow"]) == (405, "GET, POST")
        assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize("shape", ["cost", "deep nesting", "alias overload"])
async def test_a_query_over_get_past_a_limit_is_refused_as_a_post_is(client: GraphQLClient, shape: str) -> None:
    by_get = await client.http.get("/graphql", params={"query": DOS_SHAPES[shape]})
    by_post = await client.http.post("/graphql", json={"query": DOS_SHAPES[shape]})
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.json() == by_post.json()
    assert by_get.json()["data"] is None
    assert [e["extensions"]["limit"] for e in by_get.json()["errors"]] == [REFUSED_WITH[shape]]


async def test_a_query_over_get_is_refused_fields_its_role_may_not_read(clients: ClientFactory) -> None:
    integration = await clients(Role.INTEGRATION)
    query = '{ stakeholder(id: "U3Rha2Vob2xkZXI6eA") { name stance } }'
    by_get = await integration.http.get("/graphql", params={"query": query})
    by_post = await integration.http.post("/graphql", json={"query": query})
    assert by_get.json() == by_post.json()
    assert by_get.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"])
async def test_posts_that_are_not_json_are_refused(client: GraphQLClient, content_type: str) -> None:
    # graphql-cop: info_post_based_csrf (a url-encoded POST), and the other shapes a browser form can send
    response = await client.http.post(
        "/graphql", content='{"query": "query { __typename }"}', headers={"content-type": content_type}
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_no_trace_and_no_stack_in_errors(client: GraphQLClient) -> None:
    # graphql-cop: info_trace_mode and info_unhandled_error
    for query in ("query { __typename }", "qwerty cop { abc }"):
        body = await client.execute(query)
        text = str(body).lower()
        assert tuple(w for w in ("tracing", "stacktrace", "exception") if w not in text) == (
            "tracing",
            "stacktrace",
            "exception",
        )
    assert (await client.execute("qwerty cop { abc }"))["errors"][0]["message"].startswith("Syntax Error")


@pytest_asyncio.fixture
async def production(settings: Settings, db: Database, workspace: str) -> AsyncIterator[GraphQLClient]:
    async with admin_of_own_app(settings.model_copy(update={"env": "production"}), workspace, "production") as client:
        yield client


async def test_production_turns_off_introspection_suggestions_and_the_ide(production: GraphQLClient) -> None:
    # graphql-cop: info_introspect, info_field_suggestions, info_graphiql
    introspection = await production.execute("query { __schema { types { name fields { name } } } }")
    assert introspection.get("data") is None
    assert "introspection" in _messages(introspection)[0].lower()
    suggestion = await production.execute("query { __schema { directive } }")
    assert all("Did you mean" not in message for message in _messages(suggestion))
    typo = await production.execute("{ acount(id: 1) { id } }")
    assert _messages(typo) == ["Cannot query field 'acount' on type 'Query'."]
    for path in ("/graphiql", "/playground", "/console", "/graphql"):
        page = await production.http.get(path, headers={"accept": "text/html"})
        assert page.status_code in (401, 404, 405)
        assert "graphiql" not in page.text.lower()
        assert "playground" not in page.text.lower()


async def test_outside_production_introspection_and_the_ide_work(client: GraphQLClient) -> None:
    body = await client.data("query { __schema { queryType { name } } }")
    assert body == {"__schema": {"queryType": {"name": "Query"}}}
    page = await client.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_every_request_but_the_open_ones_needs_an_identity(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as anonymous:
        for path in ("/healthz", "/readyz"):
            assert (await anonymous.get(path)).status_code == 200
        response = await anonymous.post("/graphql", json={"query": "{ __typename }"})
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith('Bearer realm="powermap"')
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await anonymous.get("/anything-else")).status_code == 401
        for wrong in ("Basic dXNlcjpwYXNz", "Bearer ", "Bearer pm_notakey", "Bearer not.a.jwt"):
            response = await anonymous.post(
                "/graphql", json={"query": "{ __typename }"}, headers={"authorization": wrong}
            )
            assert response.status_code == 401, wrong


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"cors_origins": ["https://app.example.com"]})


async def test_cors_lets_in_only_the_configured_origins(client: GraphQLClient) -> None:
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "authorization"}
    allowed = await client.http.options("/graphql", headers={"origin": "https://app.example.com", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    refused = await client.http.options("/graphql", headers={"origin": "https://evil.example.com", **preflight})
    assert "access-control-allow-origin" not in refused.headers
    answer = await client.http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://app.example.com"}
    )
    assert answer.headers["access-control-allow-origin"] == "https://app.example.com"


async def test_a_key_over_its_rate_limit_gets_429_with_retry_after(
    settings: Settings, db: Database, workspace: str
) -> None:
    app = create_app(settings.model_copy(update={"rate_limit": "3/minute", "auth_failure_rate_limit": "2/minute"}))
    async with app.router.lifespan_context(app):
        created = await provision_key(app.state.services, workspace, Role.VIEWER, "limited")
        other = await provision_key(app.state.services, workspace, Role.VIEWER, "another")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as http:

            async def ask(key: str) -> httpx.Response:
                headers = {"authorization": f"Bearer {key}"}
                return await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

            assert [(await ask(created.secret)).status_code for _ in range(4)] == [200, 200, 200, 429]
            limited = await ask(created.secret)
            assert limited.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED", "limit": "rateLimit"}
            assert 1 <= int(limited.headers["retry-after"]) <= 60
            assert (await ask(other.secret)).status_code == 200  # per key
            by_get = await provision_key(app.state.services, workspace, Role.VIEWER, "by GET")
            headers = {"authorization": f"Bearer {by_get.secret}"}
            gets = [await http.get("/graphql", params={"query": "{ __typename }"}, headers=headers) for _ in range(2)]
            assert [r.status_code for r in gets] == [200, 200]
            assert [(await ask(by_get.secret)).status_code for _ in range(2)] == [200, 429]  # one window for both
            failures = [(await ask("pm_" + "0" * 36)).status_code for _ in range(3)]
            assert failures == [401, 401, 429]
