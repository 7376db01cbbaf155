"""What the tests of interactionsUpsert, teamMembersUpsert, coverageUpsert and their removals share."""

from __future__ import annotations

import json
from typing import Any

from service.graph.database import Database
from tests.conftest import GraphQLClient
from tests.sync.helpers import SOURCE, contact, create_account, rows, upsert

RESULT = "index status userErrors { field message code }"
UPSERT_COUNTS = "created updated unchanged failed userErrors { field message code }"
REMOVE_COUNTS = "removed unchanged failed userErrors { field message code }"

MUTATIONS = {
    "interactionsUpsert": ("InteractionsUpsertInput", f"results {{ externalId id {RESULT} }} {UPSERT_COUNTS}"),
    "teamMembersUpsert": ("TeamMembersUpsertInput", f"results {{ externalId id {RESULT} }} {UPSERT_COUNTS}"),
    "coverageUpsert": ("CoverageUpsertInput", f"results {{ teamMember stakeholder {RESULT} }} {UPSERT_COUNTS}"),
    "interactionsRemove": ("InteractionsRemoveInput", f"results {{ externalId {RESULT} }} {REMOVE_COUNTS}"),
    "teamMembersRemove": ("TeamMembersRemoveInput", f"results {{ externalId {RESULT} }} {REMOVE_COUNTS}"),
    "coveragesRemove": ("CoveragesRemoveInput", f"results {{ teamMember stakeholder {RESULT} }} {REMOVE_COUNTS}"),
}


def document(name: str) -> str:
    input_type, selection = MUTATIONS[name]
    return f"mutation Sync($input: {input_type}!) {{ {name}(input: $input) {{ {selection} }} }}"


async def call(client: GraphQLClient, name: str, **input_: Any) -> dict[str, Any]:
    """The payload of mutation `name` with `input_` (source `crm` unless given)."""
    variables = {"input": {"source": SOURCE, **input_}}
    payload: dict[str, Any] = (await client.data(document(name), variables))[name]
    return payload


def statuses(payload: dict[str, Any]) -> list[str]:
    return [result["status"] for result in payload["results"]]


def errors(payload: dict[str, Any]) -> dict[int, list[tuple[list[str], str]]]:
    return {r["index"]: [(e["field"], e["code"]) for e in r["userErrors"]] for r in payload["results"]}


def visit(key: str, *met: str, at: str = "2026-11-02T10:00:00Z", **fields: Any) -> dict[str, Any]:
    return {"externalId": key, "at": at, "type": "VISIT", "stakeholders": list(met) or ["p1"], **fields}


def member(key: str, name: str | None = None, role: str = "SALES", **fields: Any) -> dict[str, Any]:
    return {"externalId": key, "name": name or f"Member {key}", "role": role, **fields}


def covers(team_member: str, stakeholder: str, **fields: Any) -> dict[str, Any]:
    return {"teamMember": team_member, "stakeholder": stakeholder, **fields}


async def setup_account(client: GraphQLClient, people: int = 3, account: str = "acc-1") -> None:
    """An account `account` of source crm with people p1..pN and team members m1, m2."""
    await create_account(client, account)
    await upsert(client, [contact(f"p{n}") for n in range(1, people + 1)], account=account)
    await call(client, "teamMembersUpsert", teamMembers=[member("m1"), member("m2")])


async def interactions(db: Database, workspace: str) -> dict[str, dict[str, Any]]:
    """Every synced interaction by key: its values, team member's key and the keys of whom it met."""
    found = await rows(
        db,
        workspace,
        """
        MATCH (i:Interaction {workspaceId: $ws})
        RETURN i.externalId AS key, i {.type, .summary, .nextStep, at: toString(i.at)} AS props,
               [(i)-[:BY]->(:TeamMember)<-[:IDENTIFIES]-(r:TeamMemberRef) | r.externalId] AS members,
               [(i)-[:MET]->(:Stakeholder)<-[:IDENTIFIES]-(r:StakeholderRef) | r.externalId] AS met
        """,
    )
    return {row["key"]: {**row["props"], "members": row["members"], "met": sorted(row["met"])} for row in found}


async def team(db: Database, workspace: str) -> dict[str, dict[str, Any]]:
    found = await rows(
        db,
        workspace,
        """
        MATCH (r:TeamMemberRef {workspaceId: $ws})-[:IDENTIFIES]->(t:TeamMember)
        RETURN r.externalId AS key, t {.name, .role, .email} AS props
        """,
    )
    return {row["key"]: row["props"] for row in found}


async def coverage(db: Database, workspace: str) -> dict[tuple[str, str], dict[str, Any]]:
    found = await rows(
        db,
        workspace,
        """
        MATCH (:TeamMemberRef {workspaceId: $ws})-[:IDENTIFIES]->(t:TeamMember)-[c:COVERS]->(s:Stakeholder)
              <-[:IDENTIFIES]-(sr:StakeholderRef)
        MATCH (tr:TeamMemberRef)-[:IDENTIFIES]->(t)
        RETURN tr.externalId AS member, sr.externalId AS person, c {.relationshipStep, .relationshipType} AS props
        """,
    )
    return {(row["member"], row["person"]): row["props"] for row in found}


async def changes(db: Database, workspace: str, entity: str) -> list[dict[str, Any]]:
    """The change log's entries about `entity`, oldest first, values decoded."""
    found = await rows(
        db,
        workspace,
        """
        MATCH (c:Change {workspaceId: $ws, entity: $entity})
        RETURN c.op AS op, c.entityId AS entityId, c.accountId AS accountId, c.fields AS fields, c.old AS old,
               c.new AS new, [(c)-[:ABOUT]->(s) | s.id] AS about
        ORDER BY c.at, c.seq
        """,
        entity=entity,
    )
    return [
        {
            "op": row["op"],
            "entityId": row["entityId"],
            "accountId": row["accountId"],
            "values": {
                name: (json.loads(old), json.loads(new))
                for name, old, new in zip(row["fields"], row["old"], row["new"], strict=True)
            },
            "about": sorted(row["about"]),
        }
        for row in found
    ]


async def clock(db: Database, workspace: str) -> list[Any]:
    found = await rows(db, workspace, "MATCH (a:Account {workspaceId: $ws}) RETURN a.clock AS clock ORDER BY a.id")
    return [row["clock"] for row in found]
