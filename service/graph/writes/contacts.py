"""Contact sync in the graph: one Cypher round trip per batch, for the write and for the dry run.

The write (`UPSERT_CONTACTS`), for every row of the batch (rows come sorted by external id, so every
call takes its locks in the same order and overlapping concurrent calls queue instead of deadlocking):

1. looks up the row's manager key (`wanted`); a manager stored in another account fails the row;
2. MERGEs the `StakeholderRef` (workspaceId, source, externalId) under its uniqueness constraint:
   two calls creating the same key serialize on it, and the later one finds the earlier's stakeholder;
3. diffs the row against the stored stakeholder (`DIFF`, shared with the dry run) into a status:
   CREATED, UPDATED, UNCHANGED, or CONFLICT when the key belongs to another account;
4. creates the stakeholder (stance UNKNOWN, no roles, like the import; linked to `wanted` when that
   manager was already stored) or sets the given contact fields and bumps `version`. UNCHANGED rows
   write nothing.

Then, with every row's stakeholder in place, so that a manager later in the same batch is found:

5. reporting lines: a row whose reports-to changed, or a new one whose manager was not stored before
   the batch, is linked to its manager; when the manager is not stored at all, the key is remembered
   on the stakeholder (`reportsToKey`, `reportsToSource`: pending, indexed by the migration
   `stakeholder_pending_manager`). A row still pending from an earlier call is linked once its
   manager exists;
6. everyone in the account waiting for a key this batch created is linked to it.

A replay finds nothing to change and writes nothing. Linking an awaited manager is not a change to the
contact (its reports-to was that key all along): it bumps no version and is no UPDATED.

A stakeholder still waiting for a manager who arrived some other way (the whole-account import does not
know pending keys), or whose manager was created by a concurrent call while it started waiting (both
uncommitted), is linked the next time it is synced itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.database import FINISH_IN_QUERY, Write, at_now, cypher_json_text, fetch_finishing, json_value
from service.graph.driver import fetch
from service.rules.contacts import CHANGE_LOG_FIELDS, NEW_STAKEHOLDER, ContactsWrite, StoredContact

Tx = AsyncManagedTransaction

SYNC_RETRY_SECONDS = 2.0
"""How long the driver keeps retrying a batch after a failure before giving up (the app's default, 15 s,
can stretch to half a minute with its backoff). A stale pooled connection after a database restart still
gets its retry, but when the database is down a sync call says so within a few seconds."""

ACCOUNT: LiteralString = """
OPTIONAL MATCH (:AccountRef {workspaceId: $ws, source: $source, externalId: $account})-[:IDENTIFIES]->(acct:Account)
"""

ROWS: LiteralString = """
  UNWIND CASE WHEN acct IS NULL THEN [] ELSE $rows END AS row
  WITH acct, row,
       [(:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.reportsTo})-[:IDENTIFIES]->(m:Stakeholder) | m][0]
         AS wanted
  WITH acct, row, wanted, wanted IS NOT NULL AND wanted.accountId <> acct.id AS managerElsewhere
"""

DIFF: LiteralString = """
  WITH acct, row, wanted, managerElsewhere, r, [(r)-[:IDENTIFIES]->(s:Stakeholder) | s][0] AS old
  WITH acct, row, wanted, managerElsewhere, r, old, [(old)-[:REPORTS_TO]->(m:Stakeholder) | m][0] AS oldManager,
       coalesce(old.reportsToSource = $source AND old.reportsToKey IS NOT NULL, false) AS pending
  WITH acct, row, wanted, managerElsewhere, r, old, pending,
       CASE WHEN row.setReportsTo THEN row.reportsTo WHEN pending THEN old.reportsToKey END AS managerKey,
       any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], old[k] IS NULL AND row.props[k] IS NULL))
         AS propsChanged,
       row.setReportsTo AND NOT coalesce(
         CASE
           WHEN row.reportsTo IS NULL THEN oldManager IS NULL AND NOT pending
           WHEN oldManager IS NULL THEN pending AND old.reportsToKey = row.reportsTo
           ELSE NOT pending AND oldManager = wanted
         END, false) AS managerChanged
  WITH acct, row, wanted, r, old, pending, managerKey, managerChanged,
       CASE
         WHEN managerElsewhere THEN 'MANAGER_ELSEWHERE'
         WHEN old IS NULL THEN 'CREATED'
         WHEN old.accountId <> acct.id THEN 'CONFLICT'
         WHEN propsChanged OR managerChanged THEN 'UPDATED'
         ELSE 'UNCHANGED'
       END AS status
"""
"""The diff of one row against what is stored, shared by the write and the dry run. In: `acct`, `row`,
`wanted` (the node the row's manager key names), `managerElsewhere`, `r` (the row's StakeholderRef).
Out: `status`, `old` (the stored stakeholder), `pending` (it awaits a manager of this source),
`managerKey` (the manager it should report to) and `managerChanged`."""

LOG_CHANGES: LiteralString = (
    """
CALL (acct, done, managers) {
  WITH acct, [d IN done WHERE d.status IN ['CREATED', 'UPDATED']] AS written, managers
  UNWIND [i IN range(0, size(written) - 1) | {at: i, id: written[i].s.id, node: written[i].s, base: written[i]}]
       + [i IN range(0, size(managers) - 1) | {at: size(written) + i, id: managers[i][0], node: managers[i][3],
                                                move: managers[i]}] AS e
  WITH acct, e ORDER BY e.at
  WITH acct, e.id AS id, collect(e) AS es
  WITH acct, es ORDER BY es[0].at
  WITH acct, es[0].node AS s, es[0].base AS base, [x IN es WHERE x.move IS NOT NULL | x.move] AS moves
  WITH acct, s, base, moves, coalesce(base.status = 'CREATED', false) AS created, coalesce(base.props, {}) AS props,
       base.manager IS NOT NULL OR size(moves) > 0 AS reportsToChanged,
       CASE WHEN base.manager IS NOT NULL THEN NULL ELSE moves[0][1] END AS managerBefore,
       CASE WHEN size(moves) > 0 THEN moves[-1][2] ELSE base.manager END AS managerAfter
  WITH acct, s, CASE WHEN created THEN 'CREATED' ELSE 'UPDATED' END AS op,
       [k IN $logNames WHERE
          CASE
            WHEN k = 'reportsTo' THEN reportsToChanged
            WHEN k IN keys($newStakeholder) THEN created
            WHEN created THEN props[k] IS NOT NULL
            ELSE k IN keys(props) AND NOT coalesce(base.before[k] = props[k], base.before[k] IS NULL AND props[k] IS NULL)
          END
        | CASE
            WHEN k = 'reportsTo' THEN [k, managerBefore, managerAfter, false]
            WHEN k IN keys($newStakeholder) THEN [k, 'null', $newStakeholder[k], true]
            ELSE [k, CASE WHEN created THEN NULL ELSE base.before[k] END, props[k], false]
          END] AS log
  WITH acct, s, op, log WHERE size(log) > 0
  WITH acct, s, op, [e IN log | e[0]] AS fields, size(log) AS n,
       [x IN [e IN log | [e[1], e[3]]] + [e IN log | [e[2], e[3]]] |
         CASE
           WHEN x[1] THEN x[0]
           WHEN x[0] IS NULL THEN 'null'
           ELSE """
    + cypher_json_text("x[0]")
    + """
         END] AS json
  WITH collect({s: s, accountId: acct.id, op: op, fields: fields, old: json[0..n], new: json[n..]}) AS changes
  CALL (changes) {
    UNWIND range(0, size(changes) - 1) AS i
    WITH i, changes[i] AS c, changes[i].s AS s
    CREATE (n:Change {workspaceId: $ws, id: replace(randomUUID(), '-', ''), txId: $txId, seq: $firstSeq + i, at: $now,
                      by: $by, accountId: c.accountId, entity: 'Stakeholder', entityId: s.id, op: c.op,
                      fields: c.fields, old: c.old, new: c.new})
    CREATE (n)-[:ABOUT {workspaceId: $ws}]->(s)
  }
  RETURN [c IN changes | c.s.id] AS logged
}
"""
)
"""The change log of the write, created by the write itself (as `FINISH_WRITE` would create it from
`service.rules.changes.EntityChange`s): one `Change` per stakeholder it created or whose contact fields or
reporting line it changed, in the order of the rows, then those whose reporting line alone moved (in the
order of their first move), each with the fields changed in name order and their old and new values as JSON
(`$plainText`, `$jsonEscapes`: the escaping of Python's `json.dumps`). A new stakeholder logs every value
given, from null, with the values it starts with (`$newStakeholder`) and the manager it was linked to; an
updated one the contact fields that changed; a reporting line moved in several steps logs its first old and
its last new manager. Returns the ids of the stakeholders logged, in their order (`logged`)."""

UPSERT_CONTACTS: LiteralString = at_now(
    "CYPHER replan=skip"
    + ACCOUNT
    + """
CALL (acct) {
"""
    + ROWS
    + """
  OPTIONAL CALL (row, managerElsewhere) {
    WITH * WHERE NOT managerElsewhere
    MERGE (ref:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.externalId})
    RETURN ref
  }
  WITH acct, row, wanted, managerElsewhere, ref AS r
"""
    + DIFF
    + """
  WITH *, CASE WHEN status = 'UPDATED' THEN old {.name, .title, .department, .email, .phone, .level} END AS before
  OPTIONAL CALL (acct, row, r, wanted, status) {
    WITH * WHERE status = 'CREATED'
    CREATE (s:Stakeholder {workspaceId: $ws, id: replace(randomUUID(), '-', ''), accountId: acct.id,
                           archived: false, version: 1, stance: 'UNKNOWN', buyingRoles: [], buyerTypes: [],
                           createdAt: $now, updatedAt: $now})
    SET s += row.props
    CREATE (r)-[:IDENTIFIES {workspaceId: $ws}]->(s)
    FOREACH (m IN CASE WHEN wanted IS NULL THEN [] ELSE [wanted] END | CREATE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m))
    RETURN s AS created
  }
  FOREACH (_ IN CASE WHEN status = 'UPDATED' THEN [1] ELSE [] END |
    SET old += row.props, old.version = old.version + 1, old.updatedAt = $now
  )
  WITH row, status, wanted, managerKey, managerChanged, pending, before,
       CASE status
         WHEN 'CREATED' THEN created
         WHEN 'UPDATED' THEN old
         WHEN 'UNCHANGED' THEN old
       END AS s
  RETURN collect({index: row.index, externalId: row.externalId, status: status, s: s, managerKey: managerKey,
                  relink: CASE status
                    WHEN 'CREATED' THEN wanted IS NULL AND row.reportsTo IS NOT NULL
                    WHEN 'UPDATED' THEN managerChanged OR pending
                    WHEN 'UNCHANGED' THEN pending
                    ELSE false
                  END,
                  managerChanged: managerChanged, before: before,
                  props: CASE WHEN status IN ['CREATED', 'UPDATED'] THEN row.props END,
                  manager: CASE WHEN status = 'CREATED' THEN wanted.id END}) AS done
}
CALL (acct, done) {
  UNWIND done AS d
  WITH acct, d WHERE d.relink
  WITH acct, d.s AS s, d.managerKey AS key, d.managerChanged AS changed
  WITH s, key, changed,
       [(:StakeholderRef {workspaceId: $ws, source: $source, externalId: key})-[:IDENTIFIES]->(m:Stakeholder)
        WHERE m.accountId = acct.id AND m <> s | m][0] AS m
  WITH s, key, m WHERE m IS NOT NULL OR changed
  REMOVE s.reportsToKey, s.reportsToSource
  WITH s, key, m, [(s)-[old:REPORTS_TO]->(x) | {rel: old, id: x.id}] AS old
  FOREACH (o IN old | DELETE o.rel)
  FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | CREATE (s)-[:REPORTS_TO {workspaceId: $ws}]->(m))
  FOREACH (_ IN CASE WHEN m IS NULL AND key IS NOT NULL THEN [1] ELSE [] END |
    SET s.reportsToKey = key, s.reportsToSource = $source
  )
  RETURN count(*) AS relinked,
         collect(CASE WHEN coalesce(old[0].id, '') <> coalesce(m.id, '') THEN [s.id, old[0].id, m.id, s] END) AS relinks
}
CALL (acct, done) {
  UNWIND done AS d
  WITH acct, d WHERE d.status = 'CREATED'
  MATCH (w:Stakeholder {workspaceId: $ws, reportsToKey: d.externalId})
  USING INDEX w:Stakeholder(workspaceId, reportsToKey)
  WHERE w.reportsToSource = $source AND w.accountId = acct.id AND w <> d.s
  REMOVE w.reportsToKey, w.reportsToSource
  WITH d.s AS m, w, [(w)-[old:REPORTS_TO]->(x) | {rel: old, id: x.id}] AS old
  FOREACH (o IN old | DELETE o.rel)
  CREATE (w)-[:REPORTS_TO {workspaceId: $ws}]->(m)
  RETURN count(*) AS linked, collect([w.id, old[0].id, m.id, w]) AS links
}
WITH acct, done, relinks + links AS managers,
     relinked + linked + size([d IN done WHERE d.status IN ['CREATED', 'UPDATED']]) AS writes
"""
    + LOG_CHANGES
    + """
WITH acct, done, writes, logged, acct IS NOT NULL AS finishes, CASE WHEN writes > 0 THEN [acct.id] ELSE [] END AS touched
"""
    + FINISH_IN_QUERY
    + """
RETURN acct.id AS accountId, writes, logged, touched, coalesce(finished, false) AS finished, busy,
       CASE WHEN $withStakeholders
         THEN [d IN done | {index: d.index, status: d.status, id: d.s.id, stakeholder: properties(d.s)}]
         ELSE [d IN done | {index: d.index, status: d.status}]
       END AS results
"""
)
"""The write: see the module docstring. `replan=skip` keeps its cached plan when the statistics move
(a sync growing an account from empty moves them every few batches, and replanning this query took
half a second each time); every lookup in it is a seek on a uniqueness constraint or, for pending
managers, the hinted `stakeholder_pending_manager` index, so the plan does not depend on the statistics.

Writes before reads on every node it changes (the first SET, CREATE or REMOVE takes the node's lock), so
what it reads next is what the last writer committed. It counts the writes it made (`writes`) and ticks the
account's clock only when something changed: a replay leaves it alone. It logs what it changed itself
(`LOG_CHANGES`): no diff goes through Python and back. Last, it closes the write (`FINISH_IN_QUERY`: the clock,
the audit entry, the change sequence) unless the account is unknown."""

PREVIEW_CONTACTS: LiteralString = (
    ACCOUNT
    + """
CALL (acct) {
"""
    + ROWS
    + """
  OPTIONAL MATCH (r:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.externalId})
"""
    + DIFF
    + """
  WITH row, status, CASE WHEN $withStakeholders AND status IN ['UPDATED', 'UNCHANGED'] THEN old END AS s
  RETURN collect({index: row.index, status: status, id: s.id, stakeholder: properties(s)}) AS results
}
RETURN acct.id AS accountId, results
"""
)
"""The dry run: the same rows through the same `DIFF`, reading only."""


def _write(record: Any) -> ContactsWrite:
    return ContactsWrite(
        account_id=record["accountId"],
        writes=record.get("writes", 0),
        rows={
            row["index"]: StoredContact(status=row["status"], id=row.get("id"), stakeholder=row.get("stakeholder"))
            for row in record["results"]
        },
        logged=record.get("logged", []),
    )


NEW_STAKEHOLDER_JSON = {name: json_value(value) for name, value in NEW_STAKEHOLDER.items()}


async def upsert_contacts(
    w: Write,
    source: str,
    account: str,
    rows: Sequence[dict[str, Any]],
    with_stakeholders: bool = False,
) -> ContactsWrite:
    """Write a batch of contact rows (see the module docstring), log its changes (`LOG_CHANGES`) and close `w`
    (`FINISH_IN_QUERY`: the account's clock when anything changed, the audit entry, the change sequence), all in
    one round trip; idempotent, so safe to retry. When the source does not know the account, nothing is written
    and `w` stays open, for the caller to note that in its audit entry.

    With `with_stakeholders`, each row also carries its stakeholder's stored properties (costly for
    large batches: only when the caller asked for them)."""
    record = await fetch_finishing(
        w,
        UPSERT_CONTACTS,
        ws=w.ws,
        source=source,
        account=account,
        rows=list(rows),
        withStakeholders=with_stakeholders,
        logNames=CHANGE_LOG_FIELDS,
        newStakeholder=NEW_STAKEHOLDER_JSON,
    )
    return _write(record)


async def preview_contacts(
    tx: Tx,
    ws: str,
    source: str,
    account: str,
    rows: Sequence[dict[str, Any]],
    with_stakeholders: bool = False,
) -> ContactsWrite:
    """What `upsert_contacts` would report for the same rows, without writing: the same `DIFF` in a read.

    One difference: a manager first created by the same batch is not there to be found, so the row
    is judged against what is stored (a new manager in the batch does not change a CREATED row, and
    an existing row reporting to it reports UPDATED either way)."""
    records = await fetch(
        tx,
        PREVIEW_CONTACTS,
        ws=ws,
        source=source,
        account=account,
        rows=list(rows),
        withStakeholders=with_stakeholders,
    )
    return _write(records[0])
