"""The visit log by hand: record an interaction (optionally under a source's external id), delete one."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.models import Interaction

Tx = AsyncManagedTransaction

CLAIM_INTERACTION_KEY: LiteralString = """
MERGE (i:Interaction {workspaceId: $ws, accountId: $accountId, source: $source, externalId: $externalId})
  ON CREATE SET i.id = $id
RETURN i.id = $id AS fresh
"""

RECORD_INTERACTION: LiteralString = """
MERGE (i:Interaction {workspaceId: $ws, id: $id})
  ON CREATE SET i.accountId = $accountId
SET i += $props, i.createdAt = $now, i.updatedAt = $now
WITH i
CALL (i) {
  MATCH (t:TeamMember {workspaceId: $ws, id: $teamMemberId})
  CREATE (i)-[:BY {workspaceId: $ws}]->(t)
}
CALL (i) {
  UNWIND $stakeholderIds AS stakeholderId
  MATCH (s:Stakeholder {workspaceId: $ws, id: stakeholderId})
  CREATE (i)-[:MET {workspaceId: $ws}]->(s)
}
RETURN i {.*, teamMember: [(i)-[:BY]->(t) | t.id][0], stakeholders: [(i)-[:MET]->(s) | s.id]} AS item
"""

INTERACTION_LINKS: LiteralString = """
MATCH (i:Interaction {workspaceId: $ws, id: $id})
RETURN [(i)-[:BY]->(t) | t.id][0] AS teamMember, [(i)-[:MET]->(s) | s.id] AS stakeholders
"""

UPDATE_INTERACTION: LiteralString = """
MATCH (i:Interaction {workspaceId: $ws, id: $id})
SET i += $props, i.updatedAt = $now
WITH i
CALL (i) {
  WITH i WHERE $relinkTeamMember
  OPTIONAL MATCH (i)-[old:BY]->()
  DELETE old
  WITH DISTINCT i
  MATCH (t:TeamMember {workspaceId: $ws, id: $teamMemberId})
  CREATE (i)-[:BY {workspaceId: $ws}]->(t)
}
CALL (i) {
  WITH i WHERE $stakeholderIds IS NOT NULL
  OPTIONAL MATCH (i)-[old:MET]->()
  DELETE old
  WITH DISTINCT i
  UNWIND $stakeholderIds AS stakeholderId
  MATCH (s:Stakeholder {workspaceId: $ws, id: stakeholderId})
  CREATE (i)-[:MET {workspaceId: $ws}]->(s)
}
RETURN i {.*, teamMember: [(i)-[:BY]->(t) | t.id][0], stakeholders: [(i)-[:MET]->(s) | s.id]} AS item
"""

DELETE_INTERACTION: LiteralString = """
MATCH (i:Interaction {workspaceId: $ws, id: $id})
DETACH DELETE i
"""


async def claim_interaction_key(
    tx: Tx, ws: str, interaction_id: str, account_id: str, source: str, external_id: str
) -> bool:
    """Take (source, external id) in the account for `interaction_id`; False when another interaction has it."""
    rows = await fetch(
        tx, CLAIM_INTERACTION_KEY, ws=ws, id=interaction_id, accountId=account_id, source=source, externalId=external_id
    )
    return bool(rows[0]["fresh"])


async def record_interaction(
    tx: Tx,
    ws: str,
    interaction_id: str,
    account_id: str,
    props: dict[str, Any],
    team_member_id: str | None,
    stakeholder_ids: list[str],
    now: datetime,
) -> Interaction:
    rows = await fetch(
        tx,
        RECORD_INTERACTION,
        ws=ws,
        id=interaction_id,
        accountId=account_id,
        props=props,
        teamMemberId=team_member_id,
        stakeholderIds=stakeholder_ids,
        now=now,
    )
    return records.interaction_from(rows[0]["item"])


async def interaction_links(tx: Tx, ws: str, interaction_id: str) -> tuple[str | None, list[str]]:
    """Who logged it and whom it met (sorted)."""
    row = (await fetch(tx, INTERACTION_LINKS, ws=ws, id=interaction_id))[0]
    return row["teamMember"], sorted(row["stakeholders"])


async def update_interaction(
    tx: Tx,
    ws: str,
    interaction_id: str,
    props: dict[str, Any],
    team_member: tuple[str | None] | None,
    stakeholder_ids: list[str] | None,
    now: datetime,
) -> Interaction:
    """Set `props` (None removes); `team_member` None keeps who logged it, else a 1-tuple with the new one
    (or None: nobody); `stakeholder_ids` None keeps whom it met."""
    rows = await fetch(
        tx,
        UPDATE_INTERACTION,
        ws=ws,
        id=interaction_id,
        props=props,
        relinkTeamMember=team_member is not None,
        teamMemberId=None if team_member is None else team_member[0],
        stakeholderIds=stakeholder_ids,
        now=now,
    )
    return records.interaction_from(rows[0]["item"])


async def delete_interaction(tx: Tx, ws: str, interaction_id: str) -> None:
    await fetch(tx, DELETE_INTERACTION, ws=ws, id=interaction_id)
