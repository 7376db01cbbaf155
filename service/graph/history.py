"""Reading the change log: a stakeholder's history, newest first, paged in Cypher one value at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.models import Change
from service.rules.paging import HistoryPosition

Tx = AsyncManagedTransaction

HISTORY_PAGES: LiteralString = """
UNWIND $ids AS id
MATCH (s:Stakeholder {workspaceId: $ws, id: id})
CALL (s) {
  MATCH (s)<-[:ABOUT]-(c:Change)
  UNWIND range(0, size(c.fields) - 1) AS i
  WITH c, i
  WHERE $afterAt IS NULL
     OR c.at < $afterAt
     OR (c.at = $afterAt AND (c.id < $afterId OR (c.id = $afterId AND i > $afterIndex)))
  RETURN c, i ORDER BY c.at DESC, c.id DESC, i ASC LIMIT $first
}
RETURN collect([id, c {.id, .at, .by, .entity, .entityId, .op, field: c.fields[i], old: c.old[i], new: c.new[i],
                       index: i}]) AS rows
"""
"""Each value changed in a change about the stakeholder is one row; rows are ordered by (time desc,
change id desc, field index), and a page starts after the row its cursor names."""


async def history_pages(
    tx: Tx, ws: str, ids: Sequence[str], first: int, after: HistoryPosition | None
) -> list[list[Change]]:
    """Up to `first` changed values about each stakeholder, newest first, after `after`; aligned with `ids`."""
    rows = await fetch(
        tx,
        HISTORY_PAGES,
        ws=ws,
        ids=list(dict.fromkeys(ids)),
        first=first,
        afterAt=None if after is None else after.at,
        afterId=None if after is None else after.change_id,
        afterIndex=None if after is None else after.index,
    )
    found: dict[str, list[Change]] = {}
    for key, item in rows[0]["rows"]:
        found.setdefault(key, []).append(records.change_from(item))
    return [found.get(key, []) for key in ids]


ACCOUNT_CHANGES: LiteralString = """
MATCH (c:Change {workspaceId: $ws, accountId: $accountId})
USING INDEX c:Change(workspaceId, accountId, at)
WHERE c.at IS NOT NULL AND ($from IS NULL OR c.at > $from) AND ($to IS NULL OR c.at <= $to)
  AND ($afterAt IS NULL OR c.at <= $afterAt)
UNWIND range(0, size(c.fields) - 1) AS i
WITH c, i
WHERE $afterAt IS NULL
   OR c.at < $afterAt
   OR (c.at = $afterAt AND (c.id < $afterId OR (c.id = $afterId AND i > $afterIndex)))
RETURN c {.id, .at, .by, .entity, .entityId, .op, field: c.fields[i], old: c.old[i], new: c.new[i], index: i} AS row
ORDER BY c.workspaceId DESC, c.accountId DESC, c.at DESC, c.id DESC, i ASC
LIMIT $first
"""
"""An account's changes recorded after `from` and up to `to` (either open), one changed value a row,
newest first, paged like a stakeholder's history (DOMAIN.md rule 18)."""


async def account_changes(
    tx: Tx,
    ws: str,
    account_id: str,
    start: datetime | None,
    end: datetime | None,
    first: int,
    after: HistoryPosition | None,
) -> list[Change]:
    rows = await fetch(
        tx,
        ACCOUNT_CHANGES,
        ws=ws,
        accountId=account_id,
        first=first,
        **{"from": start, "to": end},
        afterAt=None if after is None else after.at,
        afterId=None if after is None else after.change_id,
        afterIndex=None if after is None else after.index,
    )
    return [records.change_from(row["row"]) for row in rows]
