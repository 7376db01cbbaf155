"""What the isolation and role tests share: two workspaces with the same external ids, the ids of every
type in each, the schema from the API's own introspection, and graph snapshots of one workspace."""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from graphql import GraphQLSchema, build_client_schema, get_introspection_query

from service.graph.database import Database
from tests.conftest import GraphQLClient

MARKER = "LEAKB"
"""Appended to every name and text of the other workspace's data: seen anywhere in our answers, it leaked."""
MARKED_FIELDS = frozenset({"name", "title", "department", "notes", "summary", "nextStep", "topic", "note"})

IDS_QUERY = """{
  accounts(first: 10) { nodes {
    id
    stakeholders(first: 100, includeArchived: true) { nodes { id } }
    circles { id } influenceLinks { id } ties { id } team { id } interactions(first: 100) { id }
  } }
  apiKeys(first: 100, includeRevoked: true) { nodes { id } }
}"""

ID_TYPES = ("Account", "Stakeholder", "PoliticalCircle", "InfluenceLink", "Tie", "TeamMember", "Interaction", "ApiKey")


def canon_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("service.demo").joinpath("canon-zhuhai.json").read_text("utf-8"))
    return data


def marked(value: Any, key: str | None = None) -> Any:
    """The document with MARKER appended to each name and text (external ids stay the same)."""
    if isinstance(value, dict):
        return {k: marked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [marked(v, key) for v in value]
    if isinstance(value, str) and key in MARKED_FIELDS:
        return value + MARKER
    return value


IMPORT = """mutation($input: AccountGraphInput!) { accountGraphImport(input: $input) { userErrors { message } } }"""


async def load(client: GraphQLClient, document: dict[str, Any]) -> None:
    payload = (await client.data(IMPORT, copy.deepcopy(document)))["accountGraphImport"]
    assert payload["userErrors"] == []


@dataclass
class WorkspaceIds:
    by_type: dict[str, list[str]]

    def first(self, type_name: str) -> str:
        return self.by_type[type_name][0]

    @property
    def raw(self) -> set[str]:
        """The internal ids behind the global ids."""
        found = set()
        for ids in self.by_type.values():
            for global_id in ids:
                padded = global_id + "=" * (-len(global_id) % 4)
                found.add(base64.urlsafe_b64decode(padded).decode().partition(":")[2])
        return found

    @property
    def all(self) -> set[str]:
        return {i for ids in self.by_type.values() for i in ids}


async def collect_ids(client: GraphQLClient) -> WorkspaceIds:
    data = await client.data(IDS_QUERY)
    by_type: dict[str, list[str]] = {t: [] for t in ID_TYPES}
    for account in data["accounts"]["nodes"]:
        by_type["Account"].append(account["id"])
        by_type["Stakeholder"] += [s["id"] for s in account["stakeholders"]["nodes"]]
        by_type["PoliticalCircle"] += [c["id"] for c in account["circles"]]
        by_type["InfluenceLink"] += [c["id"] for c in account["influenceLinks"]]
        by_type["Tie"] += [c["id"] for c in account["ties"]]
        by_type["TeamMember"] += [c["id"] for c in account["team"]]
        by_type["Interaction"] += [c["id"] for c in account["interactions"]]
    by_type["ApiKey"] = [k["id"] for k in data["apiKeys"]["nodes"]]
    assert all(by_type.values()), {t: len(v) for t, v in by_type.items()}
    return WorkspaceIds(by_type)


async def introspected_schema(client: GraphQLClient) -> GraphQLSchema:
    """The schema as the API tells it (introspection), the way any client would learn it."""
    return build_client_schema(await client.data(get_introspection_query()))  # type: ignore[arg-type]


WORKSPACE_NODES = "MATCH (n {workspaceId: $ws}) RETURN labels(n) AS labels, properties(n) AS props"
WORKSPACE_RELATIONSHIPS = """
MATCH (a {workspaceId: $ws})-[r]->(b)
RETURN type(r) AS type, elementId(a) AS a, elementId(b) AS b, properties(r) AS props
"""
CROSSING = """
MATCH (a)-[r]->(b)
WHERE a.workspaceId IS NOT NULL AND (a.workspaceId <> b.workspaceId OR coalesce(r.workspaceId, '') <> a.workspaceId)
RETURN count(r) AS crossing
"""


async def workspace_snapshot(db: Database, ws: str) -> tuple[list[str], list[str]]:
    """Every node and relationship of the workspace with all its properties, sorted."""
    nodes, _, _ = await db.driver.execute_query(WORKSPACE_NODES, ws=ws)
    rels, _, _ = await db.driver.execute_query(WORKSPACE_RELATIONSHIPS, ws=ws)
    return (
        sorted(repr((sorted(r["labels"]), sorted(r["props"].items()))) for r in nodes),
        sorted(repr((r["type"], r["a"], r["b"], sorted(r["props"].items()))) for r in rels),
    )


async def crossing_relationships(db: Database) -> int:
    """Relationships that join two workspaces, or carry none or another: there must be none."""
    rows, _, _ = await db.driver.execute_query(CROSSING)
    total: int = rows[0]["crossing"]
    return total
