"""Test data for the entity mutations: tiny accounts imported through the API, and a snapshot of a test's
workspaces to prove that a refused write changed nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from service.graph.database import Database
from tests.conftest import ACCOUNT_DATA, GraphQLClient

IMPORT = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) { account { id } userErrors { field message code } }
}
"""

IDS = """
query Ids($id: ID!) {
  account(id: $id) {
    stakeholders(first: 100, includeArchived: true) { nodes { id name externalIds { id } } }
    team { id externalIds { id } }
    circles { id name }
  }
}
"""

USER_ERRORS = "userErrors { field message code }"


@dataclass(frozen=True)
class Imported:
    """Global ids of an imported account: its people and team by external id, its circles by key."""

    account: str
    people: dict[str, str]
    team: dict[str, str]
    circles: dict[str, str]

    def __getitem__(self, external_id: str) -> str:
        return self.people[external_id]


async def import_account(
    client: GraphQLClient,
    key: str = "acc-1",
    people: Sequence[str] = ("p1", "p2", "p3"),
    *,
    team: Sequence[str] = (),
    circles: Sequence[str] = (),
    **extra: Any,
) -> Imported:
    """Import account `key` with stakeholders named "Person <id>", team members "Member <id>" (SALES) and
    empty circles named after their keys; `extra` adds document fields (influences, ties, ...)."""
    document = {
        "source": "crm",
        "account": {"externalId": key, "name": f"Account {key}"},
        "stakeholders": [{"externalId": p, "name": f"Person {p}"} for p in people],
        "team": [{"externalId": t, "name": f"Member {t}", "role": "SALES"} for t in team],
        "circles": [{"key": c, "name": c} for c in circles],
        **extra,
    }
    result = (await client.data(IMPORT, {"input": document}))["accountGraphImport"]
    assert result["userErrors"] == []
    account_id = result["account"]["id"]
    found = (await client.data(IDS, {"id": account_id}))["account"]
    return _imported(account_id, found)


async def mutate(client: GraphQLClient, name: str, input: dict[str, Any], selection: str) -> dict[str, Any]:
    """Run mutation `name(input: $input) { selection }` and return its payload."""
    input_type = name[0].upper() + name[1:] + "Input"
    query = f"mutation Run($input: {input_type}!) {{ {name}(input: $input) {{ {selection} }} }}"
    payload: dict[str, Any] = (await client.data(query, {"input": input}))[name]
    return payload


async def snapshot(db: Database, *workspaces: str) -> tuple[list[str], list[str]]:
    """Every node of `workspaces` and every relationship from one, with all their properties, sorted: equal
    snapshots, equal graphs."""
    nodes, _, _ = await db.driver.execute_query(
        f"MATCH (n) WHERE n.workspaceId IN $workspaces AND {ACCOUNT_DATA} RETURN labels(n) AS labels, properties(n) AS props",
        workspaces=workspaces,
    )
    rels, _, _ = await db.driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE a.workspaceId IN $workspaces"
        " RETURN type(r) AS type, elementId(a) AS a, elementId(b) AS b, properties(r) AS props",
        workspaces=workspaces,
    )
    return (
        sorted(repr((sorted(row["labels"]), sorted(row["props"].items()))) for row in nodes),
        sorted(repr((row["type"], row["a"], row["b"], sorted(row["props"].items()))) for row in rels),
    )


def error(field: Sequence[str], message: str, code: str = "INVALID") -> dict[str, Any]:
    return {"field": list(field), "message": message, "code": code}


async def import_elsewhere(db: Database, workspace: str) -> Imported:
    """Account "acc-1" with p1..p2 and team member t1, in another `workspace`: ids that must be NOT_FOUND here."""
    from service.rules.access import Principal, Role
    from service.schema.operations import execute_operation
    from service.usecases.services import Services

    document = {
        "source": "crm",
        "account": {"externalId": "acc-1", "name": "Elsewhere"},
        "stakeholders": [{"externalId": p, "name": f"Person {p}"} for p in ("p1", "p2")],
        "team": [{"externalId": "t1", "name": "Member t1", "role": "SALES"}],
        "circles": [{"key": "red", "name": "red"}],
    }
    services, principal = Services(db), Principal(workspace, Role.ADMIN, "test")
    result = (await execute_operation(services, principal, IMPORT, {"input": document}))["accountGraphImport"]
    found = (await execute_operation(services, principal, IDS, {"id": result["account"]["id"]}))["account"]
    return _imported(result["account"]["id"], found)


def _imported(account_id: str, found: dict[str, Any]) -> Imported:
    return Imported(
        account=account_id,
        people={s["externalIds"][0]["id"]: s["id"] for s in found["stakeholders"]["nodes"]},
        team={t["externalIds"][0]["id"]: t["id"] for t in found["team"]},
        circles={c["name"]: c["id"] for c in found["circles"]},
    )
