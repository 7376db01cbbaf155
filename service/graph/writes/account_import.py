"""Reading the stored side of an account import, and writing an import plan, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.records import native_datetime
from service.graph.writes.import_jobs import WriteStep
from service.rules.account_import import AccountDocument, ImportPlan, StoredAccountState
from service.rules.account_import.stored import (
    StoredCircle,
    StoredInteraction,
    StoredLink,
    StoredNode,
    StoredStakeholder,
    StoredTeamMember,
)

Tx = AsyncManagedTransaction

STORED_ACCOUNT: LiteralString = """
MATCH (:AccountRef {workspaceId: $ws, source: $source, externalId: $externalId})-[:IDENTIFIES]->(a:Account)
RETURN a.id AS id, a {.name, .industry, .tier, .portfolioClass} AS props
"""

STORED_STAKEHOLDERS: LiteralString = """
UNWIND $externalIds AS externalId
MATCH (:StakeholderRef {workspaceId: $ws, source: $source, externalId: externalId})-[:IDENTIFIES]->(s:Stakeholder)
RETURN externalId, s.id AS id, s.accountId AS accountId, s.archived AS archived, s.version AS version,
       s {.name, .title, .department, .email, .phone, .level, .stance, .influence, .buyingRoles, .buyerTypes,
          .adaptability, .personality, .contactTier, .notes} AS props,
       [(s)-[:REPORTS_TO]->(m) | m.id][0] AS managerId
UNION
MATCH (s:Stakeholder {workspaceId: $ws, accountId: $accountId})<-[:IDENTIFIES]-(r:StakeholderRef {workspaceId: $ws, source: $source})
WHERE s.name IS NOT NULL
RETURN r.externalId AS externalId, s.id AS id, s.accountId AS accountId, s.archived AS archived,
       s.version AS version,
       s {.name, .title, .department, .email, .phone, .level, .stance, .influence, .buyingRoles, .buyerTypes,
          .adaptability, .personality, .contactTier, .notes} AS props,
       [(s)-[:REPORTS_TO]->(m) | m.id][0] AS managerId
"""

STORED_CIRCLES: LiteralString = """
MATCH (c:Circle {workspaceId: $ws, accountId: $accountId, source: $source})
RETURN c.key AS key, c.id AS id,
       c {.name, .color, .businessValue, .trackRecord, .partisansAndAllies, .philosophyAndPolicy} AS props,
       [(s:Stakeholder)-[m:MEMBER_OF]->(c) | [s.id, m.core]] AS members,
       [(c)-[:RIVAL_OF]-(o:Circle) | o.id] AS rivals,
       [(c)-[:ALLIED_WITH]-(o:Circle) | o.id] AS allies
"""

STORED_INFLUENCES: LiteralString = """
MATCH (a:Stakeholder {workspaceId: $ws, accountId: $accountId})-[r:INFLUENCES]->(b:Stakeholder)
WHERE a.name IS NOT NULL
RETURN r.id AS id, a.id AS start, b.id AS end, r.source AS source,
       r {.strength, .kind, .topic, .confidence} AS props
"""

STORED_TIES: LiteralString = """
MATCH (a:Stakeholder {workspaceId: $ws, accountId: $accountId})-[r:TIE]->(b:Stakeholder)
WHERE a.name IS NOT NULL
RETURN r.id AS id, r.kind AS kind, a.id AS start, b.id AS end, r.source AS source, r {.strength, .note} AS props
"""

STORED_TEAM: LiteralString = """
UNWIND $externalIds AS externalId
MATCH (:TeamMemberRef {workspaceId: $ws, source: $source, externalId: externalId})-[:IDENTIFIES]->(t:TeamMember)
WITH externalId, t ORDER BY t.createdAt, t.id
WITH externalId, collect(t)[0] AS t
RETURN externalId, t.id AS id, t {.name, .role, .email} AS props,
       EXISTS { (t)-[:ASSIGNED_TO]->(:Account {workspaceId: $ws, id: $accountId}) } AS assigned
"""
"""Team members by this source's external id anywhere in the workspace: a person works on many
accounts. Should a key still name several nodes (duplicates of earlier versions, merged by the migration
`merge_duplicate_team_members`), the first created is the one."""

STORED_COVERAGE: LiteralString = """
MATCH (t:TeamMember)-[c:COVERS]->(s:Stakeholder {workspaceId: $ws, accountId: $accountId})
WHERE s.name IS NOT NULL
RETURN t.id + ':' + s.id AS id, t.id AS start, s.id AS end, c.source AS source,
       c {.relationshipStep, .relationshipType} AS props
"""

STORED_INTERACTIONS: LiteralString = """
MATCH (i:Interaction {workspaceId: $ws, accountId: $accountId, source: $source})
RETURN i.externalId AS externalId, i.id AS id, i {.at, .type, .summary, .nextStep} AS props,
       [(i)-[:BY]->(t) | t.id][0] AS teamMemberId,
       [(i)-[:MET]->(s) | s.id] AS stakeholderIds
"""


def _native(props: dict[str, Any]) -> dict[str, Any]:
    return {name: native_datetime(value) if hasattr(value, "to_native") else value for name, value in props.items()}


def _link(row: Any) -> StoredLink:
    return StoredLink(
        id=row["id"],
        start=row["start"],
        end=row["end"],
        props=dict(row["props"]),
        source=row["source"],
    )


def _team(rows: Sequence[Any]) -> dict[str, StoredTeamMember]:
    return {
        row["externalId"]: StoredTeamMember(id=row["id"], props=dict(row["props"]), assigned=row["assigned"])
        for row in rows
    }


async def load_stored_state(tx: Tx, ws: str, doc: AccountDocument) -> StoredAccountState:
    """Everything the plan compares against, for `doc`'s account and source."""
    params: dict[str, Any] = {"ws": ws, "source": doc.source}
    accounts = await fetch(tx, STORED_ACCOUNT, externalId=doc.account.external_id, **params)
    account = StoredNode(accounts[0]["id"], dict(accounts[0]["props"])) if accounts else None
    params["accountId"] = account.id if account else None
    people = await fetch(tx, STORED_STAKEHOLDERS, externalIds=[s.external_id for s in doc.stakeholders], **params)
    stakeholders = {
        row["externalId"]: StoredStakeholder(
            id=row["id"],
            account_id=row["accountId"],
            props=dict(row["props"]),
            manager_id=row["managerId"],
            archived=bool(row["archived"]),
            version=row["version"],
        )
        for row in people
    }
    team = await fetch(tx, STORED_TEAM, externalIds=[t.external_id for t in doc.team], **params)
    if account is None:
        return StoredAccountState(stakeholders=stakeholders, team=_team(team))
    circles = await fetch(tx, STORED_CIRCLES, **params)
    influences = await fetch(tx, STORED_INFLUENCES, **params)
    ties = await fetch(tx, STORED_TIES, **params)
    coverage = await fetch(tx, STORED_COVERAGE, **params)
    interactions = await fetch(tx, STORED_INTERACTIONS, **params)
    return StoredAccountState(
        account=account,
        stakeholders=stakeholders,
        source_stakeholders_in_account={
            s.id: external_id for external_id, s in stakeholders.items() if s.account_id == account.id
        },
        circles={
            row["key"]: StoredCircle(
                id=row["id"],
                props=dict(row["props"]),
                members={person: bool(core) for person, core in row["members"]},
                rivals=frozenset(row["rivals"]),
                allies=frozenset(row["allies"]),
            )
            for row in circles
        },
        influences={(row["start"], row["end"]): _link(row) for row in influences},
        ties={(row["kind"], row["start"], row["end"]): _link(row) for row in ties},
        team=_team(team),
        coverage={(row["start"], row["end"]): _link(row) for row in coverage},
        interactions={
            row["externalId"]: StoredInteraction(
                id=row["id"],
                props=_native(dict(row["props"])),
                team_member_id=row["teamMemberId"],
                stakeholder_ids=frozenset(row["stakeholderIds"]),
            )
            for row in interactions
        },
    )


UPSERT_ACCOUNT: LiteralString = """
UNWIND $rows AS row
MERGE (a:Account {workspaceId: $ws, id: row.id})
  ON CREATE SET a.createdAt = $now
SET a += row.props, a.updatedAt = $now
WITH a, row WHERE row.create
MERGE (r:AccountRef {workspaceId: $ws, source: $source, externalId: row.externalId})
MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(a)
"""

CREATE_STAKEHOLDERS: LiteralString = """
UNWIND $rows AS row
CREATE (s:Stakeholder {workspaceId: $ws, id: row.id, accountId: $accountId, archived: false, version: 1,
                       createdAt: $now, updatedAt: $now})
SET s += row.props
MERGE (r:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.externalId})
MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(s)
"""

UPDATE_STAKEHOLDERS: LiteralString = """
UNWIND $rows AS row
MATCH (s:Stakeholder {workspaceId: $ws, id: row.id})
SET s += row.props, s.archived = false, s.version = s.version + 1, s.updatedAt = $now
"""

SET_MANAGERS: LiteralString = """
UNWIND $rows AS row
MATCH (s:Stakeholder {workspaceId: $ws, id: row.id})
CALL (s) { MATCH (s)-[old:REPORTS_TO]->() DELETE old }
WITH s, row
MATCH (m:Stakeholder {workspaceId: $ws, id: row.managerId})
CREATE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m)
"""

ARCHIVE_STAKEHOLDERS: LiteralString = """
UNWIND $rows AS row
MATCH (s:Stakeholder {workspaceId: $ws, id: row.id})
SET s.archived = true, s.version = s.version + 1, s.updatedAt = $now
"""

UPSERT_CIRCLES: LiteralString = """
UNWIND $rows AS row
MERGE (c:Circle {workspaceId: $ws, id: row.id})
  ON CREATE SET c.accountId = $accountId, c.source = $source, c.key = row.key, c.createdAt = $now
SET c += row.props, c.updatedAt = $now
"""

REMOVE_CIRCLES: LiteralString = """
UNWIND $rows AS row
MATCH (c:Circle {workspaceId: $ws, id: row.id})
DETACH DELETE c
"""

SET_MEMBERSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (s:Stakeholder {workspaceId: $ws, id: row.stakeholderId})
MATCH (c:Circle {workspaceId: $ws, id: row.circleId})
MERGE (s)-[m:MEMBER_OF]->(c)
  ON CREATE SET m.workspaceId = $ws, m.source = $source
SET m.core = row.core
"""

REMOVE_MEMBERSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (:Stakeholder {workspaceId: $ws, id: row.stakeholderId})-[m:MEMBER_OF]->(:Circle {workspaceId: $ws, id: row.circleId})
DELETE m
"""

SET_CIRCLE_RIVALS: LiteralString = """
UNWIND $rows AS row
MATCH (a:Circle {workspaceId: $ws, id: row.a}), (b:Circle {workspaceId: $ws, id: row.b})
MERGE (a)-[:RIVAL_OF {workspaceId: $ws}]->(b)
"""

SET_CIRCLE_ALLIES: LiteralString = """
UNWIND $rows AS row
MATCH (a:Circle {workspaceId: $ws, id: row.a}), (b:Circle {workspaceId: $ws, id: row.b})
MERGE (a)-[:ALLIED_WITH {workspaceId: $ws}]->(b)
"""

REMOVE_CIRCLE_RIVALS: LiteralString = """
UNWIND $rows AS row
MATCH (:Circle {workspaceId: $ws, id: row.a})-[r:RIVAL_OF]-(:Circle {workspaceId: $ws, id: row.b})
DELETE r
"""

REMOVE_CIRCLE_ALLIES: LiteralString = """
UNWIND $rows AS row
MATCH (:Circle {workspaceId: $ws, id: row.a})-[r:ALLIED_WITH]-(:Circle {workspaceId: $ws, id: row.b})
DELETE r
"""

UPSERT_INFLUENCES: LiteralString = """
UNWIND $rows AS row
MATCH (a:Stakeholder {workspaceId: $ws, id: row.from})
MATCH (b:Stakeholder {workspaceId: $ws, id: row.to})
MERGE (a)-[r:INFLUENCES]->(b)
  ON CREATE SET r.id = row.id, r.workspaceId = $ws, r.source = $source, r.createdAt = $now
SET r += row.props, r.updatedAt = $now
"""

REMOVE_INFLUENCES: LiteralString = """
UNWIND $rows AS row
MATCH ()-[r:INFLUENCES {id: row.id}]->()
WHERE r.workspaceId = $ws
DELETE r
"""

UPSERT_TIES: LiteralString = """
UNWIND $rows AS row
MATCH (a:Stakeholder {workspaceId: $ws, id: row.a})
MATCH (b:Stakeholder {workspaceId: $ws, id: row.b})
MERGE (a)-[r:TIE {kind: row.props.kind}]->(b)
  ON CREATE SET r.id = row.id, r.workspaceId = $ws, r.source = $source, r.createdAt = $now
SET r += row.props, r.updatedAt = $now
"""

REMOVE_TIES: LiteralString = """
UNWIND $rows AS row
MATCH ()-[r:TIE {id: row.id}]->()
WHERE r.workspaceId = $ws
DELETE r
"""

UPSERT_TEAM: LiteralString = """
UNWIND $rows AS row
MERGE (t:TeamMember {workspaceId: $ws, id: row.id})
  ON CREATE SET t.createdAt = $now
SET t += row.props, t.updatedAt = $now
WITH t, row
MATCH (a:Account {workspaceId: $ws, id: $accountId})
MERGE (t)-[x:ASSIGNED_TO]->(a)
  ON CREATE SET x.workspaceId = $ws
WITH t, row WHERE row.create
MERGE (r:TeamMemberRef {workspaceId: $ws, source: $source, externalId: row.externalId})
MERGE (r)-[:IDENTIFIES {workspaceId: $ws}]->(t)
"""

UPSERT_COVERAGE: LiteralString = """
UNWIND $rows AS row
MATCH (t:TeamMember {workspaceId: $ws, id: row.teamMemberId})
MATCH (s:Stakeholder {workspaceId: $ws, id: row.stakeholderId})
MERGE (t)-[c:COVERS]->(s)
  ON CREATE SET c.workspaceId = $ws, c.source = $source, c.createdAt = $now
SET c += row.props, c.updatedAt = $now
"""

REMOVE_COVERAGE: LiteralString = """
UNWIND $rows AS row
MATCH (:TeamMember {workspaceId: $ws, id: row.teamMemberId})-[c:COVERS]->(:Stakeholder {workspaceId: $ws, id: row.stakeholderId})
DELETE c
"""

UPSERT_INTERACTIONS: LiteralString = """
UNWIND $rows AS row
MERGE (i:Interaction {workspaceId: $ws, id: row.id})
  ON CREATE SET i.accountId = $accountId, i.source = $source, i.externalId = row.externalId
SET i += row.props
WITH i, row
CALL (i) { MATCH (i)-[old:BY|MET]->() DELETE old }
CALL (i, row) {
  MATCH (t:TeamMember {workspaceId: $ws, id: row.teamMemberId})
  CREATE (i)-[:BY {workspaceId: $ws}]->(t)
}
CALL (i, row) {
  UNWIND row.stakeholderIds AS stakeholderId
  MATCH (s:Stakeholder {workspaceId: $ws, id: stakeholderId})
  CREATE (i)-[:MET {workspaceId: $ws}]->(s)
}
"""


def import_steps(plan: ImportPlan) -> list[WriteStep]:
    """The plan's writes in the order they run (see `service.rules.account_import.plan` for why removals
    come first); steps with nothing to write are left out, so an unchanged document writes nothing."""
    relations = ("RIVAL_OF", "ALLIED_WITH")
    remove_relation = {"RIVAL_OF": REMOVE_CIRCLE_RIVALS, "ALLIED_WITH": REMOVE_CIRCLE_ALLIES}
    set_relation = {"RIVAL_OF": SET_CIRCLE_RIVALS, "ALLIED_WITH": SET_CIRCLE_ALLIES}
    steps = [
        WriteStep("account", UPSERT_ACCOUNT, plan.account),
        WriteStep("stakeholders created", CREATE_STAKEHOLDERS, plan.stakeholders_created),
        WriteStep("stakeholders updated", UPDATE_STAKEHOLDERS, plan.stakeholders_updated),
        WriteStep("reporting lines", SET_MANAGERS, plan.reporting),
        WriteStep("stakeholders archived", ARCHIVE_STAKEHOLDERS, plan.archived),
        *[
            WriteStep("circle relations removed", remove_relation[kind], _of_type(plan.circle_relations_removed, kind))
            for kind in relations
        ],
        WriteStep("memberships removed", REMOVE_MEMBERSHIPS, plan.memberships_removed),
        WriteStep("circles removed", REMOVE_CIRCLES, plan.circles_removed),
        WriteStep("circles", UPSERT_CIRCLES, plan.circles),
        WriteStep("memberships", SET_MEMBERSHIPS, plan.memberships),
        *[
            WriteStep("circle relations", set_relation[kind], _of_type(plan.circle_relations, kind))
            for kind in relations
        ],
        WriteStep("influences removed", REMOVE_INFLUENCES, plan.influences_removed),
        WriteStep("influences", UPSERT_INFLUENCES, plan.influences),
        WriteStep("ties removed", REMOVE_TIES, plan.ties_removed),
        WriteStep("ties", UPSERT_TIES, plan.ties),
        WriteStep("team", UPSERT_TEAM, plan.team),
        WriteStep("coverage removed", REMOVE_COVERAGE, plan.coverage_removed),
        WriteStep("coverage", UPSERT_COVERAGE, plan.coverage),
        WriteStep("interactions", UPSERT_INTERACTIONS, plan.interactions),
    ]
    return [step for step in steps if step.rows]


def _of_type(rows: Sequence[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["type"] == kind]
