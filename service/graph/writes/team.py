"""Our side by hand: team members, their assignment to accounts, and whom they cover."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.models import Coverage, TeamMember

Tx = AsyncManagedTransaction


@dataclass(frozen=True, slots=True)
class TeamMemberLinks:
    """What hangs on a team member: account ids, coverage rows ({stakeholder, accountId, relationshipStep,
    relationshipType}) and the interactions they logged as (id, account id)."""

    assigned: tuple[str, ...]
    coverage: tuple[dict[str, Any], ...]
    interactions: tuple[tuple[str, str], ...]


CLAIM_TEAM_MEMBER_REF: LiteralString = """
MERGE (r:TeamMemberRef {workspaceId: $ws, source: $source, externalId: $externalId})
RETURN EXISTS { (r)-[:IDENTIFIES]->() } AS taken
"""

CREATE_TEAM_MEMBER: LiteralString = """
CREATE (t:TeamMember {workspaceId: $ws, id: $id, createdAt: $now, updatedAt: $now})
SET t += $props
WITH t
CALL (t) {
  MATCH (r:TeamMemberRef {workspaceId: $ws, source: $source, externalId: $externalId})
  CREATE (r)-[:IDENTIFIES {workspaceId: $ws}]->(t)
}
RETURN t {.*} AS item
"""

UPDATE_TEAM_MEMBER: LiteralString = """
MATCH (t:TeamMember {workspaceId: $ws, id: $id})
SET t += $props, t.updatedAt = $now
RETURN t {.*} AS item
"""

IS_ASSIGNED: LiteralString = """
MATCH (:TeamMember {workspaceId: $ws, id: $teamMemberId})-[x:ASSIGNED_TO]->(:Account {workspaceId: $ws, id: $accountId})
RETURN count(x) > 0 AS assigned
"""

ASSIGN: LiteralString = """
MATCH (t:TeamMember {workspaceId: $ws, id: $teamMemberId}), (a:Account {workspaceId: $ws, id: $accountId})
MERGE (t)-[x:ASSIGNED_TO]->(a)
  ON CREATE SET x.workspaceId = $ws, x.createdAt = $now
"""

UNASSIGN: LiteralString = """
MATCH (:TeamMember {workspaceId: $ws, id: $teamMemberId})-[x:ASSIGNED_TO]->(:Account {workspaceId: $ws, id: $accountId})
DELETE x
"""

TEAM_MEMBER_ACCOUNTS: LiteralString = """
MATCH (t:TeamMember {workspaceId: $ws, id: $teamMemberId})
RETURN [(t)-[:ASSIGNED_TO]->(a:Account) | a.id] + [(t)-[:COVERS]->(s:Stakeholder) | s.accountId] AS accounts
"""

TEAM_MEMBER_LINKS: LiteralString = """
MATCH (t:TeamMember {workspaceId: $ws, id: $teamMemberId})
RETURN [(t)-[:ASSIGNED_TO]->(a:Account) | a.id] AS assigned,
       [(t)-[c:COVERS]->(s:Stakeholder) | c {.relationshipStep, .relationshipType, stakeholder: s.id, accountId: s.accountId}]
         AS coverage,
       [(i:Interaction)-[:BY]->(t) | i {.id, .accountId}] AS interactions
"""

DELETE_TEAM_MEMBER: LiteralString = """
MATCH (t:TeamMember {workspaceId: $ws, id: $teamMemberId})
CALL (t) {
  MATCH (r:TeamMemberRef)-[:IDENTIFIES]->(t)
  DETACH DELETE r
}
DETACH DELETE t
"""

COVERAGE: LiteralString = """
MATCH (t:TeamMember {workspaceId: $ws, id: $teamMemberId})-[c:COVERS]->(s:Stakeholder {workspaceId: $ws, id: $stakeholderId})
CALL (t, s) {
  MATCH (t)<-[:BY]-(i:Interaction)-[:MET]->(s)
  RETURN max(i.at) AS lastContactAt
}
RETURN c {.*, teamMember: t.id, stakeholder: s.id, lastContactAt: lastContactAt} AS item
"""

SET_COVERAGE: LiteralString = """
MATCH (t:TeamMember {workspaceId: $ws, id: $teamMemberId}), (s:Stakeholder {workspaceId: $ws, id: $stakeholderId})
MERGE (t)-[c:COVERS]->(s)
  ON CREATE SET c.workspaceId = $ws, c.createdAt = $now
SET c += $props, c.updatedAt = $now
"""

REMOVE_COVERAGE: LiteralString = """
MATCH (:TeamMember {workspaceId: $ws, id: $teamMemberId})-[c:COVERS]->(:Stakeholder {workspaceId: $ws, id: $stakeholderId})
DELETE c
"""


async def claim_team_member_ref(tx: Tx, ws: str, source: str, external_id: str) -> bool:
    """Take (source, external id) for a new team member; False when another one already has it."""
    rows = await fetch(tx, CLAIM_TEAM_MEMBER_REF, ws=ws, source=source, externalId=external_id)
    return not rows[0]["taken"]


async def create_team_member(
    tx: Tx, ws: str, member_id: str, props: dict[str, Any], ref: tuple[str, str] | None, now: datetime
) -> TeamMember:
    source, external_id = ref if ref else (None, None)
    rows = await fetch(
        tx, CREATE_TEAM_MEMBER, ws=ws, id=member_id, props=props, source=source, externalId=external_id, now=now
    )
    return records.team_member_from(rows[0]["item"])


async def update_team_member(tx: Tx, ws: str, member_id: str, props: dict[str, Any], now: datetime) -> TeamMember:
    rows = await fetch(tx, UPDATE_TEAM_MEMBER, ws=ws, id=member_id, props=props, now=now)
    return records.team_member_from(rows[0]["item"])


async def team_member_accounts(tx: Tx, ws: str, member_id: str) -> list[str]:
    """The accounts whose data shows the team member: those they are assigned to or cover someone in."""
    rows = await fetch(tx, TEAM_MEMBER_ACCOUNTS, ws=ws, teamMemberId=member_id)
    return sorted(set(rows[0]["accounts"])) if rows else []


async def team_member_links(tx: Tx, ws: str, member_id: str) -> TeamMemberLinks:
    rows = await fetch(tx, TEAM_MEMBER_LINKS, ws=ws, teamMemberId=member_id)
    row = rows[0]
    return TeamMemberLinks(
        assigned=tuple(sorted(row["assigned"])),
        coverage=tuple(dict(c) for c in row["coverage"]),
        interactions=tuple((i["id"], i["accountId"]) for i in row["interactions"]),
    )


async def delete_team_member(tx: Tx, ws: str, member_id: str) -> None:
    """The member with their assignments, coverage and external ids; interactions keep no team member."""
    await fetch(tx, DELETE_TEAM_MEMBER, ws=ws, teamMemberId=member_id)


async def is_assigned(tx: Tx, ws: str, member_id: str, account_id: str) -> bool:
    rows = await fetch(tx, IS_ASSIGNED, ws=ws, teamMemberId=member_id, accountId=account_id)
    return bool(rows[0]["assigned"])


async def assign(tx: Tx, ws: str, member_id: str, account_id: str, now: datetime) -> None:
    await fetch(tx, ASSIGN, ws=ws, teamMemberId=member_id, accountId=account_id, now=now)


async def unassign(tx: Tx, ws: str, member_id: str, account_id: str) -> None:
    await fetch(tx, UNASSIGN, ws=ws, teamMemberId=member_id, accountId=account_id)


async def coverage(tx: Tx, ws: str, member_id: str, stakeholder_id: str) -> Coverage | None:
    rows = await fetch(tx, COVERAGE, ws=ws, teamMemberId=member_id, stakeholderId=stakeholder_id)
    return records.coverage_from(rows[0]["item"]) if rows else None


async def set_coverage(
    tx: Tx, ws: str, member_id: str, stakeholder_id: str, props: dict[str, Any], now: datetime
) -> Coverage:
    await fetch(tx, SET_COVERAGE, ws=ws, teamMemberId=member_id, stakeholderId=stakeholder_id, props=props, now=now)
    found = await coverage(tx, ws, member_id, stakeholder_id)
    assert found is not None
    return found


async def remove_coverage(tx: Tx, ws: str, member_id: str, stakeholder_id: str) -> None:
    await fetch(tx, REMOVE_COVERAGE, ws=ws, teamMemberId=member_id, stakeholderId=stakeholder_id)
