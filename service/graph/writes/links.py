"""Influence links and ties by hand. Hand-made relationships carry no `source`; a tie is stored once,
from the lower stakeholder id to the higher, as the import stores it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.models import InfluenceLink, Tie

Tx = AsyncManagedTransaction

INFLUENCE_BETWEEN: LiteralString = """
MATCH (a:Stakeholder {workspaceId: $ws, id: $from})-[r:INFLUENCES]->(b:Stakeholder {workspaceId: $ws, id: $to})
RETURN r {.*, from: a.id, to: b.id} AS item
"""

INFLUENCE_BY_ID: LiteralString = """
MATCH (a:Stakeholder)-[r:INFLUENCES {id: $id}]->(b:Stakeholder)
WHERE r.workspaceId = $ws
SET a._lock = true REMOVE a._lock
SET b._lock = true REMOVE b._lock
RETURN r {.*, from: a.id, to: b.id} AS item
"""

CREATE_INFLUENCE: LiteralString = """
MATCH (a:Stakeholder {workspaceId: $ws, id: $from}), (b:Stakeholder {workspaceId: $ws, id: $to})
CREATE (a)-[r:INFLUENCES {id: $id, workspaceId: $ws, createdAt: $now, updatedAt: $now}]->(b)
SET r += $props
RETURN r {.*, from: a.id, to: b.id} AS item
"""

UPDATE_INFLUENCE: LiteralString = """
MATCH (a:Stakeholder)-[r:INFLUENCES {id: $id}]->(b:Stakeholder)
WHERE r.workspaceId = $ws
SET r += $props, r.updatedAt = $now
RETURN r {.*, from: a.id, to: b.id} AS item
"""

DELETE_INFLUENCE: LiteralString = """
MATCH (a)-[r:INFLUENCES {id: $id}]->()
WHERE r.workspaceId = $ws
DELETE r
RETURN a.accountId AS accountId
"""

TIE_BETWEEN: LiteralString = """
MATCH (a:Stakeholder {workspaceId: $ws, id: $a})-[r:TIE {kind: $kind}]-(b:Stakeholder {workspaceId: $ws, id: $b})
RETURN r {.*, a: startNode(r).id, b: endNode(r).id} AS item
"""

TIE_BY_ID: LiteralString = """
MATCH (a:Stakeholder)-[r:TIE {id: $id}]->(b:Stakeholder)
WHERE r.workspaceId = $ws
SET a._lock = true REMOVE a._lock
SET b._lock = true REMOVE b._lock
RETURN r {.*, a: a.id, b: b.id} AS item
"""

CREATE_TIE: LiteralString = """
MATCH (a:Stakeholder {workspaceId: $ws, id: $a}), (b:Stakeholder {workspaceId: $ws, id: $b})
CREATE (a)-[r:TIE {id: $id, kind: $kind, workspaceId: $ws, createdAt: $now, updatedAt: $now}]->(b)
SET r += $props
RETURN r {.*, a: a.id, b: b.id} AS item
"""

UPDATE_TIE: LiteralString = """
MATCH (a:Stakeholder)-[r:TIE {id: $id}]->(b:Stakeholder)
WHERE r.workspaceId = $ws
SET r += $props, r.updatedAt = $now
RETURN r {.*, a: a.id, b: b.id} AS item
"""

DELETE_TIE: LiteralString = """
MATCH (a)-[r:TIE {id: $id}]->()
WHERE r.workspaceId = $ws
DELETE r
RETURN a.accountId AS accountId
"""


async def _one(tx: Tx, query: LiteralString, **params: Any) -> Any:
    rows = await fetch(tx, query, **params)
    return rows[0]["item"] if rows else None


async def influence_between(tx: Tx, ws: str, from_id: str, to_id: str) -> InfluenceLink | None:
    found = await _one(tx, INFLUENCE_BETWEEN, ws=ws, **{"from": from_id, "to": to_id})
    return None if found is None else records.influence_from(found)


async def influence_by_id(tx: Tx, ws: str, link_id: str) -> InfluenceLink | None:
    """The link, its two stakeholders locked."""
    found = await _one(tx, INFLUENCE_BY_ID, ws=ws, id=link_id)
    return None if found is None else records.influence_from(found)


async def create_influence(
    tx: Tx, ws: str, link_id: str, from_id: str, to_id: str, props: dict[str, Any], now: datetime
) -> InfluenceLink:
    found = await _one(tx, CREATE_INFLUENCE, ws=ws, id=link_id, props=props, now=now, **{"from": from_id, "to": to_id})
    return records.influence_from(found)


async def update_influence(tx: Tx, ws: str, link_id: str, props: dict[str, Any], now: datetime) -> InfluenceLink:
    return records.influence_from(await _one(tx, UPDATE_INFLUENCE, ws=ws, id=link_id, props=props, now=now))


async def delete_influence(tx: Tx, ws: str, link_id: str) -> str:
    """Delete the link; returns its account."""
    rows = await fetch(tx, DELETE_INFLUENCE, ws=ws, id=link_id)
    return str(rows[0]["accountId"])


async def tie_between(tx: Tx, ws: str, kind: str, a_id: str, b_id: str) -> Tie | None:
    found = await _one(tx, TIE_BETWEEN, ws=ws, kind=kind, a=a_id, b=b_id)
    return None if found is None else records.tie_from(found)


async def tie_by_id(tx: Tx, ws: str, tie_id: str) -> Tie | None:
    """The tie, its two stakeholders locked."""
    found = await _one(tx, TIE_BY_ID, ws=ws, id=tie_id)
    return None if found is None else records.tie_from(found)


async def create_tie(
    tx: Tx, ws: str, tie_id: str, kind: str, a_id: str, b_id: str, props: dict[str, Any], now: datetime
) -> Tie:
    """`a_id` must be the lower id: ties are stored from the lower id to the higher."""
    found = await _one(tx, CREATE_TIE, ws=ws, id=tie_id, kind=kind, a=a_id, b=b_id, props=props, now=now)
    return records.tie_from(found)


async def update_tie(tx: Tx, ws: str, tie_id: str, props: dict[str, Any], now: datetime) -> Tie:
    return records.tie_from(await _one(tx, UPDATE_TIE, ws=ws, id=tie_id, props=props, now=now))


async def delete_tie(tx: Tx, ws: str, tie_id: str) -> str:
    """Delete the tie; returns its account."""
    rows = await fetch(tx, DELETE_TIE, ws=ws, id=tie_id)
    return str(rows[0]["accountId"])
