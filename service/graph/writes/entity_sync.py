"""Bulk upserts and removals by external id in the graph: one Cypher round trip per batch each.

Every query takes the batch's rows sorted by key (see `service.rules.entity_sync`), so concurrent calls
take their locks in the same order. Each upsert MERGEs the row's key under its uniqueness constraint
(`TeamMemberRef`, the `Interaction` key, or the one `COVERS` between two nodes, which MERGE guards with
the locks of both), so two calls creating the same key serialize and the later one finds the earlier's
entity. A new node or relationship from the MERGE carries nothing but its key: that is how a row knows
it CREATED it. A row whose values equal what is stored is UNCHANGED and writes nothing: a replay of a
batch writes nothing at all.

Each row comes back with its status and, for what it changed, the stored values before and after (as
property maps), so that the use case logs every change through `Write.record` without reading again; the
interaction upsert, the bulkiest, logs its changes itself (see `UPSERT_INTERACTIONS`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.database import FINISH_IN_QUERY, Write, at_now, cypher_json_text, fetch_finishing
from service.graph.driver import fetch

Tx = AsyncManagedTransaction

INTERACTION_LOG_FIELDS = sorted(
    ["at", "externalId", "nextStep", "source", "summary", "type", "teamMemberId", "stakeholderIds"]
)
"""Every field an interaction's change may name, in the log's (name) order."""

CHANGED: LiteralString = (
    "any(k IN keys(row.props) WHERE NOT coalesce(n[k] = row.props[k], n[k] IS NULL AND row.props[k] IS NULL))"
)

UPSERT_INTERACTIONS: LiteralString = at_now(
    """CYPHER replan=skip
OPTIONAL MATCH (:AccountRef {workspaceId: $ws, source: $source, externalId: $account})-[:IDENTIFIES]->(acct:Account)
CALL (acct) {
  UNWIND CASE WHEN acct IS NULL THEN [] ELSE $rows END AS row
  CALL (row) {
    OPTIONAL MATCH (r:TeamMemberRef {workspaceId: $ws, source: $source, externalId: row.teamMember})
    USING INDEX r:TeamMemberRef(workspaceId, source, externalId)
    OPTIONAL MATCH (r)-[:IDENTIFIES]->(t:TeamMember)
    RETURN t AS member
  }
  CALL (row, acct) {
    UNWIND range(0, size(row.stakeholders) - 1) AS p
    OPTIONAL MATCH (r:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.stakeholders[p]})
    USING INDEX r:StakeholderRef(workspaceId, source, externalId)
    OPTIONAL MATCH (r)-[:IDENTIFIES]->(s:Stakeholder)
    WITH p, CASE WHEN s.accountId = acct.id THEN s END AS s ORDER BY p
    RETURN collect([s]) AS found
  }
  WITH acct, row, member, [cell IN found | cell[0]] AS met
  WITH acct, row, member, met,
       row.teamMember IS NOT NULL AND member IS NULL AS unknownMember,
       [p IN range(0, size(met) - 1) WHERE met[p] IS NULL] AS unknownMet
  WITH acct, row, member, met, unknownMember, unknownMet, unknownMember OR size(unknownMet) > 0 AS refused
  OPTIONAL CALL (acct, row, refused) {
    WITH * WHERE NOT refused
    MERGE (n:Interaction {workspaceId: $ws, accountId: acct.id, source: $source, externalId: row.externalId})
    RETURN n
  }
  WITH row, member, met, unknownMember, unknownMet, n, n {.id, .type, .summary, .nextStep, .source, .externalId, at: n.at.epochMillis} AS before,
       [(n)-[:BY]->(t:TeamMember) | t.id][0] AS oldMember, [(n)-[:MET]->(s:Stakeholder) | s] AS oldMetNodes,
       [s IN met | s.id] AS metIds
  WITH row, member, met, unknownMember, unknownMet, n, before, oldMember, oldMetNodes,
       [s IN oldMetNodes | s.id] AS oldMet, metIds
  WITH row, member, met, unknownMember, unknownMet, n, before, oldMember, oldMetNodes, oldMet, metIds,
       row.setTeamMember AND coalesce(oldMember, '') <> coalesce(member.id, '') AS memberChanged,
       NOT (all(x IN metIds WHERE x IN oldMet) AND all(x IN oldMet WHERE x IN metIds)) AS metChanged
  WITH row, member, met, unknownMember, unknownMet, n, before, oldMember, oldMetNodes, oldMet, metIds, memberChanged,
       metChanged,
       CASE
         WHEN n IS NULL THEN 'REFUSED'
         WHEN n.id IS NULL THEN 'CREATED'
         WHEN memberChanged OR metChanged OR n.at.epochMillis <> row.at OR """
    + CHANGED
    + """ THEN 'UPDATED'
         ELSE 'UNCHANGED'
       END AS status
  FOREACH (_ IN CASE WHEN status = 'CREATED' THEN [1] ELSE [] END |
    SET n.id = replace(randomUUID(), '-', ''), n.createdAt = $now
  )
  FOREACH (_ IN CASE WHEN status IN ['CREATED', 'UPDATED'] THEN [1] ELSE [] END |
    SET n += row.props, n.updatedAt = $now,
        n.at = CASE WHEN n.at.epochMillis = row.at THEN n.at ELSE datetime({epochMillis: row.at}) END
  )
  WITH row, member, met, unknownMember, unknownMet, n, before, oldMember, oldMetNodes, oldMet, metIds, memberChanged,
       metChanged, status
  CALL (n, member, status, memberChanged) {
    WITH * WHERE status IN ['CREATED', 'UPDATED'] AND memberChanged
    OPTIONAL MATCH (n)-[old:BY]->()
    DELETE old
    WITH DISTINCT n, member
    FOREACH (m IN CASE WHEN member IS NULL THEN [] ELSE [member] END | CREATE (n)-[:BY {workspaceId: $ws}]->(m))
  }
  CALL (n, met, status, metChanged) {
    WITH * WHERE status IN ['CREATED', 'UPDATED'] AND metChanged
    OPTIONAL MATCH (n)-[old:MET]->()
    DELETE old
    WITH DISTINCT n, met
    UNWIND met AS s
    WITH DISTINCT n, s
    CREATE (n)-[:MET {workspaceId: $ws}]->(s)
  }
  RETURN collect({index: row.index, status: status, id: n.id, unknownMember: unknownMember, unknownMet: unknownMet,
                  n: CASE WHEN status IN ['CREATED', 'UPDATED'] THEN n END,
                  before: CASE WHEN status = 'UPDATED' THEN before END,
                  after: CASE WHEN status IN ['CREATED', 'UPDATED'] THEN n {.type, .summary, .nextStep, .source, .externalId, at: n.at.epochMillis} END,
                  oldMember: oldMember, oldMet: oldMet,
                  member: CASE WHEN row.setTeamMember THEN member.id ELSE oldMember END, met: metIds,
                  about: CASE WHEN status = 'CREATED' THEN met WHEN status = 'UPDATED' THEN oldMetNodes + met END})
         AS done
}
CALL (acct, done) {
  UNWIND [d IN done WHERE d.status IN ['CREATED', 'UPDATED']] AS d
  WITH acct, d, d.status = 'CREATED' AS created,
       {teamMemberId: d.oldMember, stakeholderIds: COLLECT { UNWIND d.oldMet AS x RETURN x ORDER BY x }} AS oldLinks,
       {teamMemberId: d.member, stakeholderIds: COLLECT { UNWIND d.met AS x RETURN x ORDER BY x }} AS newLinks
  WITH acct, d, created,
       [k IN $logNames WHERE
          CASE
            WHEN created THEN coalesce(d.after[k], newLinks[k]) IS NOT NULL
            WHEN k IN keys(newLinks) THEN oldLinks[k] <> newLinks[k] OR (oldLinks[k] IS NULL) <> (newLinks[k] IS NULL)
            ELSE NOT coalesce(d.before[k] = d.after[k], d.before[k] IS NULL AND d.after[k] IS NULL)
          END
        | CASE
            WHEN k IN keys(newLinks) THEN [k, CASE WHEN created THEN NULL ELSE oldLinks[k] END, newLinks[k]]
            ELSE [k, CASE WHEN created THEN NULL ELSE d.before[k] END, d.after[k]]
          END] AS log
  WITH acct, d, created, log WHERE size(log) > 0
  WITH acct, d, created, log, size(log) AS count,
       [v IN [e IN log | [e[0], e[1]]] + [e IN log | [e[0], e[2]]] |
         CASE
           WHEN v[1] IS NULL THEN 'null'
           WHEN v[0] = 'at' THEN [t IN [datetime({epochMillis: v[1]})] |
             '"' + toString(date(t)) + ' ' + right('0' + toString(t.hour), 2) + ':' + right('0' + toString(t.minute), 2)
             + ':' + right('0' + toString(t.second), 2)
             + CASE WHEN t.millisecond = 0 THEN '' ELSE '.' + right('00' + toString(t.millisecond), 3) + '000' END
             + '+00:00"'][0]
           WHEN v[0] = 'stakeholderIds' THEN
             '[' + reduce(text = '', i IN range(0, size(v[1]) - 1) |
                          text + CASE WHEN i = 0 THEN '' ELSE ', ' END + '"' + v[1][i] + '"') + ']'
           ELSE """
    + cypher_json_text("v[1]")
    + """
         END] AS json
  WITH collect({n: d.n, accountId: acct.id, op: d.status, fields: [e IN log | e[0]], old: json[0..count],
                new: json[count..],
                about: COLLECT { UNWIND d.about AS x RETURN DISTINCT x }})
       AS changes
  CALL (changes) {
    UNWIND range(0, size(changes) - 1) AS i
    WITH i, changes[i] AS c, changes[i].n AS n
    CREATE (change:Change {workspaceId: $ws, id: replace(randomUUID(), '-', ''), txId: $txId, seq: $firstSeq + i,
                           at: $now, by: $by, accountId: c.accountId, entity: 'Interaction', entityId: n.id,
                           op: c.op, fields: c.fields, old: c.old, new: c.new})
    WITH change, c
    UNWIND c.about AS s
    CREATE (change)-[:ABOUT {workspaceId: $ws}]->(s)
  }
  RETURN [c IN changes | c.n.id] AS logged
}
WITH acct, done, logged, acct IS NOT NULL AS finishes, CASE WHEN size(logged) > 0 THEN [acct.id] ELSE [] END AS touched
"""
    + FINISH_IN_QUERY
    + """
RETURN acct.id AS accountId, [d IN done | d {.index, .status, .id, .unknownMember, .unknownMet}] AS done, logged,
       touched, coalesce(finished, false) AS finished, busy
"""
)
"""Interactions of one account: see the module docstring. `at` comes as epoch milliseconds. A row naming a team member or a stakeholder
(of the account) that the source does not know is REFUSED, with which (`unknownMember`, `unknownMet`:
positions in its stakeholders), and writes nothing. `replan=skip`: every lookup is a seek on a
uniqueness constraint, so the plan does not depend on the statistics that a growing log moves. The keys are
looked up in `CALL` subqueries with index hints, not in pattern comprehensions: one with a `WHERE` on the
stakeholder found (its account) was not planned as one seek per key (a profile of Neo4j showed it comparing
index entries and properties), and a batch that wrote nothing took three times as long as with the hinted
seeks (`bench/interactions_bench.py`). The log links each change to the stakeholders already at hand
(`about`), without looking them up again.

It logs its changes itself, as `service.usecases.entity_sync` logged them from Python (`Write.log_params`):
one `Change` per interaction created (every value given, its team member and everyone met, from null) or
updated (what changed), in the order of the rows, about everyone met (before or after); fields in name
order (`$logNames`), values as JSON: `at` as Python writes an aware UTC datetime, ids as they are (hex,
nothing to escape), texts escaped as `json.dumps` escapes them (`$plainText`, `$jsonEscapes`). Then it closes
the write itself (`FINISH_IN_QUERY`, with `Write.finish_params`): the account's clock when it logged a change, the
audit entry, the change sequence; the whole call is one round trip. When the source does not know the account, it
leaves the write open, and the use case closes it with its audit entry's outcome NOT_FOUND."""

UPSERT_TEAM_MEMBERS: LiteralString = (
    """CYPHER replan=skip
UNWIND $rows AS row
MERGE (r:TeamMemberRef {workspaceId: $ws, source: $source, externalId: row.externalId})
WITH row, r, [(r)-[:IDENTIFIES]->(t:TeamMember) | t][0] AS n
WITH row, r, n, n {.id, .name, .role, .email} AS before,
     CASE
       WHEN n IS NULL THEN 'CREATED'
       WHEN """
    + CHANGED
    + """ THEN 'UPDATED'
       ELSE 'UNCHANGED'
     END AS status
OPTIONAL CALL (row, r, status) {
  WITH * WHERE status = 'CREATED'
  CREATE (t:TeamMember {workspaceId: $ws, id: replace(randomUUID(), '-', ''), createdAt: $now, updatedAt: $now})
  SET t += row.props
  CREATE (r)-[:IDENTIFIES {workspaceId: $ws}]->(t)
  RETURN t AS created
}
FOREACH (_ IN CASE WHEN status = 'UPDATED' THEN [1] ELSE [] END | SET n += row.props, n.updatedAt = $now)
WITH row, status, before, CASE WHEN status = 'CREATED' THEN created ELSE n END AS t
RETURN collect({index: row.index, status: status, id: t.id,
                before: CASE WHEN status = 'UPDATED' THEN before END,
                after: CASE WHEN status IN ['CREATED', 'UPDATED'] THEN t {.id, .name, .role, .email} END,
                accounts: CASE WHEN status = 'UPDATED'
                  THEN [(t)-[:ASSIGNED_TO]->(a:Account) | a.id] + [(t)-[:COVERS]->(s:Stakeholder) | s.accountId]
                  ELSE [] END}) AS done
"""
)
"""Team members of the workspace; an UPDATED one names the accounts that show them (`accounts`)."""

UPSERT_COVERAGE: LiteralString = (
    """CYPHER replan=skip
UNWIND $rows AS row
WITH row,
     [(:TeamMemberRef {workspaceId: $ws, source: $source, externalId: row.teamMember})-[:IDENTIFIES]->(t:TeamMember)
      | t][0] AS t,
     [(:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.stakeholder})-[:IDENTIFIES]->(s:Stakeholder)
      | s][0] AS s
OPTIONAL CALL (t, s) {
  WITH * WHERE t IS NOT NULL AND s IS NOT NULL
  MERGE (t)-[n:COVERS]->(s)
  RETURN n
}
WITH row, t, s, n, n {.relationshipStep, .relationshipType} AS before,
     CASE
       WHEN n IS NULL THEN 'REFUSED'
       WHEN n.workspaceId IS NULL THEN 'CREATED'
       WHEN """
    + CHANGED
    + """ THEN 'UPDATED'
       ELSE 'UNCHANGED'
     END AS status
FOREACH (_ IN CASE WHEN status = 'CREATED' THEN [1] ELSE [] END | SET n.workspaceId = $ws, n.createdAt = $now)
FOREACH (_ IN CASE WHEN status IN ['CREATED', 'UPDATED'] THEN [1] ELSE [] END | SET n += row.props, n.updatedAt = $now)
RETURN collect({index: row.index, status: status, unknownMember: t IS NULL, unknownStakeholder: s IS NULL,
                teamMemberId: t.id, stakeholderId: s.id, accountId: s.accountId,
                before: CASE WHEN status = 'UPDATED' THEN before END,
                after: CASE WHEN status IN ['CREATED', 'UPDATED'] THEN n {.relationshipStep, .relationshipType} END}) AS done
"""
)
"""Coverage by the two keys; a row whose team member or stakeholder the source does not know is REFUSED."""

LOCK_WORKSPACE: LiteralString = """CYPHER replan=skip
CALL () {
  OPTIONAL MATCH (w:Workspace {workspaceId: $ws, id: $ws})
  FOREACH (_ IN CASE WHEN w IS NULL THEN [] ELSE [1] END | SET w.id = w.id)
}
"""
"""The first step of every removal: the workspace's lock (setting a value to itself changes nothing, but
takes the node's lock), so that removals in one workspace run one after another. Without it two
concurrent calls removing the same key would both find it, both delete it (a second delete of a node
is no error) and both report and log it. Removals are rare beside upserts, so queueing them costs little."""

REMOVE_INTERACTIONS: LiteralString = (
    LOCK_WORKSPACE
    + """OPTIONAL MATCH (:AccountRef {workspaceId: $ws, source: $source, externalId: $account})-[:IDENTIFIES]->(acct:Account)
CALL (acct) {
  UNWIND CASE WHEN acct IS NULL THEN [] ELSE $rows END AS row
  OPTIONAL MATCH (n:Interaction {workspaceId: $ws, accountId: acct.id, source: $source, externalId: row.externalId})
  WITH row, n, n {.id, .type, .summary, .nextStep, .source, .externalId, at: n.at.epochMillis} AS before, [(n)-[:BY]->(t:TeamMember) | t.id][0] AS member,
       [(n)-[:MET]->(s:Stakeholder) | s.id] AS met
  CALL (n) {
    WITH n WHERE n IS NOT NULL
    DETACH DELETE n
  }
  RETURN collect({index: row.index, status: CASE WHEN before IS NULL THEN 'UNCHANGED' ELSE 'REMOVED' END,
                  id: before.id, before: before, member: member, met: met}) AS done
}
RETURN acct.id AS accountId, done
"""
)
"""Interactions of one account by key, with every stored value and link of each removed one."""

REMOVE_TEAM_MEMBERS: LiteralString = (
    LOCK_WORKSPACE
    + """UNWIND $rows AS row
OPTIONAL MATCH (:TeamMemberRef {workspaceId: $ws, source: $source, externalId: row.externalId})-[:IDENTIFIES]->
               (n:TeamMember)
WITH row, n, n {.id, .name, .role, .email} AS before,
     [(n)-[:ASSIGNED_TO]->(a:Account) | a.id] AS assigned,
     [(n)-[c:COVERS]->(s:Stakeholder) | c {.relationshipStep, .relationshipType, stakeholder: s.id, accountId: s.accountId}]
       AS coverage,
     [(i:Interaction)-[:BY]->(n) | i {.id, .accountId}] AS interactions
CALL (n) {
  WITH n WHERE n IS NOT NULL
  OPTIONAL MATCH (r:TeamMemberRef)-[:IDENTIFIES]->(n)
  DETACH DELETE r, n
}
RETURN collect({index: row.index, status: CASE WHEN before IS NULL THEN 'UNCHANGED' ELSE 'REMOVED' END,
                id: before.id, before: before, assigned: assigned, coverage: coverage,
                interactions: interactions}) AS done
"""
)
"""Team members by key, with their external ids (of every source), assignments and coverage; the
interactions they logged stay, without them (as `teamMemberDelete` does)."""

REMOVE_COVERAGE: LiteralString = (
    LOCK_WORKSPACE
    + """UNWIND $rows AS row
WITH row,
     [(:TeamMemberRef {workspaceId: $ws, source: $source, externalId: row.teamMember})-[:IDENTIFIES]->(t:TeamMember)
      | t][0] AS t,
     [(:StakeholderRef {workspaceId: $ws, source: $source, externalId: row.stakeholder})-[:IDENTIFIES]->(s:Stakeholder)
      | s][0] AS s
OPTIONAL MATCH (t)-[n:COVERS]->(s)
WITH row, t, s, n, n {.relationshipStep, .relationshipType} AS before
CALL (n) {
  WITH n WHERE n IS NOT NULL
  DELETE n
}
RETURN collect({index: row.index, status: CASE WHEN before IS NULL THEN 'UNCHANGED' ELSE 'REMOVED' END,
                teamMemberId: t.id, stakeholderId: s.id, accountId: s.accountId, before: before}) AS done
"""
)
"""Coverage by the two keys; a key the source does not know covers nobody: UNCHANGED."""


async def upsert_interactions(
    w: Write, source: str, account: str, rows: Sequence[dict[str, Any]]
) -> tuple[str | None, list[dict[str, Any]]]:
    """The account's internal id (None when the source does not know it: nothing written, and `w` is left open
    for the caller to note that in its audit entry) and each row's result; the changes are logged and, when the
    account is known, the write is closed (`FINISH_IN_QUERY`)."""
    row = await fetch_finishing(
        w,
        UPSERT_INTERACTIONS,
        ws=w.ws,
        source=source,
        account=account,
        rows=list(rows),
        logNames=INTERACTION_LOG_FIELDS,
    )
    return row["accountId"], row["done"]


async def remove_interactions(
    tx: Tx, ws: str, source: str, account: str, rows: Sequence[dict[str, Any]]
) -> tuple[str | None, list[dict[str, Any]]]:
    records = await fetch(tx, REMOVE_INTERACTIONS, ws=ws, source=source, account=account, rows=list(rows))
    return records[0]["accountId"], records[0]["done"]


async def upsert_team_members(
    tx: Tx, ws: str, source: str, rows: Sequence[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    records = await fetch(tx, UPSERT_TEAM_MEMBERS, ws=ws, source=source, rows=list(rows), now=now)
    return _done(records)


async def remove_team_members(tx: Tx, ws: str, source: str, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    records = await fetch(tx, REMOVE_TEAM_MEMBERS, ws=ws, source=source, rows=list(rows))
    return _done(records)


async def upsert_coverage(
    tx: Tx, ws: str, source: str, rows: Sequence[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    records = await fetch(tx, UPSERT_COVERAGE, ws=ws, source=source, rows=list(rows), now=now)
    return _done(records)


async def remove_coverage(tx: Tx, ws: str, source: str, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    records = await fetch(tx, REMOVE_COVERAGE, ws=ws, source=source, rows=list(rows))
    return _done(records)


def _done(records: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows' results (an UNWIND over no rows returns one record with an empty list)."""
    return list(records[0]["done"]) if records else []
