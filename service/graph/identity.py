"""Workspaces and API keys in the graph. A key is stored only as its hash (`service.rules.api_keys`).

    (:Workspace {workspaceId, id, name, createdAt})          -- workspaceId = id, like every node's
    (:ApiKey {workspaceId, id, hash, name, role, createdAt, createdBy, lastUsedAt, revokedAt})

`KEY_BY_HASH` is the one query that matches across workspaces: a key is what tells which workspace a
request works in. It finds at most one key (the hash is unique) and returns its workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.records import native_datetime
from service.rules.access import Role
from service.rules.identity import ApiKey, Workspace

Tx = AsyncManagedTransaction

ENSURE_WORKSPACE: LiteralString = """
MERGE (w:Workspace {workspaceId: $ws, id: $ws})
  ON CREATE SET w.name = coalesce($name, $ws), w.createdAt = $now
RETURN w {.*} AS item
"""

WORKSPACE: LiteralString = """
MATCH (w:Workspace {workspaceId: $ws, id: $ws})
RETURN w {.*} AS item
"""

CREATE_KEY: LiteralString = """
CREATE (k:ApiKey {workspaceId: $ws, id: $id, hash: $hash, name: $name, role: $role, createdAt: $now,
                  createdBy: $by})
RETURN k {.*} AS item
"""

KEY_BY_HASH: LiteralString = """
MATCH (k:ApiKey {hash: $hash})
RETURN k {.*} AS item
"""

KEY_BY_ID: LiteralString = """
MATCH (k:ApiKey {workspaceId: $ws, id: $id})
RETURN k {.*} AS item
"""

KEY_PAGE: LiteralString = """
MATCH (k:ApiKey {workspaceId: $ws})
WHERE k.createdAt IS NOT NULL AND ($includeRevoked OR k.revokedAt IS NULL)
  AND ($afterAt IS NULL OR k.createdAt < $afterAt OR (k.createdAt = $afterAt AND k.id > $afterId))
WITH k ORDER BY k.workspaceId DESC, k.createdAt DESC, k.id LIMIT $limit
RETURN collect(k {.*}) AS items
"""
"""A workspace's keys, newest first. Every key has `createdAt` (`CREATE_KEY`): saying so lets the query seek the
(workspaceId, createdAt) index, and starting the order with the constant workspaceId lets it read the index in
order and stop at the end of the page."""

KEY_COUNT: LiteralString = """
MATCH (k:ApiKey {workspaceId: $ws})
WHERE k.createdAt IS NOT NULL AND ($includeRevoked OR k.revokedAt IS NULL)
RETURN count(k) AS total
"""

REVOKE_KEY: LiteralString = """
MATCH (k:ApiKey {workspaceId: $ws, id: $id})
SET k.revokedAt = coalesce(k.revokedAt, $now)
RETURN k {.*} AS item
"""

TOUCH_KEY: LiteralString = """
MATCH (k:ApiKey {workspaceId: $ws, id: $id})
WHERE k.lastUsedAt IS NULL OR k.lastUsedAt < $now
SET k.lastUsedAt = $now
"""


def workspace_from(p: Any) -> Workspace:
    return Workspace(id=p["id"], name=p.get("name") or p["id"], created_at=native_datetime(p.get("createdAt")))


def key_from(p: Any) -> ApiKey:
    created = native_datetime(p["createdAt"])
    assert created is not None
    return ApiKey(
        id=p["id"],
        workspace_id=p["workspaceId"],
        name=p["name"],
        role=Role(p["role"]),
        created_at=created,
        created_by=p["createdBy"],
        last_used_at=native_datetime(p.get("lastUsedAt")),
        revoked_at=native_datetime(p.get("revokedAt")),
    )


async def _item(tx: Tx, query: LiteralString, **params: Any) -> Any:
    rows = await fetch(tx, query, **params)
    return rows[0]["item"] if rows else None


async def ensure_workspace(tx: Tx, ws: str, name: str | None, now: datetime) -> Workspace:
    """The workspace, created (named `name`, else its id) when missing."""
    return workspace_from(await _item(tx, ENSURE_WORKSPACE, ws=ws, name=name, now=now))


async def workspace(tx: Tx, ws: str) -> Workspace | None:
    found = await _item(tx, WORKSPACE, ws=ws)
    return None if found is None else workspace_from(found)


async def create_key(
    tx: Tx, ws: str, key_id: str, hashed: str, name: str, role: Role, by: str, now: datetime
) -> ApiKey:
    item = await _item(tx, CREATE_KEY, ws=ws, id=key_id, hash=hashed, name=name, role=role.value, by=by, now=now)
    return key_from(item)


async def key_by_hash(tx: Tx, hashed: str) -> ApiKey | None:
    found = await _item(tx, KEY_BY_HASH, hash=hashed)
    return None if found is None else key_from(found)


async def key_by_id(tx: Tx, ws: str, key_id: str) -> ApiKey | None:
    found = await _item(tx, KEY_BY_ID, ws=ws, id=key_id)
    return None if found is None else key_from(found)


async def key_page(
    tx: Tx, ws: str, limit: int, after: tuple[datetime, str] | None, include_revoked: bool
) -> list[ApiKey]:
    """Newest first, up to `limit`, after the key `after` names (its creation time and id)."""
    rows = await fetch(
        tx,
        KEY_PAGE,
        ws=ws,
        limit=limit,
        includeRevoked=include_revoked,
        afterAt=None if after is None else after[0],
        afterId=None if after is None else after[1],
    )
    return [key_from(item) for item in rows[0]["items"]]


async def key_count(tx: Tx, ws: str, include_revoked: bool) -> int:
    rows = await fetch(tx, KEY_COUNT, ws=ws, includeRevoked=include_revoked)
    return int(rows[0]["total"])


async def revoke_key(tx: Tx, ws: str, key_id: str, now: datetime) -> ApiKey | None:
    """The key, revoked (a key revoked before keeps its first revocation time); None when unknown."""
    found = await _item(tx, REVOKE_KEY, ws=ws, id=key_id, now=now)
    return None if found is None else key_from(found)


async def touch_key(tx: Tx, ws: str, key_id: str, now: datetime) -> None:
    await fetch(tx, TOUCH_KEY, ws=ws, id=key_id, now=now)
