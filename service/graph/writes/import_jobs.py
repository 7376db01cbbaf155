"""Import jobs in the graph: the lease on an account, batches with their inverse, finishing, rolling back.

    (:ImportJob {workspaceId, id, source, externalId, accountId, owner, host, pid, heartbeat, startedAt,
                 by, done, total})          -- unique by (workspaceId, source, externalId)
    (:ImportUndo {workspaceId, jobId, seq, ops})   -- ops: the batch's inverse, JSON (see rules/account_import/undo.py)
    (:Account {importJob})                  -- the lease: set while a job writes the account, clock unset

Every function runs in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.rules.account_import.undo import CAPTURED, UndoOp, runs, with_before
from service.rules.imports import ImportJob, Owner

Tx = AsyncManagedTransaction


@dataclass(frozen=True, slots=True)
class WriteStep:
    """One kind of write of an import: a query run with `$rows` (a slice of `rows`), plus `$ws`, `$source`,
    `$accountId` and `$now`. Each row carries `undo`, its inverse, which is stored rather than sent."""

    name: str
    query: LiteralString
    rows: Sequence[dict[str, Any]]


JOB_FIELDS: LiteralString = "j {.id, .source, .externalId, .accountId, .owner, .host, .pid, .heartbeat} AS job"

BEGIN_JOB: LiteralString = (
    """
MERGE (j:ImportJob {workspaceId: $ws, source: $source, externalId: $externalId})
  ON CREATE SET j.id = $job, j.owner = $owner, j.host = $host, j.pid = $pid, j.heartbeat = $now,
                j.startedAt = $now, j.by = $by, j.done = 0, j.total = 0
WITH j
OPTIONAL MATCH (:AccountRef {workspaceId: $ws, source: $source, externalId: $externalId})-[:IDENTIFIES]->(a:Account)
RETURN a.id AS accountId, a.importJob AS accountJob, """
    + JOB_FIELDS
)
"""Creates the job unless the account's key already has one (then returns that one: the caller decides)."""

LEASE_ACCOUNT: LiteralString = """
MATCH (j:ImportJob {workspaceId: $ws, id: $job})
SET j.accountId = $accountId
WITH j
MATCH (a:Account {workspaceId: $ws, id: $accountId})
SET j.clock = a.clock, a.importJob = $job, a.clock = null
"""

DROP_JOB: LiteralString = """
MATCH (j:ImportJob {workspaceId: $ws, id: $job})
DELETE j
"""

CLAIM_JOB: LiteralString = """
MATCH (j:ImportJob {workspaceId: $ws, id: $job})
WHERE j.owner = $owner
SET j.heartbeat = $now,
    j.done = CASE WHEN $total > 0 THEN $done ELSE j.done END,
    j.total = CASE WHEN $total > 0 THEN $total ELSE j.total END
RETURN j.id AS id
"""
"""Locks the job node for the rest of the transaction: a batch and a rollback of the same job never
overlap, and a batch whose job someone else took over (after its lease lapsed) finds nothing."""

TAKE_OVER_JOB: LiteralString = (
    """
MATCH (j:ImportJob {workspaceId: $ws, id: $job})
WHERE j.owner = $previous
SET j.owner = $owner, j.host = $host, j.pid = $pid, j.heartbeat = $now
RETURN """
    + JOB_FIELDS
)

SAVE_UNDO: LiteralString = """
CREATE (:ImportUndo {workspaceId: $ws, jobId: $job, seq: $seq, ops: $ops})
WITH 1 AS one
MATCH (j:ImportJob {workspaceId: $ws, id: $job})
SET j.accountId = $accountId
WITH j
OPTIONAL MATCH (a:Account {workspaceId: $ws, id: $accountId})
FOREACH (_ IN CASE WHEN a IS NULL THEN [] ELSE [1] END | SET a.importJob = $job, a.clock = null)
"""
"""Stores a batch's inverse and (re)marks the account as leased: the batch that creates the account
leases it in the same transaction."""

LAST_UNDO: LiteralString = """
MATCH (u:ImportUndo {workspaceId: $ws, jobId: $job})
USING INDEX u:ImportUndo(workspaceId, jobId, seq)
WHERE u.seq IS NOT NULL
WITH u ORDER BY u.seq DESC LIMIT 1
RETURN u.seq AS seq, u.ops AS ops
"""

DROP_UNDO: LiteralString = """
MATCH (u:ImportUndo {workspaceId: $ws, jobId: $job, seq: $seq})
DELETE u
"""

COUNT_UNDO: LiteralString = """
MATCH (u:ImportUndo {workspaceId: $ws, jobId: $job})
USING INDEX u:ImportUndo(workspaceId, jobId, seq)
WHERE u.seq IS NOT NULL
RETURN count(u) AS batches
"""

DROP_CHANGES: LiteralString = """
MATCH (c:Change {workspaceId: $ws, txId: $job}) WHERE c.seq IS NOT NULL
WITH c LIMIT $limit
DETACH DELETE c
RETURN count(*) AS dropped
"""
"""The change-log entries of a job that is rolled back, a bounded number at a time."""

END_JOB: LiteralString = """
MATCH (j:ImportJob {workspaceId: $ws, id: $job})
CALL (j) {
  MATCH (a:Account {workspaceId: $ws, id: j.accountId})
  WHERE a.importJob = j.id
  SET a.clock = CASE WHEN $changed OR j.clock IS NULL THEN randomUUID() ELSE j.clock END
  REMOVE a.importJob
}
CALL (j) {
  MATCH (u:ImportUndo {workspaceId: $ws, jobId: j.id})
  USING INDEX u:ImportUndo(workspaceId, jobId, seq)
  WHERE u.seq IS NOT NULL
  DELETE u
}
DELETE j
"""
"""Ends a job, finished or rolled back: the account's clock ticks (readers reload it) unless the job
changed nothing (then it shows its value from before the lease again), the lease and the stored inverses go."""

ABANDONED_CANDIDATES: LiteralString = (
    """
MATCH (j:ImportJob) WHERE j.heartbeat IS NOT NULL
WITH j ORDER BY j.heartbeat LIMIT 100
RETURN j.workspaceId AS ws, """
    + JOB_FIELDS
)


def _rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{name: value for name, value in row.items() if name != "undo"} for row in rows]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if hasattr(value, "to_native"):
        return {"$datetime": value.to_native().isoformat()}
    if isinstance(value, Mapping):
        return {name: _encode(item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$datetime"}:
            return datetime.fromisoformat(value["$datetime"])
        return {name: _decode(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def job_from(record: Mapping[str, Any]) -> ImportJob:
    job = record["job"]
    return ImportJob(
        id=job["id"],
        source=job["source"],
        external_id=job["externalId"],
        account_id=job["accountId"],
        owner=Owner(job["owner"], job["host"], job["pid"]),
        heartbeat=job["heartbeat"].to_native(),
    )


@dataclass(frozen=True, slots=True)
class Begun:
    """The outcome of `begin_job`: the job that holds the key (ours when `ours`), and the account."""

    job: ImportJob
    ours: bool
    account_id: str | None
    account_job: str | None


async def begin_job(
    tx: Tx, ws: str, job: str, source: str, external_id: str, owner: Owner, by: str, now: datetime
) -> Begun:
    records = await fetch(
        tx,
        BEGIN_JOB,
        ws=ws,
        job=job,
        source=source,
        externalId=external_id,
        owner=owner.instance,
        host=owner.host,
        pid=owner.pid,
        by=by,
        now=now,
    )
    found = job_from(records[0])
    return Begun(found, found.id == job, records[0]["accountId"], records[0]["accountJob"])


async def lease_account(tx: Tx, ws: str, job: str, account_id: str) -> None:
    await fetch(tx, LEASE_ACCOUNT, ws=ws, job=job, accountId=account_id)


async def drop_job(tx: Tx, ws: str, job: str) -> None:
    await fetch(tx, DROP_JOB, ws=ws, job=job)


async def claim_job(tx: Tx, ws: str, job: str, owner: Owner, now: datetime, done: int, total: int) -> bool:
    """Whether `owner` still holds `job` (then its heartbeat is renewed and the job locked)."""
    return bool(await fetch(tx, CLAIM_JOB, ws=ws, job=job, owner=owner.instance, now=now, done=done, total=total))


async def take_over_job(tx: Tx, ws: str, job: ImportJob, owner: Owner, now: datetime) -> bool:
    """Make `owner` the job's owner, unless someone else took it over first."""
    records = await fetch(
        tx,
        TAKE_OVER_JOB,
        ws=ws,
        job=job.id,
        previous=job.owner.instance,
        owner=owner.instance,
        host=owner.host,
        pid=owner.pid,
        now=now,
    )
    return bool(records)


async def write_batch(
    tx: Tx,
    ws: str,
    job: str,
    seq: int,
    account_id: str,
    parts: Sequence[tuple[WriteStep, int, int]],
    params: Mapping[str, Any],
) -> None:
    """Write rows `start:end` of each step, and store their inverse (last written, first undone). Before
    each step, what it is about to change is read (`capture`), so the inverse holds the values as they were."""
    ops: list[UndoOp] = []
    for step, start, end in parts:
        rows = step.rows[start:end]
        step_ops = [op for row in rows for op in row.get("undo", ())]
        ops.extend(await capture(tx, ws, step_ops))
        await fetch(tx, step.query, rows=_rows(rows), **params)
    ops.reverse()
    await fetch(
        tx,
        SAVE_UNDO,
        ws=ws,
        job=job,
        seq=seq,
        accountId=account_id,
        ops=json.dumps(_encode(ops), ensure_ascii=False, separators=(",", ":")),
    )


async def capture(tx: Tx, ws: str, ops: Sequence[UndoOp]) -> list[UndoOp]:
    """`ops` with the before-images of the records they put back, read now (one query per label or type)."""
    nodes: dict[tuple[str, str], Any] = {}
    rels: dict[tuple[str, str, str, str | None], Any] = {}
    wanted = [op for op in ops if op["op"] in CAPTURED]
    for (kind, name), group in runs(sorted(wanted, key=lambda op: (op["op"], op.get("label") or op.get("type")))):
        if kind == "putNode":
            for record in await fetch(tx, CAPTURE_NODE[name], ws=ws, ids=[op["id"] for op in group]):
                nodes[(name, record["id"])] = record["props"]
        else:
            rows = [{"start": op["start"], "end": op["end"], "kind": op.get("kind")} for op in group]
            for record in await fetch(tx, CAPTURE_REL[name], ws=ws, rows=rows):
                rels[(name, record["start"], record["end"], record["kind"])] = record["props"]
    return with_before(ops, nodes, rels)


async def end_job(tx: Tx, ws: str, job: str, changed: bool) -> None:
    await fetch(tx, END_JOB, ws=ws, job=job, changed=changed)


async def undo_last_batch(tx: Tx, ws: str, job: str) -> bool:
    """Undo the job's last stored batch and forget it; False when none is left."""
    records = await fetch(tx, LAST_UNDO, ws=ws, job=job)
    if not records:
        return False
    ops = _decode(json.loads(records[0]["ops"]))
    for (kind, name), group in runs(ops):
        await fetch(tx, UNDO_QUERIES[(kind, name)], rows=group, ws=ws, job=job)
    await fetch(tx, DROP_UNDO, ws=ws, job=job, seq=records[0]["seq"])
    return True


async def stored_batches(tx: Tx, ws: str, job: str) -> int:
    batches: int = (await fetch(tx, COUNT_UNDO, ws=ws, job=job))[0]["batches"]
    return batches


async def drop_changes(tx: Tx, ws: str, job: str, limit: int) -> int:
    dropped: int = (await fetch(tx, DROP_CHANGES, ws=ws, job=job, limit=limit))[0]["dropped"]
    return dropped


async def abandoned_candidates(tx: Tx) -> list[tuple[str, ImportJob]]:
    """Jobs of every workspace, the longest silent first: the caller decides which are abandoned. A job that
    ended while this read ran may come back without its properties (reads see other transactions' commits as
    they happen, deletions included): it is left out."""
    records = await fetch(tx, ABANDONED_CANDIDATES)
    return [(record["ws"], job_from(record)) for record in records if record["job"]["heartbeat"] is not None]


# --- the inverse operations: one query per operation and label or relationship type ------------------


def _put_node(label: LiteralString) -> LiteralString:
    lease: LiteralString = ", n.importJob = $job" if label == "Account" else ""
    return "UNWIND $rows AS row MERGE (n:" + label + " {workspaceId: $ws, id: row.id}) SET n = row.props" + lease


def _delete_node(label: LiteralString) -> LiteralString:
    return (
        "UNWIND $rows AS row MATCH (n:"
        + label
        + """ {workspaceId: $ws, id: row.id})
WITH n, [(r)-[:IDENTIFIES]->(n) | r] AS refs
DETACH DELETE n
WITH refs
UNWIND refs AS r
WITH DISTINCT r WHERE NOT EXISTS { (r)-[:IDENTIFIES]->() }
DELETE r
"""
    )


def _ends(rel_type: LiteralString) -> LiteralString:
    start, end = REL_ENDS[rel_type]
    return (
        "UNWIND $rows AS row MATCH (a:"
        + start
        + " {workspaceId: $ws, id: row.start}) MATCH (b:"
        + end
        + " {workspaceId: $ws, id: row.end}) "
    )


def _pattern(rel_type: LiteralString) -> LiteralString:
    if rel_type == "TIE":
        return "(a)-[r:TIE {kind: row.kind}]->(b)"
    if rel_type in UNDIRECTED:
        return "(a)-[r:" + rel_type + "]-(b)"
    return "(a)-[r:" + rel_type + "]->(b)"


def _capture_node(label: LiteralString) -> LiteralString:
    return "UNWIND $ids AS id MATCH (n:" + label + " {workspaceId: $ws, id: id}) RETURN id, properties(n) AS props"


def _capture_rel(rel_type: LiteralString) -> LiteralString:
    return (
        _ends(rel_type)
        + "MATCH "
        + _pattern(rel_type)
        + " RETURN row.start AS start, row.end AS end, row.kind AS kind, properties(r) AS props"
    )


def _put_rel(rel_type: LiteralString) -> LiteralString:
    return _ends(rel_type) + "MERGE " + _pattern(rel_type) + " SET r = row.props, r.workspaceId = $ws"


def _delete_rel(rel_type: LiteralString) -> LiteralString:
    return _ends(rel_type) + "MATCH " + _pattern(rel_type) + " DELETE r"


UNDIRECTED: tuple[LiteralString, ...] = ("RIVAL_OF", "ALLIED_WITH")
LABELS: tuple[LiteralString, ...] = ("Account", "Stakeholder", "Circle", "TeamMember", "Interaction")
REL_ENDS: dict[LiteralString, tuple[LiteralString, LiteralString]] = {
    "MEMBER_OF": ("Stakeholder", "Circle"),
    "RIVAL_OF": ("Circle", "Circle"),
    "ALLIED_WITH": ("Circle", "Circle"),
    "INFLUENCES": ("Stakeholder", "Stakeholder"),
    "TIE": ("Stakeholder", "Stakeholder"),
    "COVERS": ("TeamMember", "Stakeholder"),
    "ASSIGNED_TO": ("TeamMember", "Account"),
}

SET_MANAGER_BACK: LiteralString = """
UNWIND $rows AS row
MATCH (s:Stakeholder {workspaceId: $ws, id: row.id})
CALL (s) { MATCH (s)-[old:REPORTS_TO]->() DELETE old }
WITH s, row
MATCH (m:Stakeholder {workspaceId: $ws, id: row.managerId})
CREATE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m)
"""

RELINK_BACK: LiteralString = """
UNWIND $rows AS row
MATCH (i:Interaction {workspaceId: $ws, id: row.id})
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

CAPTURE_NODE: dict[str, LiteralString] = {label: _capture_node(label) for label in LABELS}
CAPTURE_REL: dict[str, LiteralString] = {rel_type: _capture_rel(rel_type) for rel_type in REL_ENDS}

UNDO_QUERIES: dict[tuple[str, str], LiteralString] = {
    **{("putNode", label): _put_node(label) for label in LABELS},
    **{("deleteNode", label): _delete_node(label) for label in LABELS},
    **{("putRel", rel_type): _put_rel(rel_type) for rel_type in REL_ENDS},
    **{("deleteRel", rel_type): _delete_rel(rel_type) for rel_type in REL_ENDS},
    ("setManager", ""): SET_MANAGER_BACK,
    ("relink", ""): RELINK_BACK,
}
"""Every inverse operation's query; labels and types only from the allow-lists above."""
