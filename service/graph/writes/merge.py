"""Merging a duplicate stakeholder into a survivor, in the caller's transaction (see `service.rules.merge`).

The use case locks both stakeholders first (a throw-away `_mergeLock` property, removed at the
end), so nobody adds or removes their links while the plan is made and applied. Moved relationships
keep every property (ids included): the duplicate's is deleted, then the survivor's created.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.rules.merge import Link, MergePlan, MergeSide

Tx = AsyncManagedTransaction

LOCK_PAIR: LiteralString = """
UNWIND $ids AS id
MATCH (n:Stakeholder {workspaceId: $ws, id: id})
WITH n ORDER BY n.id
SET n._mergeLock = true
WITH collect(n) AS locked
UNWIND locked AS n
RETURN n.id AS id, n {.*, _mergeLock: null} AS props
"""

LINKS: LiteralString = """
UNWIND $ids AS id
MATCH (n:Stakeholder {workspaceId: $ws, id: id})
RETURN id,
  [(n)-[r:INFLUENCES]->(x:Stakeholder) | {kind: 'INFLUENCES', other: x.id, name: x.name, outgoing: true, props: properties(r)}]
  + [(x:Stakeholder)-[r:INFLUENCES]->(n) | {kind: 'INFLUENCES', other: x.id, name: x.name, outgoing: false, props: properties(r)}]
  + [(n)-[r:TIE]-(x:Stakeholder) | {kind: 'TIE', other: x.id, name: x.name, outgoing: true, props: properties(r)}]
  + [(n)-[r:MEMBER_OF]->(c:Circle) | {kind: 'MEMBER_OF', other: c.id, name: c.name, outgoing: true, props: properties(r)}]
  + [(t:TeamMember)-[r:COVERS]->(n) | {kind: 'COVERS', other: t.id, name: t.name, outgoing: true, props: properties(r)}]
  + [(i:Interaction)-[r:MET]->(n) | {kind: 'MET', other: i.id, name: null, outgoing: true, props: properties(r)}]
  + [(n)-[r:REPORTS_TO]->(m:Stakeholder) | {kind: 'MANAGER', other: m.id, name: m.name, outgoing: true, props: properties(r)}]
  + [(x:Stakeholder)-[r:REPORTS_TO]->(n) | {kind: 'REPORT', other: x.id, name: x.name, outgoing: true, props: properties(r)}]
  AS links
"""

MOVE_INFLUENCES: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $survivor}), (d:Stakeholder {workspaceId: $ws, id: $duplicate})
UNWIND $rows AS row
MATCH (d)-[r:INFLUENCES]-(x:Stakeholder {workspaceId: $ws, id: row.other})
WHERE (startNode(r) = d) = row.outgoing
WITH s, x, row, r, properties(r) AS p
DELETE r
WITH s, x, row, p
CALL (s, x, row, p) { WITH * WHERE row.outgoing CREATE (s)-[n:INFLUENCES]->(x) SET n = p }
CALL (s, x, row, p) { WITH * WHERE NOT row.outgoing CREATE (x)-[n:INFLUENCES]->(s) SET n = p }
"""

MOVE_TIES: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $survivor}), (d:Stakeholder {workspaceId: $ws, id: $duplicate})
UNWIND $rows AS row
MATCH (d)-[r:TIE {id: row.id}]-(x:Stakeholder {workspaceId: $ws, id: row.other})
WHERE r.workspaceId = $ws
WITH s, x, r, properties(r) AS p
DELETE r
WITH s, x, p
CALL (s, x, p) { WITH * WHERE s.id < x.id CREATE (s)-[n:TIE]->(x) SET n = p }
CALL (s, x, p) { WITH * WHERE s.id > x.id CREATE (x)-[n:TIE]->(s) SET n = p }
"""
"""Ties keep the import's convention: stored from the lower stakeholder id to the higher."""

MOVE_MEMBERSHIPS: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $survivor}), (d:Stakeholder {workspaceId: $ws, id: $duplicate})
UNWIND $rows AS row
MATCH (d)-[r:MEMBER_OF]->(c:Circle {workspaceId: $ws, id: row.other})
CREATE (s)-[n:MEMBER_OF]->(c)
SET n = properties(r)
DELETE r
"""

MOVE_COVERAGE: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $survivor}), (d:Stakeholder {workspaceId: $ws, id: $duplicate})
UNWIND $rows AS row
MATCH (t:TeamMember {workspaceId: $ws, id: row.other})-[r:COVERS]->(d)
CREATE (t)-[n:COVERS]->(s)
SET n = properties(r)
DELETE r
"""

MOVE_MET: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $survivor}), (d:Stakeholder {workspaceId: $ws, id: $duplicate})
UNWIND $rows AS row
MATCH (i:Interaction {workspaceId: $ws, id: row.other})-[r:MET]->(d)
CREATE (i)-[n:MET]->(s)
SET n = properties(r)
DELETE r
"""

MOVE_MANAGER: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $survivor}), (d:Stakeholder {workspaceId: $ws, id: $duplicate})
UNWIND $rows AS row
MATCH (d)-[r:REPORTS_TO]->(m:Stakeholder {workspaceId: $ws, id: row.other})
CREATE (s)-[n:REPORTS_TO]->(m)
SET n = properties(r)
DELETE r
"""

MOVE_REPORTS: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $survivor}), (d:Stakeholder {workspaceId: $ws, id: $duplicate})
UNWIND $rows AS row
MATCH (x:Stakeholder {workspaceId: $ws, id: row.other})-[r:REPORTS_TO]->(d)
CREATE (x)-[n:REPORTS_TO]->(s)
SET n = properties(r)
DELETE r
"""

MOVES: dict[str, LiteralString] = {
    "INFLUENCES": MOVE_INFLUENCES,
    "TIE": MOVE_TIES,
    "MEMBER_OF": MOVE_MEMBERSHIPS,
    "COVERS": MOVE_COVERAGE,
    "MET": MOVE_MET,
    "MANAGER": MOVE_MANAGER,
    "REPORT": MOVE_REPORTS,
}

DROP_THE_REST: LiteralString = """
MATCH (d:Stakeholder {workspaceId: $ws, id: $duplicate})
CALL (d) {
  MATCH (d)-[r:INFLUENCES|TIE|MEMBER_OF|REPORTS_TO]-()
  DELETE r
}
CALL (d) {
  MATCH (d)<-[r:COVERS|MET]-()
  DELETE r
}
"""
"""After the moves, what the duplicate still has are the links the plan dropped (conflicts and self-links)."""

MOVE_IDENTITY_AND_HISTORY: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $survivor}), (d:Stakeholder {workspaceId: $ws, id: $duplicate})
CALL (s, d) {
  MATCH (ref:StakeholderRef)-[i:IDENTIFIES]->(d)
  CREATE (ref)-[:IDENTIFIES {workspaceId: $ws}]->(s)
  DELETE i
}
CALL (s, d) {
  MATCH (c:Change)-[:ABOUT]->(d)
  WHERE NOT (c)-[:ABOUT]->(s)
  CREATE (c)-[:ABOUT {workspaceId: $ws}]->(s)
}
SET s += $fills, s.version = s.version + 1, s.updatedAt = $now,
    d.archived = true, d.mergedInto = s.id, d.version = d.version + 1, d.updatedAt = $now
"""

UNLOCK: LiteralString = """
UNWIND $ids AS id
MATCH (n:Stakeholder {workspaceId: $ws, id: id})
REMOVE n._mergeLock
"""


def _side(raw_id: str, props: dict[str, Any], links: list[dict[str, Any]]) -> MergeSide:
    return MergeSide(
        id=raw_id,
        props=props,
        links=tuple(
            Link(kind=x["kind"], other=x["other"], other_name=x["name"], outgoing=x["outgoing"], props=x["props"])
            for x in links
        ),
    )


async def lock_pair(tx: Tx, ws: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stakeholders' stored properties by id, locked for the rest of the transaction."""
    return {row["id"]: dict(row["props"]) for row in await fetch(tx, LOCK_PAIR, ws=ws, ids=sorted(set(ids)))}


async def merge_sides(
    tx: Tx, ws: str, survivor_id: str, duplicate_id: str, found: Mapping[str, Mapping[str, Any]]
) -> tuple[MergeSide, MergeSide]:
    """Both stakeholders with every relationship they have."""
    links = {row["id"]: row["links"] for row in await fetch(tx, LINKS, ws=ws, ids=[survivor_id, duplicate_id])}
    return (
        _side(survivor_id, dict(found[survivor_id]), links[survivor_id]),
        _side(duplicate_id, dict(found[duplicate_id]), links[duplicate_id]),
    )


async def apply_merge(tx: Tx, ws: str, survivor_id: str, duplicate_id: str, plan: MergePlan, now: datetime) -> None:
    """Move and drop the duplicate's links as planned, fill the survivor's fields, archive the duplicate."""
    params = {"ws": ws, "survivor": survivor_id, "duplicate": duplicate_id}
    for kind, moved in plan.moves.items():
        rows = [{"id": link.props.get("id"), "other": link.other, "outgoing": link.outgoing} for link in moved]
        await fetch(tx, MOVES[kind], rows=rows, **params)
    await fetch(tx, DROP_THE_REST, **params)
    await fetch(tx, MOVE_IDENTITY_AND_HISTORY, fills=plan.fills, now=now, **params)


async def unlock_pair(tx: Tx, ws: str, ids: Sequence[str]) -> None:
    await fetch(tx, UNLOCK, ws=ws, ids=list(ids))
