"""Ids of the deal document's records, in this workspace or another one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.graph.database import Database
from service.rules.access import Principal, Role
from service.schema.operations import execute_operation
from service.usecases.services import Services
from tests.conftest import GraphQLClient
from tests.deals.documents import IMPORT, document

IDS = """
query {
  accountByExternalId(source: "crm", id: "acc-d") {
    id
    stakeholders(first: 100) { nodes { id externalIds { id } } }
    team { id externalIds { id } }
    opportunities(first: 100) { nodes { id externalIds { id } } }
  }
  competitors(first: 100) { nodes { id externalIds { id } reps { id externalIds { id } } } }
}
"""


@dataclass(frozen=True)
class DealIds:
    """Global ids by external id."""

    account: str
    people: dict[str, str]
    team: dict[str, str]
    opportunities: dict[str, str]
    competitors: dict[str, str]
    reps: dict[str, str]

    def __getitem__(self, external_id: str) -> str:
        for found in (self.people, self.team, self.opportunities, self.competitors, self.reps):
            if external_id in found:
                return found[external_id]
        raise KeyError(external_id)


def _by_external_id(nodes: list[dict[str, Any]]) -> dict[str, str]:
    return {n["externalIds"][0]["id"]: n["id"] for n in nodes if n["externalIds"]}


def _ids(data: dict[str, Any]) -> DealIds:
    account = data["accountByExternalId"]
    competitors = data["competitors"]["nodes"]
    return DealIds(
        account=account["id"],
        people=_by_external_id(account["stakeholders"]["nodes"]),
        team=_by_external_id(account["team"]),
        opportunities=_by_external_id(account["opportunities"]["nodes"]),
        competitors=_by_external_id(competitors),
        reps=_by_external_id([rep for c in competitors for rep in c["reps"]]),
    )


async def import_deals(client: GraphQLClient, **changes: Any) -> DealIds:
    """The deal document (with `changes`) imported here."""
    result = (await client.data(IMPORT, {"input": document(**changes)}))["accountGraphImport"]
    assert result["userErrors"] == []
    return _ids(await client.data(IDS))


async def import_deals_elsewhere(db: Database, workspace: str) -> DealIds:
    """The same document in another workspace: ids that must be NOT_FOUND here."""
    services, principal = Services(db), Principal(workspace, Role.ADMIN, "test")
    result = (await execute_operation(services, principal, IMPORT, {"input": document()}))["accountGraphImport"]
    assert result["userErrors"] == []
    return _ids(await execute_operation(services, principal, IDS, {}))


async def changes(db: Database, workspace: str, entity: str) -> list[tuple[str, str, list[str], list[Any], list[Any]]]:
    """Every logged change of `entity`: (entity id, op, fields, old, new), oldest first."""
    import json

    records, _, _ = await db.driver.execute_query(
        "MATCH (c:Change {workspaceId: $ws, entity: $entity}) RETURN c.entityId AS id, c.op AS op, c.fields AS fields, c.old AS old, "
        "c.new AS new ORDER BY c.at, c.txId, c.seq",
        entity=entity,
        ws=workspace,
    )
    return [
        (r["id"], r["op"], r["fields"], [json.loads(v) for v in r["old"]], [json.loads(v) for v in r["new"]])
        for r in records
    ]
