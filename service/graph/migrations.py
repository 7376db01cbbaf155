"""Idempotent schema migrations: constraints and indexes, applied at start-up.

The stored model (every node and relationship carries `workspaceId`):

    (:Account {id, name, industry, tier, clock})                -- clock: changed by its contact syncs
    (:Stakeholder {id, accountId, name, ..., stance, influence, buyingRoles, buyerTypes, archived, version})
        sync: reportsToKey + reportsToSource (a manager not synced yet); merge: mergedInto (survivor's id)
    (:Circle {id, accountId, source, key, name, color, businessValue, ...})
    (:TeamMember {id, name, role, email})
    (:Interaction {id, accountId, source, externalId, at, type, summary, nextStep})
    (:Change {id, at, by, entity, field, old, new})             -- history, one node per changed value
    (:GraphClock {id: 'graph', version})                        -- changed by every other write (graph/clock.py)
    (:AccountRef|StakeholderRef|TeamMemberRef {source, externalId})-[:IDENTIFIES]->(node)

    (s)-[:REPORTS_TO]->(manager)         (s)-[:MEMBER_OF {core}]->(circle)
    (s)-[:INFLUENCES {id, strength, kind, topic, confidence}]->(s2)
    (s)-[:TIE {id, kind, strength, note}]->(s2)                 -- undirected in meaning
    (circle)-[:RIVAL_OF|ALLIED_WITH]->(circle)
    (t)-[:COVERS {relationshipStep, relationshipType}]->(s)     (t)-[:ASSIGNED_TO]->(account)
    (i)-[:BY]->(t)   (i)-[:MET]->(s)   (change)-[:ABOUT]->(s)
"""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncDriver

CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT account_id IF NOT EXISTS FOR (n:Account) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT stakeholder_id IF NOT EXISTS FOR (n:Stakeholder) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT circle_id IF NOT EXISTS FOR (n:Circle) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT team_member_id IF NOT EXISTS FOR (n:TeamMember) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT interaction_id IF NOT EXISTS FOR (n:Interaction) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT change_id IF NOT EXISTS FOR (n:Change) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT account_ref IF NOT EXISTS "
    "FOR (n:AccountRef) REQUIRE (n.workspaceId, n.source, n.externalId) IS UNIQUE",
    "CREATE CONSTRAINT stakeholder_ref IF NOT EXISTS "
    "FOR (n:StakeholderRef) REQUIRE (n.workspaceId, n.source, n.externalId) IS UNIQUE",
    "CREATE CONSTRAINT team_member_ref IF NOT EXISTS "
    "FOR (n:TeamMemberRef) REQUIRE (n.workspaceId, n.source, n.externalId) IS UNIQUE",
    "CREATE CONSTRAINT circle_key IF NOT EXISTS "
    "FOR (n:Circle) REQUIRE (n.workspaceId, n.accountId, n.source, n.key) IS UNIQUE",
    "CREATE CONSTRAINT interaction_key IF NOT EXISTS "
    "FOR (n:Interaction) REQUIRE (n.workspaceId, n.accountId, n.source, n.externalId) IS UNIQUE",
    "CREATE CONSTRAINT graph_clock IF NOT EXISTS FOR (n:GraphClock) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT influence_id IF NOT EXISTS FOR ()-[r:INFLUENCES]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT tie_id IF NOT EXISTS FOR ()-[r:TIE]-() REQUIRE r.id IS UNIQUE",
)

INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX stakeholder_by_account IF NOT EXISTS FOR (n:Stakeholder) ON (n.workspaceId, n.accountId, n.name)",
    "CREATE INDEX stakeholder_pending_manager IF NOT EXISTS FOR (n:Stakeholder) ON (n.workspaceId, n.reportsToKey)",
    "CREATE INDEX account_by_name IF NOT EXISTS FOR (n:Account) ON (n.workspaceId, n.name)",
    "CREATE INDEX circle_by_account IF NOT EXISTS FOR (n:Circle) ON (n.workspaceId, n.accountId)",
    "CREATE INDEX interaction_by_account IF NOT EXISTS FOR (n:Interaction) ON (n.workspaceId, n.accountId)",
)

AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(300)"
START_GRAPH_CLOCK: LiteralString = "MERGE (c:GraphClock {id: 'graph'}) ON CREATE SET c.version = randomUUID()"


async def apply_migrations(driver: AsyncDriver, database: str) -> None:
    """Create every constraint and index that is missing; safe to run at every start."""
    for statement in (*CONSTRAINTS, *INDEXES, AWAIT_INDEXES, START_GRAPH_CLOCK):
        await driver.execute_query(statement, database_=database)
