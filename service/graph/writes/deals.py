"""Opportunities with their buying centre, competitors involved and scorecard, in the caller's transaction.

Every write takes rows, so that one query serves a mutation (one row) and an import (many). Relations
created by an import carry its `source`; those made by hand have none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.deal_snapshots import OPPORTUNITY_STATE, opportunity_record_from, stored_opportunity_from
from service.graph.driver import fetch
from service.rules.deals.import_plan import StoredOpportunity
from service.rules.deals.model import OpportunityRecord

Tx = AsyncManagedTransaction
Rows = Sequence[dict[str, Any]]

OPPORTUNITY: LiteralString = "MATCH (o:Opportunity {workspaceId: $ws, id: $id})" + OPPORTUNITY_STATE

OPPORTUNITY_WITH_KEY: LiteralString = """
MATCH (o:Opportunity {workspaceId: $ws, accountId: $accountId, source: $source, externalId: $externalId})
RETURN o.id AS id
"""

CREATE_OPPORTUNITIES: LiteralString = """
UNWIND $rows AS row
CREATE (o:Opportunity {workspaceId: $ws, id: row.id, accountId: row.accountId, createdAt: $now, updatedAt: $now})
SET o += row.props, o.source = row.source, o.externalId = row.externalId
"""

UPDATE_OPPORTUNITIES: LiteralString = """
UNWIND $rows AS row
MATCH (o:Opportunity {workspaceId: $ws, id: row.id})
SET o += row.props, o.updatedAt = $now
"""

DELETE_OPPORTUNITIES: LiteralString = """
UNWIND $ids AS id
MATCH (o:Opportunity {workspaceId: $ws, id: id})
CALL (o) {
  MATCH (o)-[:HAS_CRITERION]->(k:Criterion)
  DETACH DELETE k
}
DETACH DELETE o
"""

SET_MEMBERS: LiteralString = """
UNWIND $rows AS row
MATCH (s:Stakeholder {workspaceId: $ws, id: row.stakeholderId}), (o:Opportunity {workspaceId: $ws, id: row.opportunityId})
MERGE (s)-[m:IN_BUYING_CENTRE]->(o)
  ON CREATE SET m.workspaceId = $ws, m.source = $source, m.createdAt = $now
SET m += row.props, m.updatedAt = $now
"""

REMOVE_MEMBERS: LiteralString = """
UNWIND $rows AS row
MATCH (:Stakeholder {workspaceId: $ws, id: row.stakeholderId})-[m:IN_BUYING_CENTRE]->(:Opportunity {workspaceId: $ws, id: row.opportunityId})
DELETE m
"""

SET_INVOLVEMENTS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Competitor {workspaceId: $ws, id: row.competitorId}), (o:Opportunity {workspaceId: $ws, id: row.opportunityId})
MERGE (c)-[x:COMPETES_FOR]->(o)
  ON CREATE SET x.workspaceId = $ws, x.source = $source, x.createdAt = $now
SET x += row.props, x.updatedAt = $now
"""

REMOVE_INVOLVEMENTS: LiteralString = """
UNWIND $rows AS row
MATCH (:Competitor {workspaceId: $ws, id: row.competitorId})-[x:COMPETES_FOR]->(:Opportunity {workspaceId: $ws, id: row.opportunityId})
DELETE x
"""

REPLACE_SCORECARDS: LiteralString = """
UNWIND $rows AS row
MATCH (o:Opportunity {workspaceId: $ws, id: row.opportunityId})
CALL (o) {
  MATCH (o)-[:HAS_CRITERION]->(k:Criterion)
  DETACH DELETE k
}
WITH o, row
UNWIND row.criteria AS c
CREATE (o)-[:HAS_CRITERION {workspaceId: $ws}]->(k:Criterion {workspaceId: $ws, id: c.id, accountId: o.accountId,
  opportunityId: o.id, position: c.position, name: c.name, weight: c.weight, ourScore: c.ourScore})
WITH k, c
CALL (k, c) {
  UNWIND c.scores AS score
  MATCH (competitor:Competitor {workspaceId: $ws, id: score.competitorId})
  CREATE (competitor)-[:SCORED {workspaceId: $ws, score: score.score}]->(k)
}
CALL (k, c) {
  UNWIND c.cares AS care
  MATCH (s:Stakeholder {workspaceId: $ws, id: care.stakeholderId})
  CREATE (s)-[:CARES_ABOUT {workspaceId: $ws, weight: care.weight}]->(k)
}
"""
"""Each row's criteria replace the opportunity's; a row without criteria removes its scorecard."""


async def opportunity_state(tx: Tx, ws: str, opportunity_id: str) -> StoredOpportunity | None:
    """The opportunity with its members (archived ones too), competitors involved and scorecard."""
    rows = await fetch(tx, OPPORTUNITY, ws=ws, id=opportunity_id)
    return stored_opportunity_from(rows[0]) if rows else None


async def read_opportunity(tx: Tx, ws: str, opportunity_id: str) -> OpportunityRecord:
    rows = await fetch(tx, OPPORTUNITY, ws=ws, id=opportunity_id)
    return opportunity_record_from(rows[0]["props"])


async def opportunity_with_key(tx: Tx, ws: str, account_id: str, source: str, external_id: str) -> bool:
    """Whether the account already has an opportunity with this external id of this source."""
    rows = await fetch(tx, OPPORTUNITY_WITH_KEY, ws=ws, accountId=account_id, source=source, externalId=external_id)
    return bool(rows)


async def create_opportunities(tx: Tx, ws: str, rows: Rows, now: datetime) -> None:
    """Rows: {id, accountId, source, externalId, props}."""
    await _run(tx, CREATE_OPPORTUNITIES, ws, rows, now)


async def update_opportunities(tx: Tx, ws: str, rows: Rows, now: datetime) -> None:
    """Rows: {id, props}; a None value removes the property."""
    await _run(tx, UPDATE_OPPORTUNITIES, ws, rows, now)


async def delete_opportunities(tx: Tx, ws: str, ids: Sequence[str]) -> None:
    """The opportunities with their buying centre, competitors involved and scorecard."""
    if ids:
        await fetch(tx, DELETE_OPPORTUNITIES, ws=ws, ids=list(ids))


async def set_members(tx: Tx, ws: str, rows: Rows, now: datetime, source: str | None = None) -> None:
    """Rows: {opportunityId, stakeholderId, props}."""
    await _run(tx, SET_MEMBERS, ws, rows, now, source)


async def remove_members(tx: Tx, ws: str, rows: Rows) -> None:
    await _run(tx, REMOVE_MEMBERS, ws, rows)


async def set_involvements(tx: Tx, ws: str, rows: Rows, now: datetime, source: str | None = None) -> None:
    """Rows: {opportunityId, competitorId, props}."""
    await _run(tx, SET_INVOLVEMENTS, ws, rows, now, source)


async def remove_involvements(tx: Tx, ws: str, rows: Rows) -> None:
    await _run(tx, REMOVE_INVOLVEMENTS, ws, rows)


async def replace_scorecards(tx: Tx, ws: str, rows: Rows) -> None:
    """Rows: {opportunityId, criteria (`stored.scorecard_rows`)}."""
    await _run(tx, REPLACE_SCORECARDS, ws, rows)


async def _run(
    tx: Tx, query: LiteralString, ws: str, rows: Rows, now: datetime | None = None, source: str | None = None
) -> None:
    """One statement for all rows; nothing at all when there are none."""
    if rows:
        await fetch(tx, query, ws=ws, rows=list(rows), now=now, source=source)
