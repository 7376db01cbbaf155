"""Reading the audit log: one `AuditEntry` node per mutation, written with it (see `database.FINISH_WRITE`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.records import native_datetime
from service.rules.access import Role
from service.rules.identity import AuditEntry

Tx = AsyncManagedTransaction

AUDIT_PAGE: LiteralString = """
MATCH (e:AuditEntry {workspaceId: $ws})
USING INDEX e:AuditEntry(workspaceId, at)
WHERE e.at IS NOT NULL AND ($afterAt IS NULL OR e.at < $afterAt OR (e.at = $afterAt AND e.id > $afterId))
WITH e ORDER BY e.workspaceId DESC, e.at DESC, e.id LIMIT $limit
RETURN collect(e {.*}) AS items
"""

AUDIT_COUNT: LiteralString = """
MATCH (e:AuditEntry {workspaceId: $ws})
USING INDEX e:AuditEntry(workspaceId, at)
WHERE e.at IS NOT NULL
RETURN count(e) AS total
"""


def entry_from(p: Any) -> AuditEntry:
    at = native_datetime(p["at"])
    assert at is not None
    return AuditEntry(
        id=p["id"],
        at=at,
        principal_id=p["by"],
        role=None if p.get("role") is None else Role(p["role"]),
        operation=p["operation"],
        outcome=p["outcome"],
        entity_ids=tuple(p.get("entityIds") or ()),
        entity_count=int(p.get("entityCount") or 0),
        request_id=p.get("requestId"),
    )


async def audit_page(tx: Tx, ws: str, limit: int, after: tuple[datetime, str] | None) -> list[AuditEntry]:
    """Newest first, up to `limit`, after the entry `after` names (its time and id)."""
    rows = await fetch(
        tx,
        AUDIT_PAGE,
        ws=ws,
        limit=limit,
        afterAt=None if after is None else after[0],
        afterId=None if after is None else after[1],
    )
    return [entry_from(item) for item in rows[0]["items"]]


async def audit_count(tx: Tx, ws: str) -> int:
    rows = await fetch(tx, AUDIT_COUNT, ws=ws)
    return int(rows[0]["total"])
