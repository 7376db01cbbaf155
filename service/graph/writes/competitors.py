"""Competitors and their reps (the workspace's), the reps' contacts with stakeholders and stakeholders'
favours, in the caller's transaction. Rows in, as in `deals`.

An account *shows* a competitor when the competitor competes for one of its opportunities, one of its
people favours it, or one of its reps contacts one of its people; it shows a rep who contacts one of its
people. A change to a competitor or rep ticks the clocks of the accounts that show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.writes.deals import Rows

Tx = AsyncManagedTransaction

CLAIM_COMPETITOR_REF: LiteralString = """
MERGE (r:CompetitorRef {workspaceId: $ws, source: $source, externalId: $externalId})
RETURN EXISTS { (r)-[:IDENTIFIES]->() } AS taken
"""

CLAIM_REP_REF: LiteralString = """
MERGE (r:CompetitorRepRef {workspaceId: $ws, source: $source, externalId: $externalId})
RETURN EXISTS { (r)-[:IDENTIFIES]->() } AS taken
"""

CREATE_COMPETITORS: LiteralString = """
UNWIND $rows AS row
CREATE (c:Competitor {workspaceId: $ws, id: row.id, createdAt: $now, updatedAt: $now})
SET c += row.props
WITH c, row WHERE row.source IS NOT NULL
MERGE (r:CompetitorRef {workspaceId: $ws, source: row.source, externalId: row.externalId})
MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(c)
"""

UPDATE_COMPETITORS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Competitor {workspaceId: $ws, id: row.id})
SET c += row.props, c.updatedAt = $now
"""

COMPETITOR_ACCOUNTS: LiteralString = """
MATCH (c:Competitor {workspaceId: $ws, id: $id})
RETURN [(c)-[:COMPETES_FOR]->(o:Opportunity) | o.accountId]
     + [(s:Stakeholder)-[:FAVOURS]->(c) | s.accountId]
     + [(c)<-[:WORKS_FOR]-(:CompetitorRep)-[:CONTACTS]->(s:Stakeholder) | s.accountId] AS accounts
"""

COMPETITOR_LINKS: LiteralString = """
MATCH (c:Competitor {workspaceId: $ws, id: $id})
RETURN [(c)-[:COMPETES_FOR]->(o:Opportunity) | o.id] AS opportunities,
       [(rep:CompetitorRep)-[:WORKS_FOR]->(c) | [rep.id, rep.name,
         [(rep)-[x:CONTACTS]->(s:Stakeholder) | [s.id, s.accountId, x {.visitsPerMonth, .typicalMinutes, .form, .topics, .strength}]]]]
         AS reps,
       [(s:Stakeholder)-[f:FAVOURS]->(c) | [s.id, s.accountId, f.note]] AS favours
"""

DELETE_COMPETITOR: LiteralString = """
MATCH (c:Competitor {workspaceId: $ws, id: $id})
CALL (c) {
  MATCH (rep:CompetitorRep)-[:WORKS_FOR]->(c)
  OPTIONAL MATCH (ref:CompetitorRepRef)-[:IDENTIFIES]->(rep)
  DETACH DELETE ref, rep
}
CALL (c) {
  MATCH (ref:CompetitorRef)-[:IDENTIFIES]->(c)
  DETACH DELETE ref
}
DETACH DELETE c
"""

CREATE_REPS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Competitor {workspaceId: $ws, id: row.competitorId})
CREATE (rep:CompetitorRep {workspaceId: $ws, id: row.id, createdAt: $now, updatedAt: $now})
SET rep += row.props
CREATE (rep)-[:WORKS_FOR {workspaceId: $ws}]->(c)
WITH rep, row WHERE row.source IS NOT NULL
MERGE (r:CompetitorRepRef {workspaceId: $ws, source: row.source, externalId: row.externalId})
MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(rep)
"""

UPDATE_REPS: LiteralString = """
UNWIND $rows AS row
MATCH (rep:CompetitorRep {workspaceId: $ws, id: row.id}), (c:Competitor {workspaceId: $ws, id: row.competitorId})
SET rep += row.props, rep.updatedAt = $now
WITH rep, c WHERE NOT (rep)-[:WORKS_FOR]->(c)
CALL (rep) {
  MATCH (rep)-[w:WORKS_FOR]->()
  DELETE w
}
CREATE (rep)-[:WORKS_FOR {workspaceId: $ws}]->(c)
"""

REP_COMPETITOR: LiteralString = """
MATCH (:CompetitorRep {workspaceId: $ws, id: $id})-[:WORKS_FOR]->(c:Competitor)
RETURN c.id AS id
"""

REP_CONTACTS: LiteralString = """
MATCH (rep:CompetitorRep {workspaceId: $ws, id: $id})
RETURN [(rep)-[x:CONTACTS]->(s:Stakeholder) | [s.id, s.accountId, x {.visitsPerMonth, .typicalMinutes, .form, .topics, .strength}]]
  AS contacts
"""

DELETE_REP: LiteralString = """
MATCH (rep:CompetitorRep {workspaceId: $ws, id: $id})
CALL (rep) {
  MATCH (ref:CompetitorRepRef)-[:IDENTIFIES]->(rep)
  DETACH DELETE ref
}
DETACH DELETE rep
"""

CONTACT: LiteralString = """
MATCH (:CompetitorRep {workspaceId: $ws, id: $repId})-[x:CONTACTS]->(:Stakeholder {workspaceId: $ws, id: $stakeholderId})
RETURN x {.visitsPerMonth, .typicalMinutes, .form, .topics, .strength} AS props
"""

SET_CONTACTS: LiteralString = """
UNWIND $rows AS row
MATCH (rep:CompetitorRep {workspaceId: $ws, id: row.repId}), (s:Stakeholder {workspaceId: $ws, id: row.stakeholderId})
MERGE (rep)-[x:CONTACTS]->(s)
  ON CREATE SET x.workspaceId = $ws, x.source = $source, x.createdAt = $now
SET x += row.props, x.updatedAt = $now
"""

REMOVE_CONTACTS: LiteralString = """
UNWIND $rows AS row
MATCH (:CompetitorRep {workspaceId: $ws, id: row.repId})-[x:CONTACTS]->(:Stakeholder {workspaceId: $ws, id: row.stakeholderId})
DELETE x
"""

FAVOUR: LiteralString = """
MATCH (:Stakeholder {workspaceId: $ws, id: $stakeholderId})-[f:FAVOURS]->(:Competitor {workspaceId: $ws, id: $competitorId})
RETURN f {.note} AS props
"""

SET_FAVOURS: LiteralString = """
UNWIND $rows AS row
MATCH (s:Stakeholder {workspaceId: $ws, id: row.stakeholderId}), (c:Competitor {workspaceId: $ws, id: row.competitorId})
MERGE (s)-[f:FAVOURS]->(c)
  ON CREATE SET f.workspaceId = $ws, f.source = $source, f.createdAt = $now
SET f += row.props, f.updatedAt = $now
"""

REMOVE_FAVOURS: LiteralString = """
UNWIND $rows AS row
MATCH (:Stakeholder {workspaceId: $ws, id: row.stakeholderId})-[f:FAVOURS]->(:Competitor {workspaceId: $ws, id: row.competitorId})
DELETE f
"""

Contact = tuple[str, str, dict[str, Any]]
"""(stakeholder id, account id, stored props)."""


async def claim_competitor_ref(tx: Tx, ws: str, source: str, external_id: str) -> bool:
    """Take (source, external id) for a new competitor; False when another one already has it."""
    rows = await fetch(tx, CLAIM_COMPETITOR_REF, ws=ws, source=source, externalId=external_id)
    return not rows[0]["taken"]


async def claim_rep_ref(tx: Tx, ws: str, source: str, external_id: str) -> bool:
    rows = await fetch(tx, CLAIM_REP_REF, ws=ws, source=source, externalId=external_id)
    return not rows[0]["taken"]


async def create_competitors(tx: Tx, ws: str, rows: Rows, now: datetime) -> None:
    """Rows: {id, props, source, externalId} (source None: no external id)."""
    await _run(tx, CREATE_COMPETITORS, ws, rows, now)


async def update_competitors(tx: Tx, ws: str, rows: Rows, now: datetime) -> None:
    await _run(tx, UPDATE_COMPETITORS, ws, rows, now)


async def competitor_accounts(tx: Tx, ws: str, competitor_id: str) -> list[str]:
    """The accounts that show the competitor, sorted."""
    rows = await fetch(tx, COMPETITOR_ACCOUNTS, ws=ws, id=competitor_id)
    return sorted({a for a in rows[0]["accounts"] if a}) if rows else []


async def competitor_links(
    tx: Tx, ws: str, competitor_id: str
) -> tuple[list[str], list[tuple[str, str, list[Contact]]], list[tuple[str, str, str | None]]]:
    """The opportunities it competes for; its reps (id, name, contacts); the favours for it
    (stakeholder id, account id, note)."""
    row = (await fetch(tx, COMPETITOR_LINKS, ws=ws, id=competitor_id))[0]
    reps = [(rep_id, name, [(s, a, dict(p)) for s, a, p in contacts]) for rep_id, name, contacts in row["reps"]]
    return list(row["opportunities"]), reps, [(s, a, note) for s, a, note in row["favours"]]


async def delete_competitor(tx: Tx, ws: str, competitor_id: str) -> None:
    """The competitor with its reps (and their contacts), the favours for it and its external ids."""
    await fetch(tx, DELETE_COMPETITOR, ws=ws, id=competitor_id)


async def create_reps(tx: Tx, ws: str, rows: Rows, now: datetime) -> None:
    """Rows: {id, competitorId, props, source, externalId}."""
    await _run(tx, CREATE_REPS, ws, rows, now)


async def update_reps(tx: Tx, ws: str, rows: Rows, now: datetime) -> None:
    """Rows: {id, competitorId, props}: the rep now works for that competitor."""
    await _run(tx, UPDATE_REPS, ws, rows, now)


async def rep_competitor(tx: Tx, ws: str, rep_id: str) -> str:
    """The id of the competitor the rep works for."""
    rows = await fetch(tx, REP_COMPETITOR, ws=ws, id=rep_id)
    competitor_id: str = rows[0]["id"]
    return competitor_id


async def rep_contacts(tx: Tx, ws: str, rep_id: str) -> list[Contact]:
    rows = await fetch(tx, REP_CONTACTS, ws=ws, id=rep_id)
    return [(s, a, dict(p)) for s, a, p in rows[0]["contacts"]] if rows else []


async def delete_rep(tx: Tx, ws: str, rep_id: str) -> None:
    await fetch(tx, DELETE_REP, ws=ws, id=rep_id)


async def contact(tx: Tx, ws: str, rep_id: str, stakeholder_id: str) -> dict[str, Any] | None:
    rows = await fetch(tx, CONTACT, ws=ws, repId=rep_id, stakeholderId=stakeholder_id)
    return dict(rows[0]["props"]) if rows else None


async def set_contacts(tx: Tx, ws: str, rows: Rows, now: datetime, source: str | None = None) -> None:
    """Rows: {repId, stakeholderId, props}."""
    await _run(tx, SET_CONTACTS, ws, rows, now, source)


async def remove_contacts(tx: Tx, ws: str, rows: Rows) -> None:
    await _run(tx, REMOVE_CONTACTS, ws, rows)


async def favour(tx: Tx, ws: str, stakeholder_id: str, competitor_id: str) -> dict[str, Any] | None:
    rows = await fetch(tx, FAVOUR, ws=ws, stakeholderId=stakeholder_id, competitorId=competitor_id)
    return dict(rows[0]["props"]) if rows else None


async def set_favours(tx: Tx, ws: str, rows: Rows, now: datetime, source: str | None = None) -> None:
    """Rows: {stakeholderId, competitorId, props}."""
    await _run(tx, SET_FAVOURS, ws, rows, now, source)


async def remove_favours(tx: Tx, ws: str, rows: Rows) -> None:
    await _run(tx, REMOVE_FAVOURS, ws, rows)


async def _run(
    tx: Tx,
    query: LiteralString,
    ws: str,
    rows: Sequence[dict[str, Any]],
    now: datetime | None = None,
    source: str | None = None,
) -> None:
    if rows:
        await fetch(tx, query, ws=ws, rows=list(rows), now=now, source=source)
