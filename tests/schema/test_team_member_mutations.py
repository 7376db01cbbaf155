"""teamMemberCreate, teamMemberUpdate, teamMemberAssign and teamMemberUnassign."""

from __future__ import annotations

from service.graph.database import Database
from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, error, import_account, mutate, snapshot

MEMBER = "id name role email externalIds { source id }"
TEAM = "query T($id: ID!) { account(id: $id) { team { id } } }"


async def team_of(client: GraphQLClient, account_id: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = (await client.data(TEAM, {"id": account_id}))["account"]["team"]
    return found


async def test_create_assigned_to_an_account(client: GraphQLClient) -> None:
    acc = await import_account(client)
    payload = await mutate(
        client,
        "teamMemberCreate",
        {
            "name": "Zhang Hua",
            "role": "ACCOUNT_MANAGER",
            "email": "zh@abc.example",
            "externalId": {"source": "hr", "id": "E-7"},
            "account": acc.account,
        },
        f"teamMember {{ {MEMBER} }} {USER_ERRORS}",
    )
    member_id = payload["teamMember"]["id"]
    assert payload == {
        "teamMember": {
            "id": member_id,
            "name": "Zhang Hua",
            "role": "ACCOUNT_MANAGER",
            "email": "zh@abc.example",
            "externalIds": [{"source": "hr", "id": "E-7"}],
        },
        "userErrors": [],
    }
    assert await team_of(client, acc.account) == [{"id": member_id}]


async def test_create_problems_write_nothing(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client)
    await mutate(
        client,
        "teamMemberCreate",
        {"name": "A", "role": "SALES", "externalId": {"source": "hr", "id": "E-7"}},
        USER_ERRORS,
    )
    before = await snapshot(db, workspace)
    payload = await mutate(
        client,
        "teamMemberCreate",
        {"name": "", "role": "SALES", "email": "x", "externalId": {"source": "hr", "id": "E-7"}, "account": acc["p1"]},
        f"teamMember {{ id }} {USER_ERRORS}",
    )
    assert payload == {
        "teamMember": None,
        "userErrors": [
            error(["input", "name"], "name must not be empty."),
            error(["input", "email"], "'x' is not an email address."),
            error(["input", "account"], f"no account with id {acc['p1']!r}.", "NOT_FOUND"),
            error(["input", "externalId"], "a team member with id 'E-7' of source 'hr' already exists.", "CONFLICT"),
        ],
    }
    assert await snapshot(db, workspace) == before


async def test_update_sets_given_fields(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client, team=["t1"])
    member = acc.team["t1"]
    payload = await mutate(
        client,
        "teamMemberUpdate",
        {"id": member, "role": "PRESALES", "email": "t1@abc.example"},
        f"teamMember {{ {MEMBER} }} {USER_ERRORS}",
    )
    expected = {
        "id": member,
        "name": "Member t1",
        "role": "PRESALES",
        "email": "t1@abc.example",
        "externalIds": [{"source": "crm", "id": "t1"}],
    }
    assert payload == {"teamMember": expected, "userErrors": []}
    assert (await client.data(f'{{ node(id: "{member}") {{ ... on TeamMember {{ {MEMBER} }} }} }}'))["node"] == expected
    before = await snapshot(db, workspace)
    refused = await mutate(client, "teamMemberUpdate", {"id": member, "role": None, "name": " "}, USER_ERRORS)
    assert refused == {
        "userErrors": [
            error(["input", "name"], "name must not be empty."),
            error(["input", "role"], "role must not be null."),
        ]
    }
    assert await snapshot(db, workspace) == before


async def test_assign_and_unassign(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client)
    created = await mutate(client, "teamMemberCreate", {"name": "Li", "role": "ENGINEER"}, "teamMember { id }")
    member = created["teamMember"]["id"]
    assigned = await mutate(
        client,
        "teamMemberAssign",
        {"teamMember": member, "account": acc.account},
        f"teamMember {{ id }} account {{ team {{ id }} }} {USER_ERRORS}",
    )
    assert assigned == {"teamMember": {"id": member}, "account": {"team": [{"id": member}]}, "userErrors": []}
    unassigned = await mutate(
        client,
        "teamMemberUnassign",
        {"teamMember": member, "account": acc.account},
        f"teamMember {{ id }} {USER_ERRORS}",
    )
    assert unassigned == {"teamMember": {"id": member}, "userErrors": []}
    assert await team_of(client, acc.account) == []
    before = await snapshot(db, workspace)
    again = await mutate(client, "teamMemberUnassign", {"teamMember": member, "account": acc.account}, USER_ERRORS)
    message = "the team member is not assigned to this account."
    assert again == {"userErrors": [error(["input", "account"], message, "NOT_FOUND")]}
    wrong = await mutate(client, "teamMemberAssign", {"teamMember": acc["p1"], "account": member}, USER_ERRORS)
    assert wrong == {
        "userErrors": [
            error(["input", "teamMember"], f"no team member with id {acc['p1']!r}.", "NOT_FOUND"),
            error(["input", "account"], f"no account with id {member!r}.", "NOT_FOUND"),
        ]
    }
    assert await snapshot(db, workspace) == before


async def test_delete_removes_the_member_with_assignments_and_coverage_and_keeps_their_visits(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(
        client,
        team=["t1", "t2"],
        coverage=[{"teamMember": "t1", "stakeholder": "p1"}],
        interactions=[
            {
                "externalId": "v1",
                "at": "2025-01-02T10:00:00+00:00",
                "type": "VISIT",
                "teamMember": "t1",
                "stakeholders": ["p1"],
            }
        ],
    )
    payload = await mutate(client, "teamMemberDelete", {"id": acc.team["t1"]}, f"deletedId {USER_ERRORS}")
    assert payload == {"deletedId": acc.team["t1"], "userErrors": []}
    assert await team_of(client, acc.account) == [{"id": acc.team["t2"]}]
    visits = "query V($id: ID!) { account(id: $id) { interactions { teamMember { id } stakeholders { id } } } }"
    assert (await client.data(visits, {"id": acc.account}))["account"]["interactions"] == [
        {"teamMember": None, "stakeholders": [{"id": acc["p1"]}]}
    ]
    covered = "query C($id: ID!) { stakeholder(id: $id) { coveredBy { teamMember { id } } } }"
    assert (await client.data(covered, {"id": acc["p1"]}))["stakeholder"]["coveredBy"] == []
    before = await snapshot(db, workspace)
    again = await mutate(client, "teamMemberDelete", {"id": acc.team["t1"]}, f"deletedId {USER_ERRORS}")
    message = f"no team member with id {acc.team['t1']!r}."
    assert again == {"deletedId": None, "userErrors": [error(["input", "id"], message, "NOT_FOUND")]}
    assert await snapshot(db, workspace) == before
