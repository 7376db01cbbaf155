"""History: one `Change` node per changed value, linked to the stakeholders it concerns."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch

Tx = AsyncManagedTransaction

RECORD_CHANGES: LiteralString = """
UNWIND $rows AS row
CREATE (c:Change {workspaceId: $ws, id: row.id, seq: row.seq, at: $now, by: $actor, entity: row.entity,
                  entityId: row.entityId, field: row.field, old: row.old, new: row.new})
WITH c, row
UNWIND row.about AS stakeholderId
MATCH (s:Stakeholder {workspaceId: $ws, id: stakeholderId})
CREATE (c)-[:ABOUT {workspaceId: $ws}]->(s)
"""


def change_rows(changes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for `RECORD_CHANGES` from changes shaped {entity, entityId, field, old, new, about: [stakeholder ids]}.

    Adds ids, the order within the transaction, and JSON-encoded values.
    """
    return [
        {
            **change,
            "id": uuid.uuid4().hex,
            "seq": seq,
            "old": json.dumps(change["old"], ensure_ascii=False, default=str),
            "new": json.dumps(change["new"], ensure_ascii=False, default=str),
        }
        for seq, change in enumerate(changes)
    ]


async def record_changes(tx: Tx, ws: str, changes: Sequence[dict[str, Any]], now: datetime, actor: str) -> None:
    if changes:
        await fetch(tx, RECORD_CHANGES, ws=ws, rows=change_rows(changes), now=now, actor=actor)
