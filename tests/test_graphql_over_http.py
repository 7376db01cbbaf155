"""GraphQL over HTTP: graphql-http's own audit (Node, from npm) against the service on a socket, and
the edge's limits: body size, JSON depth, request ids, media types and status codes."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.schema.http import encode_json_answer
from service.settings import Settings
from tests.conftest import GraphQLClient
from tests.live import serving
from tests.report import Measured

AUDIT_DIR = Path(__file__).resolve().parent.parent / "tools" / "graphql-http-audit"
AUDITS = 61


def audit_headers(key: str) -> list[str]:
    """Headers the audit sends with every request: an admin key of the test's workspace."""
    return ["authorization", f"Bearer {key}"]


async def run_audit(url: str, key: str) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (AUDIT_DIR / "node_modules" / "graphql-http").is_dir():
        if os.environ.get("CI"):
            pytest.fail("Node and tools/graphql-http-audit/node_modules are needed (scripts/bootstrap installs them)")
        pytest.skip("no Node, or scripts/bootstrap has not installed tools/graphql-http-audit")
    process = await asyncio.create_subprocess_exec(
        node,
        str(AUDIT_DIR / "audit.mjs"),
        url,
        *audit_headers(key),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


async def test_every_graphql_over_http_audit_passes(db: object, settings: Settings, measured: Measured) -> None:
    async with serving(settings) as (base, key):
        results = await run_audit(f"{base}/graphql", key)
    failed = [r for r in results if r["status"] != "ok"]
    measured(f"graphql-http audits: {len(results) - len(failed)} of {len(results)} ok")
    assert len(results) == AUDITS
    assert failed == []


async def test_request_errors_are_400_without_data_when_graphql_response_json_is_accepted(
    client: GraphQLClient,
) -> None:
    headers = {"accept": "application/graphql-response+json, application/json;q=0.9"}
    response = await client.http.post("/graphql", json={"query": "{ nope }"}, headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/graphql-response+json; charset=utf-8"
    assert "data" not in response.json()
    legacy = await client.http.post("/graphql", json={"query": "{ nope }"}, headers={"accept": "application/json"})
    assert (legacy.status_code, legacy.headers["content-type"]) == (200, "application/json")
    assert legacy.json()["data"] is None


async def test_field_errors_stay_200_with_graphql_response_json(client: GraphQLClient) -> None:
    headers = {"accept": "application/graphql-response+json"}
    response = await client.http.post(
        "/graphql", json={"query": '{ accounts(after: "%%%") { totalCount } }'}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"] == {"code": "INVALID_CURSOR", "field": "after"}


async def test_json_nested_100000_deep_is_a_400(client: GraphQLClient) -> None:
    body = '{"query": "{ __typename }", "variables": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = await client.http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert (response.status_code, response.text) == (400, "The JSON body is nested deeper than 64 levels.")


async def test_json_nested_just_past_the_limit_is_a_400_and_at_the_limit_is_served(client: GraphQLClient) -> None:
    def body(depth: int) -> str:  # the body object itself is level 1, variables 2, "a" 3...
        inner = "[" * (depth - 2) + "]" * (depth - 2)
        return '{"query": "{ __typename }", "variables": {"a": ' + inner + "}}"

    headers = {"content-type": "application/json"}
    deep = await client.http.post("/graphql", content=body(65), headers=headers)
    assert deep.status_code == 400
    fine = await client.http.post("/graphql", content=body(64), headers=headers)
    assert (fine.status_code, fine.json()["data"]) == (200, {"__typename": "Query"})


async def test_a_body_that_is_not_json_is_a_400(client: GraphQLClient) -> None:
    for body in ('{"query": "{ __typename }"', '{"query": "{ __typename }", "variables": {"x": NaN}}', '"\\ud800"'):
        response = await client.http.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert (response.status_code, response.text) == (400, "Unable to parse request body as JSON"), body


async def test_answers_are_compact_utf8_json_even_past_64_bit_integers() -> None:
    answer = {"data": {"name": '采购部 "总监"\n', "n": [1, 2.5, None, True]}}
    assert encode_json_answer(answer) == json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
    assert encode_json_answer({"data": {"value": 2**70}}) == b'{"data":{"value":1180591620717411303424}}'


async def test_bodies_over_the_limit_get_413_whether_declared_or_streamed(db: object, settings: Settings) -> None:
    small = settings.model_copy(update={"max_body_bytes": 10_000})
    payload = json.dumps({"query": "{ __typename }", "variables": {"x": "a" * 20_000}}).encode()

    async def chunks() -> Any:
        for start in range(0, len(payload), 4_096):
            yield payload[start : start + 4_096]

    async with (
        serving(small) as (base, key),
        httpx.AsyncClient(base_url=base, headers={"authorization": f"Bearer {key}"}) as http,
    ):
        declared = await http.post("/graphql", content=payload, headers={"content-type": "application/json"})
        streamed = await http.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
        fine = await http.post("/graphql", json={"query": "{ __typename }"})
    message = "The request body is larger than 10000 bytes."
    assert (declared.status_code, declared.json()) == (413, {"errors": [{"message": message}]})
    assert (streamed.status_code, streamed.json()) == (413, {"errors": [{"message": message}]})
    assert fine.status_code == 200


async def test_request_id_is_echoed_or_generated(client: GraphQLClient) -> None:
    given = await client.http.post("/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "job-42.7"})
    assert given.headers["x-request-id"] == "job-42.7"
    generated = await client.http.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    odd = await client.http.get("/healthz", headers={"x-request-id": "has spaces"})
    assert len(odd.headers["x-request-id"]) == 32
    long = await client.http.get("/healthz", headers={"x-request-id": "x" * 129})
    assert len(long.headers["x-request-id"]) == 32
