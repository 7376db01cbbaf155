"""What the sync tests share: the mutations, an account to sync into, and reads of the stored graph."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from tests.conftest import ACCOUNT_DATA, GraphQLClient

SOURCE = "crm"
ACCOUNT = "acc-1"

UPSERT = """
mutation Upsert($input: StakeholdersUpsertInput!) {
  stakeholdersUpsert(input: $input) {
    results { index externalId status userErrors { field message code } }
    created updated unchanged failed dryRun
    userErrors { field message code }
  }
}
"""

UPSERT_WITH_STAKEHOLDERS = """
mutation Upsert($input: StakeholdersUpsertInput!) {
  stakeholdersUpsert(input: $input) {
    results { index status stakeholder { id name title stance buyingRoles archived version reportsTo { name } } }
    created updated unchanged failed
    userErrors { field message code }
  }
}
"""

IMPORT = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) { account { id } userErrors { field message code } }
}
"""


async def create_account(
    client: GraphQLClient,
    external_id: str = ACCOUNT,
    source: str = SOURCE,
    stakeholders: list[dict[str, Any]] | None = None,
) -> str:
    """An account known to `source` as `external_id` (made by the whole-account import); its global id."""
    data = await client.data(
        IMPORT,
        {
            "input": {
                "source": source,
                "account": {"externalId": external_id, "name": f"Account {external_id}"},
                "stakeholders": stakeholders or [],
            }
        },
    )
    payload = data["accountGraphImport"]
    assert payload["userErrors"] == []
    account_id: str = payload["account"]["id"]
    return account_id


def contact(external_id: str, name: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"externalId": external_id, "name": name or f"Person {external_id}", **fields}


async def upsert(
    client: GraphQLClient,
    contacts: list[dict[str, Any]],
    account: str = ACCOUNT,
    source: str = SOURCE,
    query: str = UPSERT,
    **extra: Any,
) -> dict[str, Any]:
    variables = {"input": {"source": source, "account": account, "contacts": contacts, **extra}}
    payload: dict[str, Any] = (await client.data(query, variables))["stakeholdersUpsert"]
    return payload


def statuses(payload: dict[str, Any]) -> list[str]:
    return [result["status"] for result in payload["results"]]


async def rows(db: Database, workspace: str, query: str, **params: Any) -> list[dict[str, Any]]:
    """The records of `query`, which reads workspace `$ws`."""
    records, _, _ = await db.driver.execute_query(query, ws=workspace, **params)
    return [record.data() for record in records]


async def people(db: Database, workspace: str, source: str = SOURCE) -> dict[str, dict[str, Any]]:
    """Every stakeholder known to `source`, by external id: properties, manager's name, refs per key."""
    found = await rows(
        db,
        workspace,
        """
        MATCH (r:StakeholderRef {workspaceId: $ws, source: $source})-[:IDENTIFIES]->(s:Stakeholder)
        RETURN r.externalId AS key, s {.*} AS props, [(s)-[:REPORTS_TO]->(m) | m.name] AS managers
        """,
        source=source,
    )
    return {row["key"]: {**row["props"], "managers": row["managers"]} for row in found}


async def graph_snapshot(db: Database, workspace: str) -> tuple[int, int, list[dict[str, Any]]]:
    """The workspace's node and relationship counts and every stakeholder's properties: equal snapshots =
    nothing written."""
    counts = await rows(
        db,
        workspace,
        f"MATCH (n {{workspaceId: $ws}}) WHERE {ACCOUNT_DATA} RETURN count(n) AS nodes, sum(COUNT {{ (n)-->() }}) AS rels",
    )
    props = await rows(db, workspace, "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN s {.*} AS s ORDER BY s.id")
    return counts[0]["nodes"], counts[0]["rels"], [row["s"] for row in props]
