"""Idempotent schema migrations: constraints and indexes, applied at start-up.

The stored model (every node and relationship carries `workspaceId`):

    (:Account {id, name, industry, tier, clock})                -- clock: changed by every write to it (graph/clock.py)
    (:Stakeholder {id, accountId, name, ..., stance, influence, buyingRoles, buyerTypes, archived, version})
        sync: reportsToKey + reportsToSource (a manager not synced yet); merge: mergedInto (survivor's id)
    (:Circle {id, accountId, source, key, name, color, businessValue, ...})
    (:TeamMember {id, name, role, email})
    (:Interaction {id, accountId, source, externalId, at, type, summary, nextStep})
    (:Change {id, txId, seq, at, by, accountId, entity, entityId, op, fields, old, new})
        -- the change log: one node per entity changed by a write; fields/old/new are parallel lists
    (:AccountRef|StakeholderRef|TeamMemberRef {source, externalId})-[:IDENTIFIES]->(node)
    (:Workspace {id, name, createdAt})                         -- workspaceId = id
    (:ApiKey {id, hash, name, role, createdAt, createdBy, lastUsedAt, revokedAt})   -- hash: SHA-256 of the key
    (:AuditEntry {id, at, by, role, operation, outcome, entityIds, entityCount, requestId})

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
    "CREATE CONSTRAINT workspace_id IF NOT EXISTS FOR (n:Workspace) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.hash IS UNIQUE",
    "CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (n:AuditEntry) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT influence_id IF NOT EXISTS FOR ()-[r:INFLUENCES]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT tie_id IF NOT EXISTS FOR ()-[r:TIE]-() REQUIRE r.id IS UNIQUE",
)

INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX stakeholder_by_account IF NOT EXISTS FOR (n:Stakeholder) ON (n.workspaceId, n.accountId, n.name)",
    "CREATE INDEX stakeholder_pending_manager IF NOT EXISTS FOR (n:Stakeholder) ON (n.workspaceId, n.reportsToKey)",
    "CREATE INDEX account_by_name IF NOT EXISTS FOR (n:Account) ON (n.workspaceId, n.name)",
    "CREATE INDEX circle_by_account IF NOT EXISTS FOR (n:Circle) ON (n.workspaceId, n.accountId)",
    "CREATE INDEX interaction_by_account IF NOT EXISTS FOR (n:Interaction) ON (n.workspaceId, n.accountId)",
    "CREATE INDEX change_by_account IF NOT EXISTS FOR (n:Change) ON (n.workspaceId, n.accountId, n.at)",
    "CREATE INDEX change_by_entity IF NOT EXISTS FOR (n:Change) ON (n.workspaceId, n.entityId)",
    "CREATE INDEX audit_by_time IF NOT EXISTS FOR (n:AuditEntry) ON (n.workspaceId, n.at)",
    "CREATE INDEX api_key_by_time IF NOT EXISTS FOR (n:ApiKey) ON (n.workspaceId, n.createdAt)",
)

AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(300)"

DATA_MIGRATIONS: tuple[LiteralString, ...] = (
    # The one global clock of earlier versions: every account now has its own.
    "DROP CONSTRAINT graph_clock IF EXISTS",
    "MATCH (c:GraphClock) DELETE c",
    "MATCH (a:Account) WHERE a.clock IS NULL SET a.clock = randomUUID()",
    # Change nodes of earlier versions held one value each: now one entity each, values in lists.
    """
    MATCH (c:Change) WHERE c.fields IS NULL
    SET c.fields = [c.field], c.old = [c.old], c.new = [c.new], c.op = 'UPDATED',
        c.accountId = [(c)-[:ABOUT]->(s:Stakeholder) | s.accountId][0]
    REMOVE c.field
    """,
)
"""Idempotent data changes, each a no-op once done."""


async def apply_migrations(driver: AsyncDriver, database: str) -> None:
    """Create every constraint and index that is missing and bring stored data to the current model;
    safe to run at every start."""
    for statement in (*CONSTRAINTS, *INDEXES, AWAIT_INDEXES, *DATA_MIGRATIONS):
        await driver.execute_query(statement, database_=database)
