"""Accounts by hand: create (optionally identified by a source's external id), update, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.models import Account

Tx = AsyncManagedTransaction

CLAIM_ACCOUNT_REF: LiteralString = """
MERGE (r:AccountRef {workspaceId: $ws, source: $source, externalId: $externalId})
RETURN EXISTS { (r)-[:IDENTIFIES]->() } AS taken
"""

CREATE_ACCOUNT: LiteralString = """
CREATE (a:Account {workspaceId: $ws, id: $id, createdAt: $now, updatedAt: $now})
SET a += $props
WITH a
CALL (a) {
  MATCH (r:AccountRef {workspaceId: $ws, source: $source, externalId: $externalId})
  CREATE (r)-[:IDENTIFIES {workspaceId: $ws}]->(a)
}
RETURN a {.*} AS item
"""

UPDATE_ACCOUNT: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $id})
SET a += $props, a.updatedAt = $now
RETURN a {.*} AS item
"""

LOCK_ACCOUNT_PEOPLE: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, accountId: $id}) WHERE s.name IS NOT NULL
SET s._lock = true REMOVE s._lock
RETURN count(CASE WHEN NOT s.archived THEN 1 END) AS active
"""

DELETE_ACCOUNT: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $id})
CALL (a) {
  MATCH (r:StakeholderRef)-[:IDENTIFIES]->(s:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE s.name IS NOT NULL
  DETACH DELETE r
}
CALL (a) {
  MATCH (n:Stakeholder {workspaceId: $ws, accountId: a.id}) WHERE n.name IS NOT NULL
  DETACH DELETE n
}
CALL (a) {
  MATCH (n:Circle {workspaceId: $ws, accountId: a.id})
  DETACH DELETE n
}
CALL (a) {
  MATCH (n:Interaction {workspaceId: $ws, accountId: a.id})
  DETACH DELETE n
}
CALL (a) {
  MATCH (n:Opportunity {workspaceId: $ws, accountId: a.id})
  USING INDEX n:Opportunity(workspaceId, accountId, name)
  WHERE n.name IS NOT NULL
  DETACH DELETE n
}
CALL (a) {
  MATCH (n:Criterion {workspaceId: $ws, accountId: a.id})
  DETACH DELETE n
}
CALL (a) {
  MATCH (n:Checkpoint {workspaceId: $ws, accountId: a.id})
  USING INDEX n:Checkpoint(workspaceId, accountId, at)
  WHERE n.at IS NOT NULL
  DETACH DELETE n
}
CALL (a) {
  MATCH (r:AccountRef)-[:IDENTIFIES]->(a)
  DETACH DELETE r
}
DETACH DELETE a
"""


async def claim_account_ref(tx: Tx, ws: str, source: str, external_id: str) -> bool:
    """Take (source, external id) for a new account; False when another account already has it."""
    rows = await fetch(tx, CLAIM_ACCOUNT_REF, ws=ws, source=source, externalId=external_id)
    return not rows[0]["taken"]


async def create_account(
    tx: Tx, ws: str, account_id: str, props: dict[str, Any], ref: tuple[str, str] | None, now: datetime
) -> Account:
    source, external_id = ref if ref else (None, None)
    rows = await fetch(
        tx, CREATE_ACCOUNT, ws=ws, id=account_id, props=props, source=source, externalId=external_id, now=now
    )
    return records.account_from(rows[0]["item"])


async def update_account(tx: Tx, ws: str, account_id: str, props: dict[str, Any], now: datetime) -> Account:
    rows = await fetch(tx, UPDATE_ACCOUNT, ws=ws, id=account_id, props=props, now=now)
    return records.account_from(rows[0]["item"])


async def active_stakeholders(tx: Tx, ws: str, account_id: str) -> int:
    """How many of the account's stakeholders are not archived; locks them all first."""
    rows = await fetch(tx, LOCK_ACCOUNT_PEOPLE, ws=ws, id=account_id)
    return int(rows[0]["active"])


async def delete_account(tx: Tx, ws: str, account_id: str) -> None:
    """The account with its (archived) stakeholders, its circles, interactions and opportunities (with their
    scorecards). The change log stays:
    it tells what the account was, and when it went."""
    await fetch(tx, DELETE_ACCOUNT, ws=ws, id=account_id)
