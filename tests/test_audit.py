"""The audit log: one entry per mutation (who, when, which, how it ended, which entities, the request id),
read by admins only, holding no value; and no key, token or intelligence value in any log."""

from __future__ import annotations

import logging

import pytest

from service.rules.access import Role
from service.rules.identity import AUDIT_ENTITY_IDS
from tests.conftest import ClientFactory, GraphQLClient
from tests.isolation_support import canon_document, load

AUDIT = """{ auditLog(first: 100) { totalCount nodes {
  at principal role operation outcome entityIds entityCount requestId } } }"""
CREATE = """mutation($input: StakeholderCreateInput!) {
  stakeholderCreate(input: $input) { stakeholder { id } userErrors { code } } }"""
SECRET_NOTE = "prefers the rival's offer; secretly unhappy"


async def _account(client: GraphQLClient) -> str:
    await load(client, canon_document())
    data = await client.data("{ accounts(first: 1) { nodes { id } } }")
    account: str = data["accounts"]["nodes"][0]["id"]
    return account


async def test_every_mutation_leaves_an_entry_and_a_refused_one_too(clients: ClientFactory) -> None:
    admin = await clients(Role.ADMIN)
    viewer = await clients(Role.VIEWER)
    account = await _account(admin)
    created = await admin.data(CREATE, {"input": {"account": account, "name": "New Person", "notes": SECRET_NOTE}})
    refused = await viewer.data(CREATE, {"input": {"account": account, "name": "Not Allowed"}})
    assert refused["stakeholderCreate"]["userErrors"] == [{"code": "FORBIDDEN"}]
    entries = (await admin.data(AUDIT))["auditLog"]["nodes"]
    assert [(e["operation"], e["outcome"], e["role"]) for e in entries[:3]] == [
        ("stakeholderCreate", "FORBIDDEN", "VIEWER"),
        ("stakeholderCreate", "OK", "ADMIN"),
        ("accountGraphImport", "OK", "ADMIN"),
    ]
    me_admin = (await admin.data("{ me { id } }"))["me"]["id"]
    assert entries[1]["principal"] == me_admin
    person = created["stakeholderCreate"]["stakeholder"]["id"]
    assert entries[1]["entityCount"] == 2  # the person and their account
    imported = entries[2]  # names at most AUDIT_ENTITY_IDS of what it changed, and counts them all
    assert len(imported["entityIds"]) == min(imported["entityCount"], AUDIT_ENTITY_IDS) > 0
    assert SECRET_NOTE not in str(entries)
    assert person


async def test_the_entry_records_the_request_id_the_edge_gives(clients: ClientFactory) -> None:
    admin = await clients(Role.ADMIN)
    account = await _account(admin)
    body = {"query": CREATE, "variables": {"input": {"account": account, "name": "Traced"}}}
    response = await admin.http.post("/graphql", json=body, headers={"X-Request-ID": "req-1234"})
    assert response.status_code == 200
    assert "errors" not in response.json(), response.text
    entries = (await admin.data(AUDIT))["auditLog"]["nodes"]
    assert entries[0]["requestId"] == "req-1234"


async def test_only_admins_read_the_audit_log(clients: ClientFactory) -> None:
    for role in (Role.VIEWER, Role.STRATEGIST, Role.INTEGRATION):
        body = await (await clients(role)).execute(AUDIT)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_log_pages_newest_first_and_is_capped(clients: ClientFactory) -> None:
    admin = await clients(Role.ADMIN)
    account = await _account(admin)
    for index in range(3):
        await admin.data(CREATE, {"input": {"account": account, "name": f"Person {index}"}})
    page = "query($after: String) { auditLog(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { at } } }"
    first = (await admin.data(page))["auditLog"]
    second = (await admin.data(page, {"after": first["pageInfo"]["endCursor"]}))["auditLog"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["nodes"][1]["at"] >= second["nodes"][0]["at"]
    too_many = await admin.execute("{ auditLog(first: 101) { totalCount } }")
    assert too_many["errors"][0]["message"] == "`first` must be between 0 and 100, got 101."


async def test_no_key_token_or_intelligence_value_reaches_any_log(
    clients: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the service's default; its own loggers at their most talkative
    caplog.set_level(logging.DEBUG, logger="powermap")
    admin = await clients(Role.ADMIN)
    account = await _account(admin)
    await admin.data(CREATE, {"input": {"account": account, "name": "Logged Person", "notes": SECRET_NOTE}})
    created = await admin.data('mutation { apiKeyCreate(input: {name: "n", role: VIEWER}) { key } }')
    await admin.execute("{ nope }")  # a client error is logged
    await admin.http.post(
        "/graphql", json={"query": "{ me { id } }"}, headers={"authorization": "Bearer pm_" + "1" * 36}
    )
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert admin.key is not None
    for secret in (admin.key, created["apiKeyCreate"]["key"], SECRET_NOTE, "pm_" + "1" * 36):
        assert secret not in text
