"""Circles: circleCreate/Update/Delete, circleMemberSet/Remove, circleRelationSet/Remove."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from service.schema.ids import raw_id_of
from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, error, import_account, import_elsewhere, mutate, snapshot

CIRCLE = "id name color businessValue trackRecord partisansAndAllies philosophyAndPolicy"
CIRCLES = "query C($id: ID!) { account(id: $id) { circles { name members { stakeholder { id } core } } } }"
RELATIONS = "query C($id: ID!) { account(id: $id) { circles { name rivals { name } allies { name } } } }"
HISTORY = "query H($id: ID!) { stakeholder(id: $id) { history { entity operation field oldValue newValue } } }"


async def circles(client: GraphQLClient, account_id: str, query: str = CIRCLES) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await client.data(query, {"id": account_id}))["account"]["circles"]
    return found


async def membership_history(client: GraphQLClient, stakeholder_id: str) -> list[tuple[str, ...]]:
    """The person's history of circle memberships, newest first."""
    rows = (await client.data(HISTORY, {"id": stakeholder_id}))["stakeholder"]["history"]
    return [
        (r["entity"], r["operation"], r["field"], r["oldValue"], r["newValue"])
        for r in rows
        if r["entity"] == "Membership"
    ]


async def test_create_update_and_delete_a_circle(client: GraphQLClient) -> None:
    acc = await import_account(client)
    created = await mutate(
        client,
        "circleCreate",
        {"account": acc.account, "name": "Finance", "color": "red", "businessValue": "cost control"},
        f"circle {{ {CIRCLE} }} {USER_ERRORS}",
    )
    circle_id = created["circle"]["id"]
    expected = {
        "id": circle_id,
        "name": "Finance",
        "color": "red",
        "businessValue": "cost control",
        "trackRecord": None,
        "partisansAndAllies": None,
        "philosophyAndPolicy": None,
    }
    assert created == {"circle": expected, "userErrors": []}
    updated = await mutate(
        client,
        "circleUpdate",
        {"id": circle_id, "color": None, "trackRecord": "chose X three years ago"},
        f"circle {{ {CIRCLE} }} {USER_ERRORS}",
    )
    expected = {**expected, "color": None, "trackRecord": "chose X three years ago"}
    assert updated == {"circle": expected, "userErrors": []}
    read = f"query C($id: ID!) {{ account(id: $id) {{ circles {{ {CIRCLE} }} }} }}"
    assert await circles(client, acc.account, read) == [expected]
    await mutate(client, "circleMemberSet", {"circle": circle_id, "stakeholder": acc["p1"], "core": True}, USER_ERRORS)
    deleted = await mutate(client, "circleDelete", {"id": circle_id}, f"deletedId {USER_ERRORS}")
    assert deleted == {"deletedId": circle_id, "userErrors": []}
    assert await circles(client, acc.account) == []
    circle, person = raw_id_of(circle_id, "PoliticalCircle"), raw_id_of(acc["p1"], "Stakeholder")
    assert await membership_history(client, acc["p1"]) == [
        ("Membership", "DELETED", "circleId", f'"{circle}"', None),
        ("Membership", "DELETED", "core", "true", None),
        ("Membership", "DELETED", "stakeholderId", f'"{person}"', None),
        ("Membership", "CREATED", "circleId", None, f'"{circle}"'),
        ("Membership", "CREATED", "core", None, "true"),
        ("Membership", "CREATED", "stakeholderId", None, f'"{person}"'),
    ]


async def test_circle_problems_write_nothing(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client, circles=["red"])
    before = await snapshot(db, workspace)
    created = await mutate(
        client, "circleCreate", {"account": acc["p1"], "name": "  "}, f"circle {{ id }} {USER_ERRORS}"
    )
    assert created == {
        "circle": None,
        "userErrors": [
            error(["input", "account"], f"no account with id {acc['p1']!r}.", "NOT_FOUND"),
            error(["input", "name"], "name must not be empty."),
        ],
    }
    updated = await mutate(client, "circleUpdate", {"id": acc.circles["red"], "name": ""}, USER_ERRORS)
    assert updated == {"userErrors": [error(["input", "name"], "name must not be empty.")]}
    deleted = await mutate(client, "circleDelete", {"id": acc.account}, f"deletedId {USER_ERRORS}")
    message = f"no circle with id {acc.account!r}."
    assert deleted == {"deletedId": None, "userErrors": [error(["input", "id"], message, "NOT_FOUND")]}
    assert await snapshot(db, workspace) == before


async def test_member_set_and_remove(client: GraphQLClient) -> None:
    acc = await import_account(client, circles=["red"])
    red = acc.circles["red"]
    payload = await mutate(
        client,
        "circleMemberSet",
        {"circle": red, "stakeholder": acc["p1"]},
        f"circle {{ id }} stakeholder {{ id circles {{ core }} }} {USER_ERRORS}",
    )
    assert payload == {
        "circle": {"id": red},
        "stakeholder": {"id": acc["p1"], "circles": [{"core": False}]},
        "userErrors": [],
    }
    await mutate(client, "circleMemberSet", {"circle": red, "stakeholder": acc["p1"], "core": True}, USER_ERRORS)
    await mutate(client, "circleMemberSet", {"circle": red, "stakeholder": acc["p2"]}, USER_ERRORS)
    assert await circles(client, acc.account) == [
        {
            "name": "red",
            "members": [
                {"stakeholder": {"id": acc["p1"]}, "core": True},
                {"stakeholder": {"id": acc["p2"]}, "core": False},
            ],
        }
    ]
    removed = await mutate(
        client, "circleMemberRemove", {"circle": red, "stakeholder": acc["p1"]}, f"circle {{ id }} {USER_ERRORS}"
    )
    assert removed == {"circle": {"id": red}, "userErrors": []}
    assert await circles(client, acc.account) == [
        {"name": "red", "members": [{"stakeholder": {"id": acc["p2"]}, "core": False}]}
    ]
    circle, person = raw_id_of(red, "PoliticalCircle"), raw_id_of(acc["p1"], "Stakeholder")
    assert await membership_history(client, acc["p1"]) == [
        ("Membership", "DELETED", "circleId", f'"{circle}"', None),
        ("Membership", "DELETED", "core", "true", None),
        ("Membership", "DELETED", "stakeholderId", f'"{person}"', None),
        ("Membership", "UPDATED", "core", "false", "true"),
        ("Membership", "CREATED", "circleId", None, f'"{circle}"'),
        ("Membership", "CREATED", "core", None, "false"),
        ("Membership", "CREATED", "stakeholderId", None, f'"{person}"'),
    ]


async def test_member_problems_write_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    acc = await import_account(client, circles=["red"])
    other = await import_account(client, "acc-2", ["q1"])
    elsewhere = await import_elsewhere(db, other_workspace)
    red = acc.circles["red"]
    before = await snapshot(db, workspace, other_workspace)
    cases = [
        (
            "circleMemberSet",
            {"circle": red, "stakeholder": other["q1"]},
            error(["input", "stakeholder"], f"stakeholder {other['q1']!r} is in another account than the circle."),
        ),
        (
            "circleMemberSet",
            {"circle": elsewhere.circles["red"], "stakeholder": acc["p1"]},
            error(["input", "circle"], f"no circle with id {elsewhere.circles['red']!r}.", "NOT_FOUND"),
        ),
        (
            "circleMemberRemove",
            {"circle": red, "stakeholder": acc["p1"]},
            error(["input", "stakeholder"], "the stakeholder is not a member of this circle.", "NOT_FOUND"),
        ),
    ]
    for name, given, expected in cases:
        assert await mutate(client, name, given, USER_ERRORS) == {"userErrors": [expected]}
    assert await snapshot(db, workspace, other_workspace) == before


async def test_relation_set_and_remove(client: GraphQLClient) -> None:
    acc = await import_account(client, circles=["green", "red"])
    red, green = acc.circles["red"], acc.circles["green"]
    payload = await mutate(
        client,
        "circleRelationSet",
        {"circle": red, "other": green, "kind": "RIVAL"},
        f"circle {{ name rivals {{ name }} }} other {{ name rivals {{ name }} }} {USER_ERRORS}",
    )
    assert payload == {
        "circle": {"name": "red", "rivals": [{"name": "green"}]},
        "other": {"name": "green", "rivals": [{"name": "red"}]},
        "userErrors": [],
    }
    await mutate(client, "circleRelationSet", {"circle": green, "other": red, "kind": "RIVAL"}, USER_ERRORS)
    await mutate(client, "circleRelationSet", {"circle": green, "other": red, "kind": "ALLY"}, USER_ERRORS)
    assert await circles(client, acc.account, RELATIONS) == [
        {"name": "green", "rivals": [{"name": "red"}], "allies": [{"name": "red"}]},
        {"name": "red", "rivals": [{"name": "green"}], "allies": [{"name": "green"}]},
    ]
    removed = await mutate(client, "circleRelationRemove", {"circle": red, "other": green, "kind": "ALLY"}, USER_ERRORS)
    assert removed == {"userErrors": []}
    assert await circles(client, acc.account, RELATIONS) == [
        {"name": "green", "rivals": [{"name": "red"}], "allies": []},
        {"name": "red", "rivals": [{"name": "green"}], "allies": []},
    ]


async def test_relation_problems_write_nothing(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client, circles=["red", "green"])
    other = await import_account(client, "acc-2", ["q1"], circles=["blue"])
    red, blue = acc.circles["red"], other.circles["blue"]
    before = await snapshot(db, workspace)
    cases = [
        (
            {"circle": red, "other": red, "kind": "ALLY"},
            error(["input", "other"], "a circle cannot be its own rival or ally."),
        ),
        (
            {"circle": red, "other": blue, "kind": "RIVAL"},
            error(["input", "other"], f"circle {blue!r} is in another account than `circle`."),
        ),
    ]
    for given, expected in cases:
        assert await mutate(client, "circleRelationSet", given, USER_ERRORS) == {"userErrors": [expected]}
    missing = await mutate(
        client, "circleRelationRemove", {"circle": red, "other": acc.circles["green"], "kind": "RIVAL"}, USER_ERRORS
    )
    assert missing == {"userErrors": [error(["input", "other"], "the two circles are not rivals.", "NOT_FOUND")]}
    assert await snapshot(db, workspace) == before
