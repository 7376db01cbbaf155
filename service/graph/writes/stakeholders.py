"""Stakeholders by hand: create, update (with its version), reporting lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.models import Stakeholder

Tx = AsyncManagedTransaction

CREATE_STAKEHOLDER: LiteralString = """
CREATE (s:Stakeholder {workspaceId: $ws, id: $id, accountId: $accountId, archived: false, version: 1,
                       createdAt: $now, updatedAt: $now})
SET s += $props
WITH s
CALL (s) {
  MATCH (m:Stakeholder {workspaceId: $ws, id: $managerId})
  CREATE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m)
}
RETURN s {.*} AS item
"""

UPDATE_STAKEHOLDER: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
SET s += $props, s.version = s.version + 1, s.updatedAt = $now
RETURN s {.*} AS item
"""

REPORTING: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
OPTIONAL MATCH (m:Stakeholder {workspaceId: $ws, id: $managerId})
RETURN [(s)-[:REPORTS_TO]->(x) | x.id][0] AS current,
       CASE WHEN m IS NULL THEN false ELSE EXISTS { (m)-[:REPORTS_TO*1..]->(s) } END AS cycle
"""

SET_MANAGER: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
CALL (s) {
  MATCH (s)-[old:REPORTS_TO]->()
  DELETE old
}
CALL (s) {
  MATCH (m:Stakeholder {workspaceId: $ws, id: $managerId})
  CREATE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m)
}
"""


async def create_stakeholder(
    tx: Tx,
    ws: str,
    stakeholder_id: str,
    account_id: str,
    props: dict[str, Any],
    manager_id: str | None,
    now: datetime,
) -> Stakeholder:
    rows = await fetch(
        tx,
        CREATE_STAKEHOLDER,
        ws=ws,
        id=stakeholder_id,
        accountId=account_id,
        props=props,
        managerId=manager_id,
        now=now,
    )
    return records.stakeholder_from(rows[0]["item"])


async def update_stakeholder(tx: Tx, ws: str, stakeholder_id: str, props: dict[str, Any], now: datetime) -> Stakeholder:
    """Set `props` (None removes) and count one more version."""
    rows = await fetch(tx, UPDATE_STAKEHOLDER, ws=ws, id=stakeholder_id, props=props, now=now)
    return records.stakeholder_from(rows[0]["item"])


async def reporting(tx: Tx, ws: str, stakeholder_id: str, manager_id: str | None) -> tuple[str | None, bool]:
    """The stakeholder's current manager, and whether reporting to `manager_id` would close a cycle."""
    rows = await fetch(tx, REPORTING, ws=ws, id=stakeholder_id, managerId=manager_id)
    return rows[0]["current"], bool(rows[0]["cycle"])


async def set_manager(tx: Tx, ws: str, stakeholder_id: str, manager_id: str | None) -> None:
    """Replace the stakeholder's reporting line (None: reports to nobody)."""
    await fetch(tx, SET_MANAGER, ws=ws, id=stakeholder_id, managerId=manager_id)
