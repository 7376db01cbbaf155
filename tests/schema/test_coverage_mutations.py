"""coverageSet and coverageRemove, with their history."""

from __future__ import annotations

from service.graph.database import Database
from service.schema.ids import raw_id_of
from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, error, import_account, import_elsewhere, mutate, snapshot

COVERAGE = "teamMember { id } stakeholder { id } relationshipStep relationshipType lastContactAt"
COVERED_BY = f"query C($id: ID!) {{ stakeholder(id: $id) {{ coveredBy {{ {COVERAGE} }} }} }}"
HISTORY = "query H($id: ID!) { stakeholder(id: $id) { history { entity operation field oldValue newValue } } }"


async def test_set_creates_then_replaces_and_remove_ends_coverage(client: GraphQLClient) -> None:
    acc = await import_account(client, team=["t1"])
    member, person = acc.team["t1"], acc["p1"]
    created = await mutate(
        client,
        "coverageSet",
        {"teamMember": member, "stakeholder": person, "relationshipStep": 2, "relationshipType": "SUPPLIER"},
        f"coverage {{ {COVERAGE} }} {USER_ERRORS}",
    )
    expected = {
        "teamMember": {"id": member},
        "stakeholder": {"id": person},
        "relationshipStep": 2,
        "relationshipType": "SUPPLIER",
        "lastContactAt": None,
    }
    assert created == {"coverage": expected, "userErrors": []}
    replaced = await mutate(
        client,
        "coverageSet",
        {"teamMember": member, "stakeholder": person, "relationshipStep": 4},
        f"coverage {{ {COVERAGE} }} {USER_ERRORS}",
    )
    expected = {**expected, "relationshipStep": 4, "relationshipType": None}
    assert replaced == {"coverage": expected, "userErrors": []}
    assert (await client.data(COVERED_BY, {"id": person}))["stakeholder"]["coveredBy"] == [expected]
    removed = await mutate(
        client,
        "coverageRemove",
        {"teamMember": member, "stakeholder": person},
        f"teamMember {{ id }} stakeholder {{ id }} {USER_ERRORS}",
    )
    assert removed == {"teamMember": {"id": member}, "stakeholder": {"id": person}, "userErrors": []}
    assert (await client.data(COVERED_BY, {"id": person}))["stakeholder"]["coveredBy"] == []
    rows = (await client.data(HISTORY, {"id": person}))["stakeholder"]["history"]
    member_id, person_id = f'"{raw_id_of(member, "TeamMember")}"', f'"{raw_id_of(person, "Stakeholder")}"'
    assert [
        (r["entity"], r["operation"], r["field"], r["oldValue"], r["newValue"])
        for r in rows
        if r["entity"] == "Coverage"
    ] == [
        ("Coverage", "DELETED", "relationshipStep", "4", None),
        ("Coverage", "DELETED", "stakeholderId", person_id, None),
        ("Coverage", "DELETED", "teamMemberId", member_id, None),
        ("Coverage", "UPDATED", "relationshipStep", "2", "4"),
        ("Coverage", "UPDATED", "relationshipType", '"SUPPLIER"', None),
        ("Coverage", "CREATED", "relationshipStep", None, "2"),
        ("Coverage", "CREATED", "relationshipType", None, '"SUPPLIER"'),
        ("Coverage", "CREATED", "stakeholderId", None, person_id),
        ("Coverage", "CREATED", "teamMemberId", None, member_id),
    ]


async def test_coverage_problems_write_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    acc = await import_account(client, team=["t1"])
    elsewhere = await import_elsewhere(db, other_workspace)
    before = await snapshot(db, workspace, other_workspace)
    out_of_range = await mutate(
        client,
        "coverageSet",
        {"teamMember": acc.team["t1"], "stakeholder": acc["p1"], "relationshipStep": 0},
        f"coverage {{ relationshipStep }} {USER_ERRORS}",
    )
    assert out_of_range == {
        "coverage": None,
        "userErrors": [error(["input", "relationshipStep"], "relationshipStep must be between 1 and 5, got 0.")],
    }
    unknown = await mutate(
        client,
        "coverageSet",
        {"teamMember": elsewhere.team["t1"], "stakeholder": acc.team["t1"], "relationshipStep": 3},
        USER_ERRORS,
    )
    assert unknown == {
        "userErrors": [
            error(["input", "teamMember"], f"no team member with id {elsewhere.team['t1']!r}.", "NOT_FOUND"),
            error(["input", "stakeholder"], f"no stakeholder with id {acc.team['t1']!r}.", "NOT_FOUND"),
        ]
    }
    missing = await mutate(
        client, "coverageRemove", {"teamMember": acc.team["t1"], "stakeholder": acc["p1"]}, USER_ERRORS
    )
    message = "the team member does not cover this stakeholder."
    assert missing == {"userErrors": [error(["input", "stakeholder"], message, "NOT_FOUND")]}
    assert await snapshot(db, workspace, other_workspace) == before
