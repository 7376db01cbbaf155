"""Team members are one person per (workspace, source, external id), whatever account a document names
them in; the migration `merge_duplicate_team_members` folds the duplicates earlier versions stored."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from service.graph.migrations import merge_duplicate_team_members
from service.rules.access import Principal, Role
from service.schema.operations import IMPORT_MUTATION, execute_operation
from service.usecases.services import Services
from tests.import_factory import account_document

COUNTS = """
MATCH (t:TeamMember {workspaceId: $ws})
RETURN count(t) AS members,
       sum(COUNT { (t)-[:ASSIGNED_TO]->() }) AS assignments,
       sum(COUNT { (t)-[:COVERS]->() }) AS coverage,
       sum(COUNT { ()-[:BY]->(t) }) AS led,
       sum(COUNT { ()-[:IDENTIFIES]->(t) }) AS refs
"""

SPLIT = """
MATCH (:TeamMemberRef {workspaceId: $ws, externalId: 'T000'})-[:IDENTIFIES]->(t:TeamMember)
MATCH (b:Account {workspaceId: $ws, name: 'Account B-2'})
MATCH (r:TeamMemberRef {workspaceId: $ws, externalId: 'T000'})
CREATE (dup:TeamMember {workspaceId: $ws, id: 'duplicate-of-t000', name: t.name, role: t.role,
                        createdAt: datetime() + duration('PT1H')})
CREATE (r)-[:IDENTIFIES {workspaceId: $ws}]->(dup)
WITH t, b, dup
CALL (t, b, dup) {
  MATCH (t)-[x:ASSIGNED_TO]->(b) DELETE x CREATE (dup)-[:ASSIGNED_TO {workspaceId: $ws}]->(b)
}
CALL (t, b, dup) {
  MATCH (t)-[c:COVERS]->(s:Stakeholder {accountId: b.id})
  CREATE (dup)-[n:COVERS]->(s) SET n = properties(c) DELETE c
}
CALL (t, b, dup) {
  MATCH (i:Interaction {accountId: b.id})-[y:BY]->(t)
  CREATE (i)-[:BY {workspaceId: $ws}]->(dup) DELETE y
}
"""
"""What imports of earlier versions left: a second node for T000, holding everything of account B."""

MERGE_LOG = """
MATCH (c:Change {workspaceId: $ws, by: 'migration'})
RETURN c.entity AS entity, c.op AS op, count(*) AS n ORDER BY entity, op
"""


async def counts(db: Database, ws: str) -> dict[str, Any]:
    records, _, _ = await db.driver.execute_query(COUNTS, ws=ws)
    return dict(records[0])


async def import_two_accounts_sharing_a_team(db: Database, ws: str) -> None:
    services = Services(db)
    principal = Principal(workspace_id=ws, role=Role.ADMIN, id="tester")
    for key, seed in (("A-1", 1), ("B-2", 2)):
        document = account_document(30, key=key, seed=seed, team=4)
        result = await execute_operation(services, principal, IMPORT_MUTATION, document)
        assert result["accountGraphImport"]["userErrors"] == []


async def test_two_accounts_sharing_a_team_store_each_member_once(db: Database, workspace: str) -> None:
    await import_two_accounts_sharing_a_team(db, workspace)
    # 4 members, each assigned to both accounts; 15 covered and 6 visits per account
    assert await counts(db, workspace) == {"members": 4, "assignments": 8, "coverage": 30, "led": 12, "refs": 4}


async def test_the_migration_merges_stored_duplicates_and_logs_it(db: Database, workspace: str) -> None:
    await import_two_accounts_sharing_a_team(db, workspace)
    await db.driver.execute_query(SPLIT, ws=workspace)
    assert await counts(db, workspace) == {"members": 5, "assignments": 8, "coverage": 30, "led": 12, "refs": 5}

    assert await merge_duplicate_team_members(db.driver, db.database) == 1
    assert await merge_duplicate_team_members(db.driver, db.database) == 0

    assert await counts(db, workspace) == {"members": 4, "assignments": 8, "coverage": 30, "led": 12, "refs": 4}
    log, _, _ = await db.driver.execute_query(MERGE_LOG, ws=workspace)
    # in B, T000 covers persons 0, 4, ..., 28 and led the visits to persons 0 and 20
    assert [tuple(r.values()) for r in log] == [
        ("Coverage", "UPDATED", 8),
        ("Interaction", "UPDATED", 2),
        ("TeamAssignment", "CREATED", 1),
        ("TeamAssignment", "DELETED", 1),
        ("TeamMember", "DELETED", 1),
    ]
