"""influenceLinkSet (an upsert per ordered pair) and influenceLinkRemove."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from service.schema.ids import encode_id, raw_id_of
from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, error, import_account, import_elsewhere, mutate, snapshot

LINK = "id from { id } to { id } strength kind topic confidence"
LINKS = f"query L($id: ID!) {{ account(id: $id) {{ influenceLinks {{ {LINK} }} }} }}"
HISTORY = "query H($id: ID!) { stakeholder(id: $id) { history { entity operation field oldValue newValue } } }"


async def links(client: GraphQLClient, account_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await client.data(LINKS, {"id": account_id}))["account"]["influenceLinks"]
    return found


async def test_set_creates_then_replaces_the_one_link_of_a_pair(client: GraphQLClient) -> None:
    acc = await import_account(client)
    given = {"from": acc["p1"], "to": acc["p2"], "strength": 4, "kind": "FORMAL", "topic": "budget"}
    created = await mutate(client, "influenceLinkSet", given, f"influenceLink {{ {LINK} }} {USER_ERRORS}")
    link_id = created["influenceLink"]["id"]
    expected = {
        "id": link_id,
        "from": {"id": acc["p1"]},
        "to": {"id": acc["p2"]},
        "strength": 4,
        "kind": "FORMAL",
        "topic": "budget",
        "confidence": None,
    }
    assert created == {"influenceLink": expected, "userErrors": []}
    assert await links(client, acc.account) == [expected]

    replaced = await mutate(
        client,
        "influenceLinkSet",
        {"from": acc["p1"], "to": acc["p2"], "strength": 2, "confidence": 0.5},
        f"influenceLink {{ {LINK} }} {USER_ERRORS}",
    )
    expected = {**expected, "strength": 2, "kind": None, "topic": None, "confidence": 0.5}
    assert replaced == {"influenceLink": expected, "userErrors": []}
    assert await links(client, acc.account) == [expected]
    rows = (await client.data(HISTORY, {"id": acc["p2"]}))["stakeholder"]["history"]
    p1, p2 = f'"{raw_id_of(acc["p1"], "Stakeholder")}"', f'"{raw_id_of(acc["p2"], "Stakeholder")}"'
    assert [
        (r["entity"], r["operation"], r["field"], r["oldValue"], r["newValue"])
        for r in rows
        if r["entity"] == "InfluenceLink"
    ] == [
        ("InfluenceLink", "UPDATED", "confidence", None, "0.5"),
        ("InfluenceLink", "UPDATED", "kind", '"FORMAL"', None),
        ("InfluenceLink", "UPDATED", "strength", "4", "2"),
        ("InfluenceLink", "UPDATED", "topic", '"budget"', None),
        ("InfluenceLink", "CREATED", "from", None, p1),
        ("InfluenceLink", "CREATED", "kind", None, '"FORMAL"'),
        ("InfluenceLink", "CREATED", "strength", None, "4"),
        ("InfluenceLink", "CREATED", "to", None, p2),
        ("InfluenceLink", "CREATED", "topic", None, '"budget"'),
    ]


async def test_set_reports_range_and_self_link_problems_and_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(client)
    before = await snapshot(db, workspace)
    payload = await mutate(
        client,
        "influenceLinkSet",
        {"from": acc["p1"], "to": acc["p1"], "strength": 0, "confidence": 1.5},
        f"influenceLink {{ id }} {USER_ERRORS}",
    )
    assert payload == {
        "influenceLink": None,
        "userErrors": [
            error(["input", "to"], "an influence link cannot link a stakeholder to themselves."),
            error(["input", "strength"], "strength must be between 1 and 5, got 0."),
            error(["input", "confidence"], "confidence must be between 0 and 1, got 1.5."),
        ],
    }
    assert await snapshot(db, workspace) == before


async def test_set_refuses_links_across_accounts(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client)
    other = await import_account(client, "acc-2", ["q1"])
    before = await snapshot(db, workspace)
    payload = await mutate(
        client, "influenceLinkSet", {"from": acc["p1"], "to": other["q1"], "strength": 3}, USER_ERRORS
    )
    message = f"stakeholder {other['q1']!r} is in another account than `from`."
    assert payload == {"userErrors": [error(["input", "to"], message)]}
    assert await snapshot(db, workspace) == before


async def test_set_with_unknown_wrong_type_and_foreign_ids_is_not_found(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    acc = await import_account(client)
    elsewhere = await import_elsewhere(db, other_workspace)
    before = await snapshot(db, workspace, other_workspace)
    payload = await mutate(
        client, "influenceLinkSet", {"from": acc.account, "to": elsewhere["p2"], "strength": 9}, USER_ERRORS
    )
    assert payload == {
        "userErrors": [
            error(["input", "from"], f"no stakeholder with id {acc.account!r}.", "NOT_FOUND"),
            error(["input", "to"], f"no stakeholder with id {elsewhere['p2']!r}.", "NOT_FOUND"),
            error(["input", "strength"], "strength must be between 1 and 5, got 9."),
        ]
    }
    assert await snapshot(db, workspace, other_workspace) == before


async def test_remove_by_id_and_by_pair(client: GraphQLClient) -> None:
    acc = await import_account(
        client,
        influences=[{"from": "p1", "to": "p2", "strength": 3}, {"from": "p2", "to": "p3", "strength": 5}],
    )
    first, second = await links(client, acc.account)
    by_id = await mutate(client, "influenceLinkRemove", {"id": first["id"]}, f"deletedId {USER_ERRORS}")
    assert by_id == {"deletedId": first["id"], "userErrors": []}
    by_pair = await mutate(
        client, "influenceLinkRemove", {"from": acc["p2"], "to": acc["p3"]}, f"deletedId {USER_ERRORS}"
    )
    assert by_pair == {"deletedId": second["id"], "userErrors": []}
    assert await links(client, acc.account) == []
    rows = (await client.data(HISTORY, {"id": acc["p3"]}))["stakeholder"]["history"]
    p2, p3 = f'"{raw_id_of(acc["p2"], "Stakeholder")}"', f'"{raw_id_of(acc["p3"], "Stakeholder")}"'
    assert [r for r in rows if r["entity"] == "InfluenceLink"] == [
        {"entity": "InfluenceLink", "operation": "DELETED", "field": "from", "oldValue": p2, "newValue": None},
        {"entity": "InfluenceLink", "operation": "DELETED", "field": "strength", "oldValue": "5", "newValue": None},
        {"entity": "InfluenceLink", "operation": "DELETED", "field": "to", "oldValue": p3, "newValue": None},
        {"entity": "InfluenceLink", "operation": "CREATED", "field": "from", "oldValue": None, "newValue": p2},
        {"entity": "InfluenceLink", "operation": "CREATED", "field": "strength", "oldValue": None, "newValue": "5"},
        {"entity": "InfluenceLink", "operation": "CREATED", "field": "to", "oldValue": None, "newValue": p3},
    ]


async def test_remove_of_a_missing_link_is_not_found(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client, influences=[{"from": "p1", "to": "p2", "strength": 3}])
    before = await snapshot(db, workspace)
    missing = encode_id("InfluenceLink", "gone")
    cases = [
        ({"id": missing}, error(["input", "id"], f"no influence link with id {missing!r}.", "NOT_FOUND")),
        (
            {"from": acc["p2"], "to": acc["p1"]},
            error(["input", "to"], "no influence link from `from` to `to`.", "NOT_FOUND"),
        ),
        ({"from": acc["p1"]}, error(["input", "id"], "give either `id`, or `from` and `to`.")),
    ]
    for given, expected in cases:
        payload = await mutate(client, "influenceLinkRemove", given, f"deletedId {USER_ERRORS}")
        assert payload == {"deletedId": None, "userErrors": [expected]}
    assert await snapshot(db, workspace) == before
