"""Whole answers to the account page and the stakeholder detail are kept while the account's clock stands: only
for operations whose every field shows that account's stored data, the same answer for one tiny round trip,
and every kind of write shows in the next answer, through any process."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import graphql
import pytest
from neo4j.exceptions import ConnectionAcquisitionTimeoutError

from service.graph.availability import RETRY_AFTER_SECONDS
from service.graph.database import Database
from service.schema import response_cache
from service.schema.ids import encode_id
from service.schema.response_cache import CACHEABLE, plan_of
from service.schema.walk import fields_below, fragments_of
from tests.conftest import GraphQLClient, QueryCounterView
from tests.schema.factories import USER_ERRORS, mutate
from tests.sync.helpers import contact, upsert
from tests.test_account_import import canon
from tests.test_account_page_cache import imported_account, other_process, uncached
from tests.test_read_policy import SCHEMA as VIEW

__all__ = ["other_process"]  # the fixture, used here

PERSON = """id name title department email phone level stance influence buyingRoles buyerTypes adaptability
personality contactTier notes archived version updatedAt lastContactAt externalIds { source id }
reportsTo { id name } directReports { id name }
circles { core circle { id name color } }
influences { id strength kind topic confidence from { id } to { id name stance } }
influencedBy { id strength from { id name } to { id } }
ties { id kind strength note a { id name } b { id name } }
coveredBy { relationshipStep relationshipType lastContactAt teamMember { id name role email } stakeholder { id } }"""

PAGE = f"""query Everything($id: ID!) {{ account(id: $id) {{
  id name industry tier portfolioClass relationshipStage updatedAt cadenceDays
  stakeholders(first: 100, includeArchived: true) {{
    totalCount pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    edges {{ cursor node {{ id }} }}
    nodes {{ {PERSON} }}
  }}
}} }}"""
"""Every field the cache may keep, of the account and of each of its people."""

DETAIL = f"query Detail($id: ID!) {{ stakeholder(id: $id) {{ {PERSON} }} }}"

BULK = {
    "interactionsUpsert",
    "interactionsRemove",
    "coverageUpsert",
    "coveragesRemove",
    "teamMembersUpsert",
    "teamMembersRemove",
}

ACCOUNT_ID = encode_id("Account", "a-1")


def plan(document: str, operation: str | None = None) -> str | None:
    """The type whose clock the answer would be filed under, or None when it is not kept."""
    found = plan_of(VIEW, graphql.parse(document), operation)
    return None if found is None else found.type_name


def test_the_two_screens_select_every_field_the_cache_may_keep() -> None:
    selected = set()
    for document in (PAGE, DETAIL):
        parsed = graphql.parse(document)
        (operation,) = parsed.definitions
        assert isinstance(operation, graphql.OperationDefinitionNode)
        assert VIEW.query_type is not None
        found = fields_below(VIEW, fragments_of(parsed), VIEW.query_type, operation.selection_set)
        selected |= {(parent.name, node.name.value) for parent, node in found}
    assert selected == {(type_name, field) for type_name, fields in CACHEABLE.items() for field in fields}
    assert (plan(PAGE), plan(DETAIL)) == ("Account", "Stakeholder")


def test_the_map_pages_pages_of_people_are_kept() -> None:
    source = (Path(__file__).parents[1] / "web" / "map" / "src" / "model.ts").read_text(encoding="utf-8")
    found = re.search(r"const PEOPLE_PAGE = `(.*?)`;", source, re.DOTALL)
    assert found is not None
    assert plan(found.group(1)) == "Account"


@pytest.mark.parametrize(
    ("document", "operation"),
    [
        (f'{{ account(id: "{ACCOUNT_ID}") {{ name coverageGaps {{ kind }} }} }}', None),  # an analytic
        (f'{{ account(id: "{ACCOUNT_ID}") {{ team {{ name }} }} }}', None),  # a field not listed
        (
            f'{{ account(id: "{ACCOUNT_ID}") {{ stakeholders(first: 5, asOf: "2026-01-01T00:00:00Z") {{ totalCount }} }} }}',
            None,
        ),
        (f'{{ account(id: "{ACCOUNT_ID}") {{ name }} accounts(first: 1) {{ totalCount }} }}', None),  # two roots
        ('{ stakeholder(id: "x") { name account { name } } }', None),  # leads to the account's other fields
        ('{ stakeholder(id: "x") { ... on Node { id } } }', None),  # through an interface
        ('{ node(id: "x") { id } }', None),
        (f'mutation {{ accountUpdate(input: {{id: "{ACCOUNT_ID}"}}) {{ account {{ name }} }} }}', None),
        (
            f'query A {{ account(id: "{ACCOUNT_ID}") {{ name }} }} query B {{ account(id: "x") {{ team {{ id }} }} }}',
            "B",
        ),
    ],
)
def test_an_operation_that_may_show_anything_else_is_not_kept(document: str, operation: str | None) -> None:
    assert plan(document, operation) is None


def test_fragments_and_the_chosen_operation_are_followed() -> None:
    with_fragment = f"""query Q {{ account(id: "{ACCOUNT_ID}") {{ ...A }} }}
        fragment A on Account {{ name stakeholders(first: 2) {{ nodes {{ ... on Stakeholder {{ name }} }} }} }}"""
    assert plan(with_fragment) == "Account"
    two = f'query A {{ account(id: "{ACCOUNT_ID}") {{ name }} }} query B {{ account(id: "x") {{ team {{ id }} }} }}'
    assert plan(two, "A") == "Account"


def test_the_id_is_read_from_a_literal_or_a_variable_and_must_name_the_type() -> None:
    literal = plan_of(VIEW, graphql.parse(f'{{ account(id: "{ACCOUNT_ID}") {{ name }} }}'), None)
    variable = plan_of(VIEW, graphql.parse("query($id: ID!) { account(id: $id) { name } }"), None)
    assert literal is not None
    assert variable is not None
    assert literal.raw_id(None) == "a-1"
    assert variable.raw_id({"id": ACCOUNT_ID}) == "a-1"
    assert variable.raw_id({"id": encode_id("Stakeholder", "a-1")}) is None
    assert variable.raw_id({"id": "not an id"}) is None
    assert variable.raw_id({}) is None


async def test_a_kept_answer_costs_one_round_trip_and_is_the_answer_as_executed(
    client: GraphQLClient, db: Database, workspace: str, query_count: QueryCounterView
) -> None:
    account = await imported_account(client)
    as_stored = uncached(db, workspace)
    person = (await as_stored(PAGE, {"id": account}))["account"]["stakeholders"]["nodes"][0]["id"]
    screens = [
        (PAGE, {"id": account}, 5),  # the clock; the page of people; their count; last contacts; external ids
        (DETAIL, {"id": person}, 4),  # the clock; the person with what is around them; last contact; external ids
    ]
    for document, variables, executed in screens:
        query_count.reset()
        first = await client.data(document, variables)
        assert query_count.value == executed
        query_count.reset()
        assert await client.data(document, variables) == first
        assert query_count.value == 1  # the clock only
        assert first == await as_stored(document, variables)

    not_kept = "query($id: ID!) { account(id: $id) { name team { name } } }"
    counts = []
    for _ in range(2):
        query_count.reset()
        await client.data(not_kept, {"id": account})
        counts.append(query_count.value)
    assert counts == [2, 2]  # the account, its team: no clock, and executed each time


async def test_every_kind_of_write_through_another_process_shows_in_the_next_answer(
    client: GraphQLClient, other_process: GraphQLClient, db: Database, workspace: str
) -> None:
    account = await imported_account(client)
    as_stored = uncached(db, workspace)
    nodes = (await client.data(PAGE, {"id": account}))["account"]["stakeholders"]["nodes"]
    people = {p["name"]: p["id"] for p in nodes}
    covering = {c["teamMember"]["name"] for p in nodes for c in p["coveredBy"]}
    tang = people["唐军"]
    detail = (await client.data(DETAIL, {"id": tang}))["stakeholder"]
    circle, member = detail["circles"][0]["circle"]["id"], detail["coveredBy"][0]["teamMember"]["id"]
    member_name = detail["coveredBy"][0]["teamMember"]["name"]
    team = canon()["input"]["team"]
    member_key = next(t["externalId"] for t in team if t["name"] == member_name)
    other_member = next(t["externalId"] for t in team if t["externalId"] != member_key)
    removed_member = next(
        t["externalId"] for t in team if t["name"] in covering - {member_name} and t["externalId"] != other_member
    )
    visit = {"externalId": "visit-1", "at": "2026-12-01T09:00:00+08:00", "type": "VISIT", "stakeholders": ["p-tangjun"]}

    writes: list[tuple[str, dict[str, Any]]] = [
        ("stakeholderUpdate", {"id": people["李娜"], "title": "秘书长", "contactTier": "VIP", "notes": "new"}),
        ("stakeholderUpdate", {"id": people["周敏"], "reportsTo": tang}),
        ("influenceLinkSet", {"from": people["周敏"], "to": tang, "strength": 3, "topic": "budget", "confidence": 0.5}),
        ("tieSet", {"kind": "ALLY", "a": tang, "b": people["李娜"], "strength": 2, "note": "classmates"}),
        ("circleMemberSet", {"circle": circle, "stakeholder": people["李娜"], "core": True}),
        ("circleUpdate", {"id": circle, "name": "renamed circle", "color": "#aa0000"}),
        ("teamMemberUpdate", {"id": member, "name": "renamed member", "email": "m@example.com", "role": "PRESALES"}),
        ("interactionsUpsert", {"source": "demo", "account": "acc-canon-zh", "interactions": [visit]}),
        (
            "coverageSet",
            {"teamMember": member, "stakeholder": people["周敏"], "relationshipStep": 4, "relationshipType": "FRIEND"},
        ),
        ("coverageUpsert", {"source": "demo", "coverage": [{"teamMember": other_member, "stakeholder": "p-gm"}]}),
        (
            "teamMembersUpsert",
            {"source": "demo", "teamMembers": [{"externalId": other_member, "name": "新名字", "role": "SALES"}]},
        ),
        ("coveragesRemove", {"source": "demo", "coverage": [{"teamMember": other_member, "stakeholder": "p-gm"}]}),
        ("coverageRemove", {"teamMember": member, "stakeholder": people["周敏"]}),
        ("influenceLinkRemove", {"from": people["周敏"], "to": tang}),
        ("tieRemove", {"kind": "ALLY", "a": tang, "b": people["李娜"]}),
        ("circleMemberRemove", {"circle": circle, "stakeholder": people["李娜"]}),
        ("interactionsRemove", {"source": "demo", "account": "acc-canon-zh", "externalIds": ["visit-1"]}),
        ("stakeholderArchive", {"id": people["吴芳"]}),
        ("stakeholderRestore", {"id": people["吴芳"]}),
        ("stakeholderMerge", {"survivor": people["李娜"], "duplicate": people["许静"]}),
        ("stakeholderCreate", {"account": account, "name": "新人", "stance": "NEUTRAL"}),
        ("accountUpdate", {"id": account, "tier": "A", "portfolioClass": "VOLCANO", "relationshipStage": "STRATEGIC"}),
        ("teamMembersRemove", {"source": "demo", "externalIds": [removed_member]}),
        ("teamMemberDelete", {"id": member}),
        ("circleDelete", {"id": circle}),
    ]
    changed_around_tang = []
    for name, input in writes:
        before = await client.data(PAGE, {"id": account})  # kept from here on
        detail_before = await client.data(DETAIL, {"id": tang})
        payload = await mutate(other_process, name, input, USER_ERRORS + (" failed" if name in BULK else ""))
        assert payload["userErrors"] == [], name
        assert payload.get("failed", 0) == 0, (name, payload)
        after = await client.data(PAGE, {"id": account})
        assert after != before, name
        assert after == await as_stored(PAGE, {"id": account}), name
        detail_after = await client.data(DETAIL, {"id": tang})
        assert detail_after == await as_stored(DETAIL, {"id": tang}), name
        changed_around_tang.append(detail_after != detail_before)
    changed = [name for (name, _), change in zip(writes, changed_around_tang, strict=True) if change]
    assert changed == [  # so that the detail's comparisons cannot pass for want of a change
        "stakeholderUpdate",  # 周敏 now reports to 唐军
        "influenceLinkSet",
        "tieSet",
        "circleUpdate",
        "teamMemberUpdate",
        "interactionsUpsert",
        "influenceLinkRemove",
        "tieRemove",
        "interactionsRemove",
        "teamMemberDelete",
        "circleDelete",
    ]

    before = await client.data(PAGE, {"id": account})
    synced = await upsert(other_process, [contact("canon-new", "新同事")], account="acc-canon-zh", source="demo")
    assert synced["userErrors"] == []
    after = await client.data(PAGE, {"id": account})
    assert after["account"]["stakeholders"]["totalCount"] == before["account"]["stakeholders"]["totalCount"] + 1
    assert after == await as_stored(PAGE, {"id": account})


@pytest.mark.parametrize(
    ("failure", "status", "code", "message"),
    [
        (RuntimeError("a detail the client must not see"), 200, "INTERNAL_SERVER_ERROR", "Unexpected error."),
        (ConnectionAcquisitionTimeoutError("pool"), 503, "SERVICE_UNAVAILABLE", "The database is not answering"),
    ],
)
async def test_a_clock_that_cannot_be_read_fails_the_field_as_its_own_read_would(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch, failure: Exception, status: int, code: str, message: str
) -> None:
    account = await imported_account(client)

    async def failing(tx: object, ws: str, raw_id: str) -> str | None:
        raise failure

    monkeypatch.setitem(response_cache.ROOTS, "account", ("Account", failing))
    query = "query Failing($id: ID!) { page: account(id: $id) { name } }"
    response = await client.http.post("/graphql", json={"query": query, "variables": {"id": account}})
    body = response.json()
    (error,) = body["errors"]
    assert (response.status_code, body["data"], error["path"], error["extensions"]["code"]) == (
        status,
        {"page": None},
        ["page"],
        code,
    )
    assert error["message"].startswith(message)
    assert response.headers.get("retry-after") == (str(RETRY_AFTER_SECONDS) if status == 503 else None)
