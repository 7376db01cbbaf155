"""Batched reads behind the GraphQL DataLoaders: one query per relationship, keys in, lists out.

Every function takes the transaction and the workspace first and returns results aligned with the
keys it was given. Links to archived stakeholders are left out, as archived people are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.models import (
    Account,
    Circle,
    CircleMembership,
    Coverage,
    ExternalId,
    InfluenceLink,
    Interaction,
    Stakeholder,
    TeamMember,
    Tie,
)

T = TypeVar("T")
Tx = AsyncManagedTransaction

ACCOUNTS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n:Account {workspaceId: $ws, id: id})
WITH id AS key, n {.*, createdAt: null, updatedAt: n.updatedAt.epochMillis} AS item
RETURN collect([key, item]) AS rows
"""

STAKEHOLDERS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n:Stakeholder {workspaceId: $ws, id: id})
WITH id AS key, n {.*, createdAt: null, updatedAt: n.updatedAt.epochMillis} AS item
RETURN collect([key, item]) AS rows
"""

CIRCLES_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n:Circle {workspaceId: $ws, id: id})
WITH id AS key, n {.*, createdAt: null, updatedAt: n.updatedAt.epochMillis} AS item
RETURN collect([key, item]) AS rows
"""

TEAM_MEMBERS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n:TeamMember {workspaceId: $ws, id: id})
WITH id AS key, n {.*, createdAt: null, updatedAt: n.updatedAt.epochMillis} AS item
RETURN collect([key, item]) AS rows
"""

INFLUENCES_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (a:Stakeholder)-[r:INFLUENCES {id: id}]->(b:Stakeholder)
WHERE r.workspaceId = $ws
WITH id AS key, r {.*, createdAt: null, updatedAt: null, from: a.id, to: b.id} AS item
RETURN collect([key, item]) AS rows
"""

TIES_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (a:Stakeholder)-[r:TIE {id: id}]->(b:Stakeholder)
WHERE r.workspaceId = $ws
WITH id AS key, r {.*, createdAt: null, updatedAt: null, a: a.id, b: b.id} AS item
RETURN collect([key, item]) AS rows
"""

ACCOUNT_BY_EXTERNAL_ID: LiteralString = """
MATCH (:AccountRef {workspaceId: $ws, source: $source, externalId: $externalId})-[:IDENTIFIES]->(n:Account)
RETURN n {.*, createdAt: null, updatedAt: n.updatedAt.epochMillis} AS item
"""

ACCOUNT_EXTERNAL_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (r:AccountRef)-[:IDENTIFIES]->(:Account {workspaceId: $ws, id: id})
WITH id AS key, r {.*} AS item ORDER BY r.source, r.externalId
RETURN collect([key, item]) AS rows
"""

STAKEHOLDER_EXTERNAL_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (r:StakeholderRef)-[:IDENTIFIES]->(:Stakeholder {workspaceId: $ws, id: id})
WITH id AS key, r {.*} AS item ORDER BY r.source, r.externalId
RETURN collect([key, item]) AS rows
"""

TEAM_MEMBER_EXTERNAL_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (r:TeamMemberRef)-[:IDENTIFIES]->(:TeamMember {workspaceId: $ws, id: id})
WITH id AS key, r {.*} AS item ORDER BY r.source, r.externalId
RETURN collect([key, item]) AS rows
"""

DECISION_MAKERS_BY_ACCOUNT: LiteralString = """
UNWIND $ids AS id
MATCH (n:Stakeholder {workspaceId: $ws, accountId: id})
WHERE n.name IS NOT NULL AND NOT n.archived AND 'DECISION_MAKER' IN n.buyingRoles
WITH id AS key, n {.*, createdAt: null, updatedAt: n.updatedAt.epochMillis} AS item ORDER BY n.name, n.id
RETURN collect([key, item]) AS rows
"""

CIRCLES_BY_ACCOUNT: LiteralString = """
UNWIND $ids AS id
MATCH (n:Circle {workspaceId: $ws, accountId: id})
WITH id AS key, n {.*, createdAt: null, updatedAt: n.updatedAt.epochMillis} AS item ORDER BY n.name, n.id
RETURN collect([key, item]) AS rows
"""

TEAM_BY_ACCOUNT: LiteralString = """
UNWIND $ids AS id
CALL (id) {
  MATCH (t:TeamMember)-[:ASSIGNED_TO]->(:Account {workspaceId: $ws, id: id})
  RETURN t
  UNION
  MATCH (t:TeamMember)-[:COVERS]->(s:Stakeholder {workspaceId: $ws, accountId: id})
  WHERE s.name IS NOT NULL AND NOT s.archived
  RETURN t
}
WITH id AS key, t {.*, createdAt: null, updatedAt: t.updatedAt.epochMillis} AS item ORDER BY t.name, t.id
RETURN collect([key, item]) AS rows
"""

INFLUENCES_BY_ACCOUNT: LiteralString = """
UNWIND $ids AS id
MATCH (a:Stakeholder {workspaceId: $ws, accountId: id})-[r:INFLUENCES]->(b:Stakeholder)
WHERE a.name IS NOT NULL AND NOT a.archived AND NOT b.archived
WITH id AS key, r {.*, createdAt: null, updatedAt: null, from: a.id, to: b.id} AS item ORDER BY a.name, b.name, r.id
RETURN collect([key, item]) AS rows
"""

TIES_BY_ACCOUNT: LiteralString = """
UNWIND $ids AS id
MATCH (a:Stakeholder {workspaceId: $ws, accountId: id})-[r:TIE]->(b:Stakeholder)
WHERE a.name IS NOT NULL AND NOT a.archived AND NOT b.archived
WITH id AS key, r {.*, createdAt: null, updatedAt: null, a: a.id, b: b.id} AS item ORDER BY r.kind, a.name, b.name, r.id
RETURN collect([key, item]) AS rows
"""

MANAGER_BY_STAKEHOLDER: LiteralString = """
UNWIND $ids AS id
MATCH (:Stakeholder {workspaceId: $ws, id: id})-[:REPORTS_TO]->(m:Stakeholder)
WHERE NOT m.archived
WITH id AS key, m {.*, createdAt: null, updatedAt: m.updatedAt.epochMillis} AS item
RETURN collect([key, item]) AS rows
"""

DIRECT_REPORTS_BY_STAKEHOLDER: LiteralString = """
UNWIND $ids AS id
MATCH (:Stakeholder {workspaceId: $ws, id: id})<-[:REPORTS_TO]-(n:Stakeholder)
WHERE NOT n.archived
WITH id AS key, n {.*, createdAt: null, updatedAt: n.updatedAt.epochMillis} AS item ORDER BY n.name, n.id
RETURN collect([key, item]) AS rows
"""

MEMBERSHIPS_BY_STAKEHOLDER: LiteralString = """
UNWIND $ids AS id
MATCH (:Stakeholder {workspaceId: $ws, id: id})-[m:MEMBER_OF]->(c:Circle)
WITH id AS key, {stakeholder: id, circle: c.id, core: m.core} AS item ORDER BY c.name, c.id
RETURN collect([key, item]) AS rows
"""

MEMBERS_BY_CIRCLE: LiteralString = """
UNWIND $ids AS id
MATCH (s:Stakeholder)-[m:MEMBER_OF]->(:Circle {workspaceId: $ws, id: id})
WHERE NOT s.archived
WITH id AS key, {stakeholder: s.id, circle: id, core: m.core} AS item ORDER BY m.core DESC, s.name, s.id
RETURN collect([key, item]) AS rows
"""

RIVALS_BY_CIRCLE: LiteralString = """
UNWIND $ids AS id
MATCH (:Circle {workspaceId: $ws, id: id})-[:RIVAL_OF]-(c:Circle)
WITH DISTINCT id, c ORDER BY c.name, c.id
WITH id AS key, c {.*, createdAt: null, updatedAt: c.updatedAt.epochMillis} AS item
RETURN collect([key, item]) AS rows
"""

ALLIES_BY_CIRCLE: LiteralString = """
UNWIND $ids AS id
MATCH (:Circle {workspaceId: $ws, id: id})-[:ALLIED_WITH]-(c:Circle)
WITH DISTINCT id, c ORDER BY c.name, c.id
WITH id AS key, c {.*, createdAt: null, updatedAt: c.updatedAt.epochMillis} AS item
RETURN collect([key, item]) AS rows
"""

INFLUENCES_FROM_STAKEHOLDER: LiteralString = """
UNWIND $ids AS id
MATCH (a:Stakeholder {workspaceId: $ws, id: id})-[r:INFLUENCES]->(b:Stakeholder)
WHERE NOT b.archived
WITH id AS key, r {.*, createdAt: null, updatedAt: null, from: a.id, to: b.id} AS item ORDER BY r.strength DESC, b.name, r.id
RETURN collect([key, item]) AS rows
"""

INFLUENCES_TO_STAKEHOLDER: LiteralString = """
UNWIND $ids AS id
MATCH (a:Stakeholder)-[r:INFLUENCES]->(b:Stakeholder {workspaceId: $ws, id: id})
WHERE NOT a.archived
WITH id AS key, r {.*, createdAt: null, updatedAt: null, from: a.id, to: b.id} AS item ORDER BY r.strength DESC, a.name, r.id
RETURN collect([key, item]) AS rows
"""

TIES_OF_STAKEHOLDER: LiteralString = """
UNWIND $ids AS id
MATCH (s:Stakeholder {workspaceId: $ws, id: id})-[r:TIE]-(other:Stakeholder)
WHERE NOT other.archived
WITH id, r, startNode(r) AS a, endNode(r) AS b, other
WITH id AS key, r {.*, createdAt: null, updatedAt: null, a: a.id, b: b.id} AS item ORDER BY r.kind, other.name, r.id
RETURN collect([key, item]) AS rows
"""

COVERAGE_OF_STAKEHOLDER: LiteralString = """
UNWIND $ids AS id
MATCH (t:TeamMember)-[c:COVERS]->(s:Stakeholder {workspaceId: $ws, id: id})
CALL (t, s) {
  MATCH (t)<-[:BY]-(i:Interaction)-[:MET]->(s)
  RETURN max(i.at) AS lastContactAt
}
WITH id AS key, c {.*, createdAt: null, updatedAt: null, teamMember: t.id, stakeholder: s.id, lastContactAt: lastContactAt} AS item
ORDER BY t.name, t.id
RETURN collect([key, item]) AS rows
"""

COVERAGE_BY_TEAM_MEMBER: LiteralString = """
UNWIND $ids AS id
MATCH (t:TeamMember {workspaceId: $ws, id: id})-[c:COVERS]->(s:Stakeholder)
WHERE NOT s.archived
CALL (t, s) {
  MATCH (t)<-[:BY]-(i:Interaction)-[:MET]->(s)
  RETURN max(i.at) AS lastContactAt
}
WITH id AS key, c {.*, createdAt: null, updatedAt: null, teamMember: t.id, stakeholder: s.id, lastContactAt: lastContactAt} AS item
ORDER BY s.name, s.id
RETURN collect([key, item]) AS rows
"""

LAST_CONTACT_BY_STAKEHOLDER: LiteralString = """
UNWIND $ids AS id
MATCH (:Stakeholder {workspaceId: $ws, id: id})<-[:MET]-(i:Interaction)
WITH id AS key, max(i.at) AS item
RETURN collect([key, item]) AS rows
"""

INTERACTIONS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (i:Interaction {workspaceId: $ws, id: id})
WITH id AS key, i {.*, teamMember: [(i)-[:BY]->(t) | t.id][0], stakeholders: [(i)-[:MET]->(s) | s.id]} AS item
RETURN collect([key, item]) AS rows
"""

INTERACTIONS_BY_ACCOUNT: LiteralString = """
UNWIND $ids AS id
MATCH (i:Interaction {workspaceId: $ws, accountId: id})
WITH id AS key, i {.*, teamMember: [(i)-[:BY]->(t) | t.id][0], stakeholders: [(i)-[:MET]->(s) | s.id]} AS item
ORDER BY i.at DESC, i.id
RETURN collect([key, item]) AS rows
"""


async def _rows(tx: Tx, query: LiteralString, ws: str, ids: Sequence[str]) -> list[tuple[str, Any]]:
    """[key, item] pairs, collected into one record: the driver reads one large record many times
    faster than as many small ones."""
    records = await fetch(tx, query, ws=ws, ids=list(dict.fromkeys(ids)))
    return [(key, item) for key, item in records[0]["rows"]]


async def _one_each(
    tx: Tx, query: LiteralString, ws: str, ids: Sequence[str], parse: Callable[[Any], T]
) -> list[T | None]:
    found = {key: parse(item) for key, item in await _rows(tx, query, ws, ids)}
    return [found.get(key) for key in ids]


async def _many_each(
    tx: Tx, query: LiteralString, ws: str, ids: Sequence[str], parse: Callable[[Any], T]
) -> list[list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for key, item in await _rows(tx, query, ws, ids):
        grouped[key].append(parse(item))
    return [grouped.get(key, []) for key in ids]


def _membership(p: Any) -> CircleMembership:
    return CircleMembership(stakeholder_id=p["stakeholder"], circle_id=p["circle"], core=bool(p["core"]))


async def accounts_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[Account | None]:
    return await _one_each(tx, ACCOUNTS_BY_IDS, ws, ids, records.account_from)


async def stakeholders_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[Stakeholder | None]:
    return await _one_each(tx, STAKEHOLDERS_BY_IDS, ws, ids, records.stakeholder_from)


async def circles_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[Circle | None]:
    return await _one_each(tx, CIRCLES_BY_IDS, ws, ids, records.circle_from)


async def team_members_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[TeamMember | None]:
    return await _one_each(tx, TEAM_MEMBERS_BY_IDS, ws, ids, records.team_member_from)


async def influences_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[InfluenceLink | None]:
    return await _one_each(tx, INFLUENCES_BY_IDS, ws, ids, records.influence_from)


async def ties_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[Tie | None]:
    return await _one_each(tx, TIES_BY_IDS, ws, ids, records.tie_from)


async def account_by_external_id(tx: Tx, ws: str, source: str, external_id: str) -> Account | None:
    rows = await fetch(tx, ACCOUNT_BY_EXTERNAL_ID, ws=ws, source=source, externalId=external_id)
    return records.account_from(rows[0]["item"]) if rows else None


async def account_external_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[ExternalId]]:
    return await _many_each(tx, ACCOUNT_EXTERNAL_IDS, ws, ids, records.external_id_from)


async def stakeholder_external_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[ExternalId]]:
    return await _many_each(tx, STAKEHOLDER_EXTERNAL_IDS, ws, ids, records.external_id_from)


async def team_member_external_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[ExternalId]]:
    return await _many_each(tx, TEAM_MEMBER_EXTERNAL_IDS, ws, ids, records.external_id_from)


async def decision_makers_by_account(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Stakeholder]]:
    return await _many_each(tx, DECISION_MAKERS_BY_ACCOUNT, ws, ids, records.stakeholder_from)


async def circles_by_account(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Circle]]:
    return await _many_each(tx, CIRCLES_BY_ACCOUNT, ws, ids, records.circle_from)


async def team_by_account(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[TeamMember]]:
    return await _many_each(tx, TEAM_BY_ACCOUNT, ws, ids, records.team_member_from)


async def influences_by_account(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[InfluenceLink]]:
    return await _many_each(tx, INFLUENCES_BY_ACCOUNT, ws, ids, records.influence_from)


async def ties_by_account(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Tie]]:
    return await _many_each(tx, TIES_BY_ACCOUNT, ws, ids, records.tie_from)


async def manager_by_stakeholder(tx: Tx, ws: str, ids: Sequence[str]) -> list[Stakeholder | None]:
    return await _one_each(tx, MANAGER_BY_STAKEHOLDER, ws, ids, records.stakeholder_from)


async def direct_reports(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Stakeholder]]:
    return await _many_each(tx, DIRECT_REPORTS_BY_STAKEHOLDER, ws, ids, records.stakeholder_from)


async def memberships_by_stakeholder(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[CircleMembership]]:
    return await _many_each(tx, MEMBERSHIPS_BY_STAKEHOLDER, ws, ids, _membership)


async def members_by_circle(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[CircleMembership]]:
    return await _many_each(tx, MEMBERS_BY_CIRCLE, ws, ids, _membership)


async def rivals_by_circle(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Circle]]:
    return await _many_each(tx, RIVALS_BY_CIRCLE, ws, ids, records.circle_from)


async def allies_by_circle(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Circle]]:
    return await _many_each(tx, ALLIES_BY_CIRCLE, ws, ids, records.circle_from)


async def influences_from(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[InfluenceLink]]:
    return await _many_each(tx, INFLUENCES_FROM_STAKEHOLDER, ws, ids, records.influence_from)


async def influences_to(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[InfluenceLink]]:
    return await _many_each(tx, INFLUENCES_TO_STAKEHOLDER, ws, ids, records.influence_from)


async def ties_of(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Tie]]:
    return await _many_each(tx, TIES_OF_STAKEHOLDER, ws, ids, records.tie_from)


async def coverage_of(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Coverage]]:
    return await _many_each(tx, COVERAGE_OF_STAKEHOLDER, ws, ids, records.coverage_from)


async def coverage_by_team_member(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Coverage]]:
    return await _many_each(tx, COVERAGE_BY_TEAM_MEMBER, ws, ids, records.coverage_from)


async def last_contact_by_stakeholder(tx: Tx, ws: str, ids: Sequence[str]) -> list[datetime | None]:
    return await _one_each(tx, LAST_CONTACT_BY_STAKEHOLDER, ws, ids, records.native_datetime)


async def interactions_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[Interaction | None]:
    return await _one_each(tx, INTERACTIONS_BY_IDS, ws, ids, records.interaction_from)


async def interactions_by_account(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[Interaction]]:
    return await _many_each(tx, INTERACTIONS_BY_ACCOUNT, ws, ids, records.interaction_from)
