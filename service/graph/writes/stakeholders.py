"""Stakeholders by hand: create, update (with its version), reporting lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction, Record

from service.graph import records
from service.graph.database import (
    FINISH_IN_QUERY,
    OneQuery,
    WriteState,
    at_now,
    cypher_json_kind,
    cypher_json_value,
    json_kind,
    json_value,
    note_finishing,
)
from service.graph.driver import fetch
from service.rules.entity_changes.diff import BOOKKEEPING
from service.rules.models import Stakeholder

Tx = AsyncManagedTransaction

CREATE_STAKEHOLDER: LiteralString = """
CREATE (s:Stakeholder {workspaceId: $ws, id: $id, accountId: $accountId, archived: false, version: 1,
                       createdAt: $now, updatedAt: $now})
SET s += $props
WITH s
CALL (s) {
  MATCH (m:Stakeholder {workspaceId: $ws, id: $managerId})
  CREATE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m)
}
RETURN s {.*} AS item
"""

UPDATE_STAKEHOLDER: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
SET s += $props, s.version = s.version + 1, s.updatedAt = $now
RETURN s {.*} AS item
"""

EDIT_STAKEHOLDER: LiteralString = at_now(
    """
OPTIONAL MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
SET s._lock = true REMOVE s._lock
WITH s, s.version AS version, [g IN $given | g {.*, old: s[g.name]}] AS given
WITH s, version, [g IN given | g {.*, oldKind: """
    + cypher_json_kind("g.old")
    + """}] AS given
WITH s, version,
     s IS NOT NULL AND coalesce(version = $version, true)
       AND all(g IN given WHERE g.oldKind IS NOT NULL AND (g.oldKind = 'NULL' OR g.kind = 'NULL' OR g.oldKind = g.kind))
       AS finishes,
     [g IN given WHERE NOT coalesce(g.old = g.value, g.old IS NULL AND g.value IS NULL)] AS changed
OPTIONAL CALL (s, finishes, changed) {
  WITH s, changed WHERE finishes AND size(changed) > 0
  FOREACH (g IN changed | SET s[g.name] = g.value)
  SET s.version = s.version + 1, s.updatedAt = $now
  CREATE (change:Change {workspaceId: $ws, id: replace(randomUUID(), '-', ''), txId: $txId, seq: $firstSeq, at: $now,
                         by: $by, accountId: s.accountId, entity: 'Stakeholder', entityId: s.id,
                         op: coalesce([g IN changed WHERE g.name = 'archived' |
                                       CASE WHEN g.value THEN 'ARCHIVED' ELSE 'RESTORED' END][0], 'UPDATED'),
                         fields: [g IN changed | g.name],
                         old: [g IN changed | """
    + cypher_json_value("g.old", "g.oldKind")
    + """],
                         new: [g IN changed | g.json]})
  CREATE (change)-[:ABOUT {workspaceId: $ws}]->(s)
  RETURN [s.id] AS logged, [s.accountId] AS touched
}
WITH s, version, finishes, coalesce(logged, []) AS logged, coalesce(touched, []) AS touched
"""
    + FINISH_IN_QUERY
    + """
RETURN s IS NOT NULL AS found, version, coalesce(finished, false) AS finished, busy,
       s {.*, createdAt: null, updatedAt: [s.updatedAt.epochSeconds, s.updatedAt.nanosecond]} AS item, logged, touched
"""
)
"""A person's own fields set, and the write closed, in one round trip: locks the person, then, when found at the
version the client read (`$version`, null: any), sets the fields `$given` changes (each `{name, value, json,
kind}`, in name order: the value as stored, None to remove, and its JSON and kind as `json_value` and `json_kind`
name them) and counts one more version, logs the change itself as `stakeholder_change` logs it (op ARCHIVED or
RESTORED when `archived` changed, UPDATED otherwise; the fields that changed, in name order, old and new values as
JSON), and closes the write (`FINISH_IN_QUERY`). Nothing changed: nothing is set or logged, and the write is
closed with its audit entry alone. The person comes back without `createdAt`, which `stakeholder_from` leaves out,
and with `updatedAt` as seconds and nanoseconds (decoding a date and time is a good part of reading the answer).

It writes nothing and leaves the write open when the person is not there, at another version, or a given
field holds a value of another kind than `cypher_json_kind` knows or than the value given (which Python might
compare or encode otherwise): the caller refuses the first two and takes the longer way for the last."""

REPORTING: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
OPTIONAL MATCH (m:Stakeholder {workspaceId: $ws, id: $managerId})
RETURN [(s)-[:REPORTS_TO]->(x) | x.id][0] AS current,
       CASE WHEN m IS NULL THEN false ELSE EXISTS { (m)-[:REPORTS_TO*1..]->(s) } END AS cycle
"""

SET_MANAGER: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
CALL (s) {
  MATCH (s)-[old:REPORTS_TO]->()
  DELETE old
}
CALL (s) {
  MATCH (m:Stakeholder {workspaceId: $ws, id: $managerId})
  CREATE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m)
}
"""


async def create_stakeholder(
    tx: Tx,
    ws: str,
    stakeholder_id: str,
    account_id: str,
    props: dict[str, Any],
    manager_id: str | None,
    now: datetime,
) -> Stakeholder:
    rows = await fetch(
        tx,
        CREATE_STAKEHOLDER,
        ws=ws,
        id=stakeholder_id,
        accountId=account_id,
        props=props,
        managerId=manager_id,
        now=now,
    )
    return records.stakeholder_from(rows[0]["item"])


async def update_stakeholder(tx: Tx, ws: str, stakeholder_id: str, props: dict[str, Any], now: datetime) -> Stakeholder:
    """Set `props` (None removes) and count one more version."""
    rows = await fetch(tx, UPDATE_STAKEHOLDER, ws=ws, id=stakeholder_id, props=props, now=now)
    return records.stakeholder_from(rows[0]["item"])


async def reporting(tx: Tx, ws: str, stakeholder_id: str, manager_id: str | None) -> tuple[str | None, bool]:
    """The stakeholder's current manager, and whether reporting to `manager_id` would close a cycle."""
    rows = await fetch(tx, REPORTING, ws=ws, id=stakeholder_id, managerId=manager_id)
    return rows[0]["current"], bool(rows[0]["cycle"])


async def set_manager(tx: Tx, ws: str, stakeholder_id: str, manager_id: str | None) -> None:
    """Replace the stakeholder's reporting line (None: reports to nobody)."""
    await fetch(tx, SET_MANAGER, ws=ws, id=stakeholder_id, managerId=manager_id)


@dataclass(frozen=True, slots=True)
class Edited:
    """What `stakeholder_edit`'s query found and did: `finished` when it made the edit and closed the write."""

    found: bool
    version: int | None
    finished: bool
    stakeholder: Stakeholder | None


def stakeholder_edit(stakeholder_id: str, values: Mapping[str, Any], version: int | None) -> OneQuery[Edited] | None:
    """Set `values` (field -> value as stored, None removes; no bookkeeping field) on the stakeholder, log the
    change and close the write, in one query (`EDIT_STAKEHOLDER`, for `Database.write_one_query`); None when a
    value is of a kind that only Python's diff handles. Reading its answer raises `Rejected` when the write
    touched an account that an import holds."""
    given = [
        {"name": name, "value": value, "json": json_value(value), "kind": json_kind(value)}
        for name, value in sorted(values.items())
    ]
    if any(g["kind"] is None or g["name"] in BOOKKEEPING for g in given):
        return None

    def params(state: WriteState) -> dict[str, Any]:
        return {"ws": state.ws, "id": stakeholder_id, "given": given, "version": version, **state.finish_params()}

    return OneQuery(EDIT_STAKEHOLDER, params, _edited)


def _edited(state: WriteState, row: Record) -> Edited:
    note_finishing(state, row)
    item = row["item"]
    return Edited(
        found=row["found"],
        version=row["version"],
        finished=row["finished"],
        stakeholder=None if item is None else records.stakeholder_from(item),
    )
