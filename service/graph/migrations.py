"""Schema migrations (constraints and indexes, idempotent, applied at every start) and data migrations (each run
once per database, then recorded as a `DataMigration` node).

The stored model (every node and relationship carries `workspaceId`):

    (:Account {id, name, industry, tier, clock})                -- clock: changed by every write to it (graph/clock.py)
    (:Stakeholder {id, accountId, name, ..., stance, influence, buyingRoles, buyerTypes, archived, version})
        sync: reportsToKey + reportsToSource (a manager not synced yet); merge: mergedInto (survivor's id)
    (:Circle {id, accountId, source, key, name, color, businessValue, ...})
    (:TeamMember {id, name, role, email})
    (:Interaction {id, accountId, source, externalId, at, type, summary, nextStep})
    (:Change {id, txId, seq, at, by, accountId, entity, entityId, op, fields, old, new})
        -- the change log: one node per entity changed by a write; fields/old/new are parallel lists
    (:ChangeSequence {number}) (:ChangeCommit {number, txId, at, changes})
        -- the change feed's order: one commit per write that recorded changes (graph/change_feed.py)
    (:Checkpoint {accountId, at, entities, state})
        -- an account's map as of its latest change then, as JSON; retired by writes it could mislead (graph/checkpoints.py)
    (:ImportJob {...}) (:ImportUndo {...}) and Account.importJob: batched imports (graph/writes/import_jobs.py)
    (:AccountRef|StakeholderRef|TeamMemberRef {source, externalId})-[:IDENTIFIES]->(node)
    (:Workspace {id, name, createdAt})                         -- workspaceId = id
    (:ApiKey {id, hash, name, role, createdAt, createdBy, lastUsedAt, revokedAt})   -- hash: SHA-256 of the key
    (:AuditEntry {id, at, by, role, operation, outcome, entityIds, entityCount, requestId})
    (:DataMigration {name, appliedAt})                         -- the database's, not a workspace's: migrations run

    (s)-[:REPORTS_TO]->(manager)         (s)-[:MEMBER_OF {core}]->(circle)
    (s)-[:INFLUENCES {id, strength, kind, topic, confidence}]->(s2)
    (s)-[:TIE {id, kind, strength, note}]->(s2)                 -- undirected in meaning
    (circle)-[:RIVAL_OF|ALLIED_WITH]->(circle)
    (t)-[:COVERS {relationshipStep, relationshipType}]->(s)     (t)-[:ASSIGNED_TO]->(account)
    (i)-[:BY]->(t)   (i)-[:MET]->(s)   (change)-[:ABOUT]->(s)

Deals (DOMAIN.md "Deals"; field maps in `service/rules/deals/stored.py`):

    (:Opportunity {id, accountId, source, externalId, name, buyClass, estimatedValue, currency,
                   expectedCloseDate, status, salesStage, procurementStep, decisionStage,
                   burningIssueText, burningIssueOwnerId, burningIssuePersonal, burningIssueTimeImmediate,
                   burningIssueCertain, ucvText, ucvMeasurable, ucvMetric, ucvDeliverableBy,
                   ucvCustomerDeadline, ucvUnique})
    (:Competitor {id, name, origin})     (:CompetitorRep {id, name})       -- the workspace's
    (:Criterion {id, accountId, opportunityId, position, name, weight, ourScore})
    (:CompetitorRef|CompetitorRepRef {source, externalId})-[:IDENTIFIES]->(node)

    (s)-[:IN_BUYING_CENTRE {buyingRoles, buyerTypes, handler, projectLead}]->(o)   -- roles/types null: the account's
    (c)-[:COMPETES_FOR {incumbent}]->(o)          (rep)-[:WORKS_FOR]->(c)
    (rep)-[:CONTACTS {visitsPerMonth, typicalMinutes, form, topics, strength}]->(s)
    (s)-[:FAVOURS {note}]->(c)                    (o)-[:HAS_CRITERION]->(criterion)
    (c)-[:SCORED {score}]->(criterion)            (s)-[:CARES_ABOUT {weight}]->(criterion)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from service.graph.database import Write, finish
from service.graph.driver import fetch
from service.rules.changes import ChangeOp, EntityChange, team_assignment_change

CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT account_id IF NOT EXISTS FOR (n:Account) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT stakeholder_id IF NOT EXISTS FOR (n:Stakeholder) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT circle_id IF NOT EXISTS FOR (n:Circle) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT team_member_id IF NOT EXISTS FOR (n:TeamMember) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT interaction_id IF NOT EXISTS FOR (n:Interaction) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
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
    "CREATE CONSTRAINT opportunity_id IF NOT EXISTS FOR (n:Opportunity) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT opportunity_key IF NOT EXISTS "
    "FOR (n:Opportunity) REQUIRE (n.workspaceId, n.accountId, n.source, n.externalId) IS UNIQUE",
    "CREATE CONSTRAINT competitor_id IF NOT EXISTS FOR (n:Competitor) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT competitor_rep_id IF NOT EXISTS FOR (n:CompetitorRep) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT criterion_id IF NOT EXISTS FOR (n:Criterion) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT competitor_ref IF NOT EXISTS "
    "FOR (n:CompetitorRef) REQUIRE (n.workspaceId, n.source, n.externalId) IS UNIQUE",
    "CREATE CONSTRAINT competitor_rep_ref IF NOT EXISTS "
    "FOR (n:CompetitorRepRef) REQUIRE (n.workspaceId, n.source, n.externalId) IS UNIQUE",
    "CREATE CONSTRAINT import_job_key IF NOT EXISTS "
    "FOR (n:ImportJob) REQUIRE (n.workspaceId, n.source, n.externalId) IS UNIQUE",
    "CREATE CONSTRAINT import_job_id IF NOT EXISTS FOR (n:ImportJob) REQUIRE (n.workspaceId, n.id) IS UNIQUE",
    "CREATE CONSTRAINT influence_id IF NOT EXISTS FOR ()-[r:INFLUENCES]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT tie_id IF NOT EXISTS FOR ()-[r:TIE]-() REQUIRE r.id IS UNIQUE",
    "CREATE CONSTRAINT change_sequence IF NOT EXISTS FOR (n:ChangeSequence) REQUIRE n.workspaceId IS UNIQUE",
    "CREATE CONSTRAINT change_commit_number IF NOT EXISTS "
    "FOR (n:ChangeCommit) REQUIRE (n.workspaceId, n.number) IS UNIQUE",
    "CREATE CONSTRAINT data_migration_name IF NOT EXISTS FOR (n:DataMigration) REQUIRE n.name IS UNIQUE",
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
    "CREATE INDEX opportunity_by_account IF NOT EXISTS FOR (n:Opportunity) ON (n.workspaceId, n.accountId, n.name)",
    "CREATE INDEX competitor_by_name IF NOT EXISTS FOR (n:Competitor) ON (n.workspaceId, n.name)",
    "CREATE INDEX criterion_by_account IF NOT EXISTS FOR (n:Criterion) ON (n.workspaceId, n.accountId)",
    "CREATE INDEX change_by_tx_seq IF NOT EXISTS FOR (n:Change) ON (n.workspaceId, n.txId, n.seq)",
    "CREATE INDEX import_undo_by_job IF NOT EXISTS FOR (n:ImportUndo) ON (n.workspaceId, n.jobId, n.seq)",
    "CREATE INDEX checkpoint_by_account IF NOT EXISTS FOR (n:Checkpoint) ON (n.workspaceId, n.accountId, n.at)",
    "CREATE INDEX change_commit_by_tx IF NOT EXISTS FOR (n:ChangeCommit) ON (n.workspaceId, n.txId)",
)

AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(300)"

GRAPH_CLOCK_CONSTRAINT: LiteralString = "DROP CONSTRAINT graph_clock IF EXISTS"
GRAPH_CLOCKS: LiteralString = "MATCH (c:GraphClock) DELETE c"
ACCOUNT_CLOCKS: LiteralString = "MATCH (a:Account) WHERE a.clock IS NULL SET a.clock = randomUUID()"
# A change's transaction is found through `change_by_tx_seq` (every change has a seq; a composite index serves only
# queries that constrain all of its properties): one index fewer to update per change.
CHANGE_BY_TX_INDEX: LiteralString = "DROP INDEX change_by_tx IF EXISTS"
# Nothing looks a change up by its id (a random UUID, only a tie-break in history cursors): its uniqueness
# constraint cost every change an index entry at commit.
CHANGE_ID_CONSTRAINT: LiteralString = "DROP CONSTRAINT change_id IF EXISTS"
CHANGE_VALUE_LISTS: LiteralString = """
MATCH (c:Change) WHERE c.fields IS NULL AND c.field IS NOT NULL
CALL (c) {
  SET c.fields = [c.field], c.old = [c.old], c.new = [c.new], c.op = 'UPDATED',
      c.accountId = [(c)-[:ABOUT]->(s:Stakeholder) | s.accountId][0]
  REMOVE c.field
} IN TRANSACTIONS OF $rows ROWS
"""
"""Change nodes of earlier versions held one value each: now one entity each, values in lists. In transactions of
`$rows` changes: a long history rewritten in one would have to fit in Neo4j's memory at once, and a start that
failed on it would fail again at every start. Each batch commits on its own, so one that failed leaves the
converted changes converted, and the next start goes on with the rest."""

MIGRATION_BATCH_ROWS = 10_000
"""How many nodes a data migration that runs in batches (`in_batches`) changes per transaction."""

APPLIED_DATA_MIGRATIONS: LiteralString = """
MATCH (m:DataMigration) WHERE m.name IN $names
RETURN m.name AS name
"""

RECORD_DATA_MIGRATION: LiteralString = """
MERGE (m:DataMigration {name: $name})
  ON CREATE SET m.appliedAt = datetime()
"""


DUPLICATE_TEAM_MEMBERS: LiteralString = """
MATCH (r:TeamMemberRef)-[:IDENTIFIES]->(t:TeamMember)
WITH r, t ORDER BY t.createdAt, t.id
WITH r, collect(t) AS members
WHERE size(members) > 1
UNWIND members[1..] AS duplicate
RETURN DISTINCT r.workspaceId AS ws, members[0].id AS survivor, duplicate.id AS duplicate
"""
"""Team members that share an external id (source, key) with an older one: imports of earlier versions
created one per account. The oldest survives."""

MERGE_TEAM_MEMBER: LiteralString = """
MATCH (keep:TeamMember {workspaceId: $ws, id: $survivor})
MATCH (dup:TeamMember {workspaceId: $ws, id: $duplicate})
CALL (keep, dup) {
  MATCH (dup)-[x:ASSIGNED_TO]->(a:Account)
  WITH keep, x, a, EXISTS { (keep)-[:ASSIGNED_TO]->(a) } AS had
  CALL (keep, a, had) {
    WITH * WHERE NOT had
    CREATE (keep)-[:ASSIGNED_TO {workspaceId: $ws}]->(a)
  }
  DELETE x
  RETURN collect({account: a.id, had: had}) AS assignments
}
CALL (keep, dup) {
  MATCH (dup)-[c:COVERS]->(s:Stakeholder)
  WITH keep, c, s, EXISTS { (keep)-[:COVERS]->(s) } AS had
  CALL (keep, c, s, had) {
    WITH * WHERE NOT had
    CREATE (keep)-[n:COVERS]->(s)
    SET n = properties(c)
  }
  DELETE c
  RETURN collect({stakeholder: s.id, account: s.accountId}) AS coverage
}
CALL (keep, dup) {
  MATCH (i:Interaction)-[b:BY]->(dup)
  CREATE (i)-[:BY {workspaceId: $ws}]->(keep)
  DELETE b
  RETURN collect({interaction: i.id, account: i.accountId, met: [(i)-[:MET]->(s) | s.id]}) AS interactions
}
CALL (keep, dup) {
  MATCH (r)-[x:IDENTIFIES]->(dup)
  MERGE (r)-[y:IDENTIFIES]->(keep)
    ON CREATE SET y.workspaceId = $ws
  DELETE x
}
WITH dup, assignments, coverage, interactions, dup {.name, .role, .email} AS props
DETACH DELETE dup
RETURN props, assignments, coverage, interactions
"""
"""Moves a duplicate's assignments, coverage (the survivor's wins where both cover someone), the
interactions it led and its external ids onto the survivor, then deletes it."""


async def _merge_team_member(tx: AsyncManagedTransaction, ws: str, survivor: str, duplicate: str) -> None:
    write = Write(ws, "migration", datetime.now(UTC), tx=tx)
    records = await fetch(tx, MERGE_TEAM_MEMBER, ws=ws, survivor=survivor, duplicate=duplicate)
    if not records:
        return
    moved = records[0]
    gone = {name: (value, None) for name, value in sorted(moved["props"].items()) if value is not None}
    fields = {**gone, "mergedInto": (None, survivor)}
    changes = [EntityChange("TeamMember", duplicate, ChangeOp.DELETED, fields, None)]
    for row in moved["assignments"]:
        account = row["account"]
        changes.append(EntityChange(*team_assignment_change(duplicate, account, assigned=False), account))
        if not row["had"]:
            changes.append(EntityChange(*team_assignment_change(survivor, account, assigned=True), account))
    for row in moved["coverage"]:
        person = row["stakeholder"]
        fields = {"teamMemberId": (duplicate, survivor)}
        changes.append(
            EntityChange("Coverage", f"{survivor}:{person}", ChangeOp.UPDATED, fields, row["account"], (person,))
        )
    for row in moved["interactions"]:
        fields = {"teamMemberId": (duplicate, survivor)}
        about = tuple(sorted(row["met"]))
        changes.append(EntityChange("Interaction", row["interaction"], ChangeOp.UPDATED, fields, row["account"], about))
    write.record(changes)
    await finish(write)


async def merge_duplicate_team_members(driver: AsyncDriver, database: str) -> int:
    """The data migration `merge_duplicate_team_members`: one transaction per duplicate, each logged in
    the change log (by "migration") and ticking the clocks of the accounts it changed. Idempotent: once
    merged, nothing is found. How many were merged."""
    records = (await driver.execute_query(DUPLICATE_TEAM_MEMBERS, database_=database)).records
    async with driver.session(database=database) as session:
        for record in records:
            await session.execute_write(_merge_team_member, record["ws"], record["survivor"], record["duplicate"])
    return len(records)


MigrationRun = Callable[[AsyncDriver, str], Awaitable[object]]
"""What a data migration does, given the driver and the database's name."""


@dataclass(frozen=True, slots=True)
class DataMigration:
    """A change to stored data that brings what earlier versions stored to the current model. `name` is what
    the database records once it has run: never rename one, or it runs again."""

    name: str
    run: MigrationRun


def statement(cypher: LiteralString) -> MigrationRun:
    """A data migration that is one query."""

    async def run(driver: AsyncDriver, database: str) -> None:
        await driver.execute_query(cypher, database_=database)

    return run


def in_batches(cypher: LiteralString, rows: int = MIGRATION_BATCH_ROWS) -> MigrationRun:
    """A data migration that is one query committing in batches (`CALL ... IN TRANSACTIONS OF $rows ROWS`),
    which Neo4j runs only outside a transaction of the client's: in a session of its own, not retried (a start
    that fails runs it again, and it goes on from where it stopped)."""

    async def run(driver: AsyncDriver, database: str) -> None:
        async with driver.session(database=database) as session:
            result = await session.run(cypher, rows=rows)
            await result.consume()

    return run


DATA_MIGRATIONS: tuple[DataMigration, ...] = (
    DataMigration("drop-graph-clock-constraint", statement(GRAPH_CLOCK_CONSTRAINT)),
    DataMigration("delete-graph-clocks", statement(GRAPH_CLOCKS)),
    DataMigration("account-clocks", statement(ACCOUNT_CLOCKS)),
    DataMigration("drop-change-by-tx-index", statement(CHANGE_BY_TX_INDEX)),
    DataMigration("drop-change-id-constraint", statement(CHANGE_ID_CONSTRAINT)),
    DataMigration("change-value-lists", in_batches(CHANGE_VALUE_LISTS)),
    DataMigration("merge-duplicate-team-members", merge_duplicate_team_members),
)
"""In the order they run. Each runs once per database: a start finds the names already recorded and skips them,
so a start costs the same however much history the database holds."""


async def apply_migrations(driver: AsyncDriver, database: str) -> None:
    """Create every constraint and index that is missing, then run the data migrations not yet applied;
    safe to run at every start, also by several processes at once (every step is idempotent)."""
    for schema_statement in (*CONSTRAINTS, *INDEXES, AWAIT_INDEXES):
        await driver.execute_query(schema_statement, database_=database)
    await apply_data_migrations(driver, database, DATA_MIGRATIONS)


async def apply_data_migrations(driver: AsyncDriver, database: str, migrations: Sequence[DataMigration]) -> list[str]:
    """Each of `migrations` that the database has not recorded, in order, recorded as soon as it has run (one
    that fails is not, and runs again at the next start); the names of those that ran."""
    names = [migration.name for migration in migrations]
    found = await driver.execute_query(APPLIED_DATA_MIGRATIONS, names=names, database_=database)
    applied = {record["name"] for record in found.records}
    ran = []
    for migration in migrations:
        if migration.name in applied:
            continue
        await migration.run(driver, database)
        await driver.execute_query(RECORD_DATA_MIGRATION, name=migration.name, database_=database)
        ran.append(migration.name)
    return ran
