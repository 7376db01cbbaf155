"""tieSet (an upsert per unordered pair and kind, stored from the lower id to the higher) and tieRemove."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from service.schema.ids import raw_id_of
from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, error, import_account, mutate, snapshot

TIE = "id kind a { id } b { id } strength note"
TIES = f"query T($id: ID!) {{ account(id: $id) {{ ties {{ {TIE} }} }} }}"
HISTORY = "query H($id: ID!) { stakeholder(id: $id) { history { entity operation field oldValue newValue } } }"


async def ties(client: GraphQLClient, account_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await client.data(TIES, {"id": account_id}))["account"]["ties"]
    return found


def ordered(first: str, second: str) -> tuple[str, str]:
    """The two stakeholder global ids in stored order: lower internal id first."""
    low, high = sorted((first, second), key=lambda g: raw_id_of(g, "Stakeholder") or "")
    return low, high


async def test_set_creates_one_tie_per_pair_and_kind_in_either_order(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(client)
    low, high = ordered(acc["p1"], acc["p2"])
    created = await mutate(
        client,
        "tieSet",
        {"kind": "ALLY", "a": high, "b": low, "strength": 4, "note": "old classmates"},
        f"tie {{ {TIE} }} {USER_ERRORS}",
    )
    expected = {
        "id": created["tie"]["id"],
        "kind": "ALLY",
        "a": {"id": low},
        "b": {"id": high},
        "strength": 4,
        "note": "old classmates",
    }
    assert created == {"tie": expected, "userErrors": []}
    replaced = await mutate(
        client, "tieSet", {"kind": "ALLY", "a": low, "b": high, "strength": 2}, f"tie {{ {TIE} }} {USER_ERRORS}"
    )
    expected = {**expected, "strength": 2, "note": None}
    assert replaced == {"tie": expected, "userErrors": []}
    await mutate(client, "tieSet", {"kind": "RIVAL", "a": low, "b": high}, USER_ERRORS)
    assert [(t["kind"], t["strength"]) for t in await ties(client, acc.account)] == [("ALLY", 2), ("RIVAL", None)]
    stored, _, _ = await db.driver.execute_query(
        "MATCH (a {workspaceId: $ws})-[r:TIE]->(b) RETURN a.id AS a, b.id AS b, r.source AS source, r.workspaceId AS ws",
        ws=workspace,
    )
    low_raw, high_raw = raw_id_of(low, "Stakeholder"), raw_id_of(high, "Stakeholder")
    assert [dict(row) for row in stored] == [{"a": low_raw, "b": high_raw, "source": None, "ws": workspace}] * 2
    rows = (await client.data(HISTORY, {"id": low}))["stakeholder"]["history"]
    a, b = f'"{low_raw}"', f'"{high_raw}"'
    assert [(r["operation"], r["field"], r["oldValue"], r["newValue"]) for r in rows if r["entity"] == "Tie"] == [
        ("CREATED", "a", None, a),
        ("CREATED", "b", None, b),
        ("CREATED", "kind", None, '"RIVAL"'),
        ("UPDATED", "note", '"old classmates"', None),
        ("UPDATED", "strength", "4", "2"),
        ("CREATED", "a", None, a),
        ("CREATED", "b", None, b),
        ("CREATED", "kind", None, '"ALLY"'),
        ("CREATED", "note", None, '"old classmates"'),
        ("CREATED", "strength", None, "4"),
    ]


async def test_set_reports_every_problem_and_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(client)
    other = await import_account(client, "acc-2", ["q1"])
    before = await snapshot(db, workspace)
    cases = [
        (
            {"kind": "KNOWS", "a": acc["p1"], "b": acc["p1"], "strength": 6},
            [
                error(["input", "b"], "a tie cannot link a stakeholder to themselves."),
                error(["input", "strength"], "strength must be between 1 and 5, got 6."),
            ],
        ),
        (
            {"kind": "KNOWS", "a": acc["p1"], "b": other["q1"]},
            [error(["input", "b"], f"stakeholder {other['q1']!r} is in another account than `a`.")],
        ),
        (
            {"kind": "KNOWS", "a": "nope", "b": acc.account},
            [
                error(["input", "a"], "no stakeholder with id 'nope'.", "NOT_FOUND"),
                error(["input", "b"], f"no stakeholder with id {acc.account!r}.", "NOT_FOUND"),
            ],
        ),
    ]
    for given, expected in cases:
        assert await mutate(client, "tieSet", given, f"tie {{ id }} {USER_ERRORS}") == {
            "tie": None,
            "userErrors": expected,
        }
    assert await snapshot(db, workspace) == before


async def test_remove_by_id_and_by_kind_and_pair(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(
        client, ties=[{"kind": "KNOWS", "a": "p1", "b": "p2"}, {"kind": "RIVAL", "a": "p2", "b": "p3", "strength": 5}]
    )
    knows, rival = await ties(client, acc.account)
    by_id = await mutate(client, "tieRemove", {"id": knows["id"]}, f"deletedId {USER_ERRORS}")
    assert by_id == {"deletedId": knows["id"], "userErrors": []}
    before = await snapshot(db, workspace)
    wrong_kind = await mutate(
        client, "tieRemove", {"kind": "ALLY", "a": acc["p3"], "b": acc["p2"]}, f"deletedId {USER_ERRORS}"
    )
    message = "no ALLY tie between `a` and `b`."
    assert wrong_kind == {"deletedId": None, "userErrors": [error(["input", "b"], message, "NOT_FOUND")]}
    assert await snapshot(db, workspace) == before
    by_pair = await mutate(
        client, "tieRemove", {"kind": "RIVAL", "a": acc["p3"], "b": acc["p2"]}, f"deletedId {USER_ERRORS}"
    )
    assert by_pair == {"deletedId": rival["id"], "userErrors": []}
    assert await ties(client, acc.account) == []
    rows = (await client.data(HISTORY, {"id": acc["p3"]}))["stakeholder"]["history"]
    low, high = sorted((raw_id_of(acc["p2"], "Stakeholder"), raw_id_of(acc["p3"], "Stakeholder")))
    assert [(r["operation"], r["field"], r["oldValue"], r["newValue"]) for r in rows][:4] == [
        ("DELETED", "a", f'"{low}"', None),
        ("DELETED", "b", f'"{high}"', None),
        ("DELETED", "kind", '"RIVAL"', None),
        ("DELETED", "strength", "5", None),
    ]
