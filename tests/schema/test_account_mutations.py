"""accountCreate, accountUpdate and accountDelete."""

from __future__ import annotations

from service.graph.database import Database
from tests.conftest import ACCOUNT_DATA, GraphQLClient
from tests.schema.factories import USER_ERRORS, error, import_account, mutate, snapshot

ACCOUNT = "id name industry tier portfolioClass relationshipStage externalIds { source id }"
BY_EXTERNAL_ID = f'query {{ accountByExternalId(source: "erp", id: "K-1") {{ {ACCOUNT} }} }}'
READ = f"query R($id: ID!) {{ account(id: $id) {{ {ACCOUNT} }} }}"


async def test_create_with_an_external_id(client: GraphQLClient) -> None:
    payload = await mutate(
        client,
        "accountCreate",
        {
            "name": "Canon Zhuhai",
            "industry": "Imaging",
            "tier": "A",
            "portfolioClass": "STAR",
            "relationshipStage": "EARLY",
            "externalId": {"source": "erp", "id": "K-1"},
        },
        f"account {{ {ACCOUNT} }} {USER_ERRORS}",
    )
    expected = {
        "id": payload["account"]["id"],
        "name": "Canon Zhuhai",
        "industry": "Imaging",
        "tier": "A",
        "portfolioClass": "STAR",
        "relationshipStage": "EARLY",
        "externalIds": [{"source": "erp", "id": "K-1"}],
    }
    assert payload == {"account": expected, "userErrors": []}
    assert (await client.data(BY_EXTERNAL_ID))["accountByExternalId"] == expected


async def test_create_refuses_an_empty_name_and_a_taken_external_id(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await mutate(client, "accountCreate", {"name": "First", "externalId": {"source": "erp", "id": "K-1"}}, USER_ERRORS)
    before = await snapshot(db, workspace)
    payload = await mutate(
        client,
        "accountCreate",
        {"name": "", "externalId": {"source": "erp", "id": "K-1"}},
        f"account {{ id }} {USER_ERRORS}",
    )
    assert payload == {
        "account": None,
        "userErrors": [
            error(["input", "name"], "name must not be empty."),
            error(["input", "externalId"], "an account with id 'K-1' of source 'erp' already exists.", "CONFLICT"),
        ],
    }
    assert await snapshot(db, workspace) == before


async def test_update_sets_given_fields_and_clears_explicit_nulls(client: GraphQLClient) -> None:
    created = await mutate(
        client, "accountCreate", {"name": "Acme", "industry": "Tobacco", "tier": "B"}, "account { id }"
    )
    account_id = created["account"]["id"]
    payload = await mutate(
        client,
        "accountUpdate",
        {"id": account_id, "tier": "A", "industry": None, "relationshipStage": "MID"},
        f"account {{ {ACCOUNT} }} {USER_ERRORS}",
    )
    expected = {
        "id": account_id,
        "name": "Acme",
        "industry": None,
        "tier": "A",
        "portfolioClass": None,
        "relationshipStage": "MID",
        "externalIds": [],
    }
    assert payload == {"account": expected, "userErrors": []}
    assert (await client.data(READ, {"id": account_id}))["account"] == expected


async def test_update_of_an_unknown_account_with_an_empty_name(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(client)
    before = await snapshot(db, workspace)
    payload = await mutate(client, "accountUpdate", {"id": acc["p1"], "name": None}, f"account {{ id }} {USER_ERRORS}")
    assert payload == {
        "account": None,
        "userErrors": [
            error(["input", "id"], f"no account with id {acc['p1']!r}.", "NOT_FOUND"),
            error(["input", "name"], "name must not be empty."),
        ],
    }
    assert await snapshot(db, workspace) == before


async def test_delete_refuses_while_stakeholders_are_active(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(client, people=["p1", "p2"])
    await mutate(client, "stakeholderArchive", {"id": acc["p1"]}, USER_ERRORS)
    before = await snapshot(db, workspace)
    payload = await mutate(client, "accountDelete", {"id": acc.account}, f"deletedId {USER_ERRORS}")
    message = "the account still has 1 stakeholder(s) that are not archived; archive or move them first."
    assert payload == {"deletedId": None, "userErrors": [error(["input", "id"], message, "CONFLICT")]}
    assert await snapshot(db, workspace) == before


async def test_delete_removes_the_account_and_what_belongs_to_it(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(
        client,
        people=["p1", "p2"],
        team=["t1"],
        circles=["red"],
        influences=[{"from": "p1", "to": "p2", "strength": 2}],
    )
    other = await import_account(client, "acc-2", ["q1"])
    for person in ("p1", "p2"):
        await mutate(client, "stakeholderArchive", {"id": acc[person]}, USER_ERRORS)
    payload = await mutate(client, "accountDelete", {"id": acc.account}, f"deletedId {USER_ERRORS}")
    assert payload == {"deletedId": acc.account, "userErrors": []}
    assert (await client.data(READ, {"id": acc.account}))["account"] is None
    left, _, _ = await db.driver.execute_query(
        f"MATCH (n {{workspaceId: $ws}}) WHERE {ACCOUNT_DATA} RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label",
        ws=workspace,
    )
    # the other account and its person with their refs, our team member, who belongs to the workspace, and
    # the change log: 7 changes of the first import (account, p1, p2, circle, link, team member, assignment),
    # 2 of the second, 2 archives and the deletion, in the change feed's 5 commits (two imports, two
    # archives, the deletion) and its sequence
    assert {row["label"]: row["n"] for row in left} == {
        "Account": 1,
        "AccountRef": 1,
        "Change": 12,
        "ChangeCommit": 5,
        "ChangeSequence": 1,
        "Stakeholder": 1,
        "StakeholderRef": 1,
        "TeamMember": 1,
        "TeamMemberRef": 1,
    }
    assert (await client.data(READ, {"id": other.account}))["account"]["name"] == "Account acc-2"


async def test_a_free_external_id_is_not_taken_by_a_refused_create(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    before = await snapshot(db, workspace)
    payload = await mutate(
        client, "accountCreate", {"name": " ", "externalId": {"source": "erp", "id": "K-2"}}, USER_ERRORS
    )
    assert payload == {"userErrors": [error(["input", "name"], "name must not be empty.")]}
    assert await snapshot(db, workspace) == before
