"""Political circles by hand: the circle itself, its members, and rival or ally relations between circles."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.models import Circle, CircleMembership

Tx = AsyncManagedTransaction

CREATE_CIRCLE: LiteralString = """
CREATE (c:Circle {workspaceId: $ws, id: $id, accountId: $accountId, createdAt: $now, updatedAt: $now})
SET c += $props
RETURN c {.*} AS item
"""

UPDATE_CIRCLE: LiteralString = """
MATCH (c:Circle {workspaceId: $ws, id: $id})
SET c += $props, c.updatedAt = $now
RETURN c {.*} AS item
"""

CIRCLE_MEMBERS: LiteralString = """
MATCH (s:Stakeholder)-[m:MEMBER_OF]->(:Circle {workspaceId: $ws, id: $id})
RETURN s.id AS stakeholder, m.core AS core ORDER BY s.id
"""

DELETE_CIRCLE: LiteralString = """
MATCH (c:Circle {workspaceId: $ws, id: $id})
DETACH DELETE c
"""

MEMBERSHIP: LiteralString = """
MATCH (:Stakeholder {workspaceId: $ws, id: $stakeholderId})-[m:MEMBER_OF]->(:Circle {workspaceId: $ws, id: $circleId})
RETURN m.core AS core
"""

SET_MEMBERSHIP: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $stakeholderId}), (c:Circle {workspaceId: $ws, id: $circleId})
MERGE (s)-[m:MEMBER_OF]->(c)
  ON CREATE SET m.workspaceId = $ws, m.createdAt = $now
SET m.core = $core, m.updatedAt = $now
"""

REMOVE_MEMBERSHIP: LiteralString = """
MATCH (:Stakeholder {workspaceId: $ws, id: $stakeholderId})-[m:MEMBER_OF]->(:Circle {workspaceId: $ws, id: $circleId})
DELETE m
"""

SET_RIVALS: LiteralString = """
MATCH (a:Circle {workspaceId: $ws, id: $a}), (b:Circle {workspaceId: $ws, id: $b})
MERGE (a)-[r:RIVAL_OF]-(b)
  ON CREATE SET r.workspaceId = $ws, r.createdAt = $now
RETURN coalesce(r.createdAt = $now, false) AS created
"""

SET_ALLIES: LiteralString = """
MATCH (a:Circle {workspaceId: $ws, id: $a}), (b:Circle {workspaceId: $ws, id: $b})
MERGE (a)-[r:ALLIED_WITH]-(b)
  ON CREATE SET r.workspaceId = $ws, r.createdAt = $now
RETURN coalesce(r.createdAt = $now, false) AS created
"""

REMOVE_RIVALS: LiteralString = """
MATCH (:Circle {workspaceId: $ws, id: $a})-[r:RIVAL_OF]-(:Circle {workspaceId: $ws, id: $b})
DELETE r
RETURN count(r) AS removed
"""

REMOVE_ALLIES: LiteralString = """
MATCH (:Circle {workspaceId: $ws, id: $a})-[r:ALLIED_WITH]-(:Circle {workspaceId: $ws, id: $b})
DELETE r
RETURN count(r) AS removed
"""

RELATION_QUERIES: Mapping[str, tuple[LiteralString, LiteralString]] = {
    "RIVAL_OF": (SET_RIVALS, REMOVE_RIVALS),
    "ALLIED_WITH": (SET_ALLIES, REMOVE_ALLIES),
}


async def create_circle(
    tx: Tx, ws: str, circle_id: str, account_id: str, props: dict[str, Any], now: datetime
) -> Circle:
    rows = await fetch(tx, CREATE_CIRCLE, ws=ws, id=circle_id, accountId=account_id, props=props, now=now)
    return records.circle_from(rows[0]["item"])


async def update_circle(tx: Tx, ws: str, circle_id: str, props: dict[str, Any], now: datetime) -> Circle:
    rows = await fetch(tx, UPDATE_CIRCLE, ws=ws, id=circle_id, props=props, now=now)
    return records.circle_from(rows[0]["item"])


async def circle_members(tx: Tx, ws: str, circle_id: str) -> list[CircleMembership]:
    """Every member, archived ones included."""
    rows = await fetch(tx, CIRCLE_MEMBERS, ws=ws, id=circle_id)
    return [CircleMembership(row["stakeholder"], circle_id, bool(row["core"])) for row in rows]


async def delete_circle(tx: Tx, ws: str, circle_id: str) -> None:
    await fetch(tx, DELETE_CIRCLE, ws=ws, id=circle_id)


async def membership(tx: Tx, ws: str, circle_id: str, stakeholder_id: str) -> CircleMembership | None:
    rows = await fetch(tx, MEMBERSHIP, ws=ws, circleId=circle_id, stakeholderId=stakeholder_id)
    return CircleMembership(stakeholder_id, circle_id, bool(rows[0]["core"])) if rows else None


async def set_membership(tx: Tx, ws: str, circle_id: str, stakeholder_id: str, core: bool, now: datetime) -> None:
    await fetch(tx, SET_MEMBERSHIP, ws=ws, circleId=circle_id, stakeholderId=stakeholder_id, core=core, now=now)


async def remove_membership(tx: Tx, ws: str, circle_id: str, stakeholder_id: str) -> None:
    await fetch(tx, REMOVE_MEMBERSHIP, ws=ws, circleId=circle_id, stakeholderId=stakeholder_id)


async def set_relation(tx: Tx, ws: str, relation: str, a_id: str, b_id: str, now: datetime) -> bool:
    """`relation` is RIVAL_OF or ALLIED_WITH; stored once per pair, from the lower id to the higher. True
    when it is new."""
    low, high = sorted((a_id, b_id))
    rows = await fetch(tx, RELATION_QUERIES[relation][0], ws=ws, a=low, b=high, now=now)
    return bool(rows[0]["created"])


async def remove_relation(tx: Tx, ws: str, relation: str, a_id: str, b_id: str) -> bool:
    """False when the two circles had no such relation."""
    rows = await fetch(tx, RELATION_QUERIES[relation][1], ws=ws, a=a_id, b=b_id)
    return bool(rows[0]["removed"])
