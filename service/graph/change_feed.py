"""Reading the change feed: the log's entries in commit order, a bounded page at a time.

    (:ChangeSequence {workspaceId, number})            -- the last number taken (one per workspace)
    (:ChangeCommit {workspaceId, number, txId, at, changes})   -- one per write that recorded changes

Every write that records changes takes the next number as the last step of its transaction
(`FINISH_WRITE`): the sequence node stays locked until that transaction commits, so a later number is
always committed later, and a transaction that rolls back leaves no number behind. An import's batches
write their changes under the job's txId without a commit; its last transaction files the commit, so
the feed shows the import whole once it finished, and never when it rolled back.

Neo4j reads are read-committed, with no snapshot: a reader might see a commit's number before all of
its changes. Only the newest commit can be half seen (the next one takes its number only once this one
has committed), so a page first settles the newest commit: complete when all of its changes are seen,
else the page stops before it (`settled`), and the next poll reads it whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.rules.change_feed import NOTHING, FeedEntry, FeedPosition, FieldChange, Window

Tx = AsyncManagedTransaction

SETTLED: LiteralString = """
MATCH (k:ChangeCommit {workspaceId: $ws}) WHERE k.number IS NOT NULL
WITH k ORDER BY k.number DESC LIMIT 1
RETURN k.number AS number, COUNT { (c:Change {workspaceId: $ws, txId: k.txId}) WHERE c.seq IS NOT NULL } = k.changes AS complete
"""
"""The newest commit, and whether all of its changes are seen."""

FEED_PAGE: LiteralString = """
MATCH (k:ChangeCommit {workspaceId: $ws})
WHERE k.number >= $number AND k.number <= $last
WITH k ORDER BY k.number
CALL (k) {
  MATCH (c:Change {workspaceId: $ws, txId: k.txId})
  WHERE c.seq IS NOT NULL AND (k.number > $number OR c.seq > $seq)
    AND ($entities IS NULL OR c.entity IN $entities)
    AND ($accountId IS NULL OR c.accountId = $accountId)
  RETURN c ORDER BY c.seq
}
WITH k, c LIMIT $limit
WITH c, [k.number, c.seq, c.entity, c.entityId, c.op, c.accountId, c.at.epochMillis, size(c.fields)]
       + c.fields + c.old + c.new AS row
WITH collect(row) AS rows,
     collect(DISTINCT CASE c.entity WHEN 'Account' THEN c.entityId END) AS accounts,
     collect(DISTINCT CASE c.entity WHEN 'Stakeholder' THEN c.entityId END) AS stakeholders,
     collect(DISTINCT CASE c.entity WHEN 'TeamMember' THEN c.entityId END) AS teamMembers,
     collect(DISTINCT CASE c.entity WHEN 'Competitor' THEN c.entityId END) AS competitors,
     collect(DISTINCT CASE c.entity WHEN 'CompetitorRep' THEN c.entityId END) AS competitorReps,
     collect(DISTINCT CASE c.entity WHEN 'Interaction' THEN c.entityId END) AS interactions,
     collect(DISTINCT CASE c.entity WHEN 'Opportunity' THEN c.entityId END) AS opportunities
RETURN rows,
  COLLECT { UNWIND accounts AS id
    MATCH (r:AccountRef)-[:IDENTIFIES]->(:Account {workspaceId: $ws, id: id})
    RETURN ['Account', id, r.source, r.externalId] }
  + COLLECT { UNWIND stakeholders AS id
    MATCH (r:StakeholderRef)-[:IDENTIFIES]->(:Stakeholder {workspaceId: $ws, id: id})
    RETURN ['Stakeholder', id, r.source, r.externalId] }
  + COLLECT { UNWIND teamMembers AS id
    MATCH (r:TeamMemberRef)-[:IDENTIFIES]->(:TeamMember {workspaceId: $ws, id: id})
    RETURN ['TeamMember', id, r.source, r.externalId] }
  + COLLECT { UNWIND competitors AS id
    MATCH (r:CompetitorRef)-[:IDENTIFIES]->(:Competitor {workspaceId: $ws, id: id})
    RETURN ['Competitor', id, r.source, r.externalId] }
  + COLLECT { UNWIND competitorReps AS id
    MATCH (r:CompetitorRepRef)-[:IDENTIFIES]->(:CompetitorRep {workspaceId: $ws, id: id})
    RETURN ['CompetitorRep', id, r.source, r.externalId] }
  + COLLECT { UNWIND interactions AS id
    MATCH (n:Interaction {workspaceId: $ws, id: id}) WHERE n.externalId IS NOT NULL
    RETURN ['Interaction', id, n.source, n.externalId] }
  + COLLECT { UNWIND opportunities AS id
    MATCH (n:Opportunity {workspaceId: $ws, id: id}) WHERE n.externalId IS NOT NULL
    RETURN ['Opportunity', id, n.source, n.externalId] } AS refs
"""
"""Up to `$limit` entries after ($number, $seq) of the commits up to `$last`, in (number, seq) order, and
the external ids their entities have now, all in one record (the driver's cost is per record: a page as
1,000 records spent most of its time receiving them one by one). Each row is one flat list, [number, seq,
entity, entityId, op, accountId, at (epoch millis), n, n field names, n old values, n new values]: a page's
lists are what the garbage collector keeps walking while the page is served, six a row when nested. The
external ids are looked up once per entity of the page, kind by kind, as [entity, entityId, source,
externalId]: looked up row by row, chosen by kind in an expression, they took 13 of the query's 31 ms on a
page of 1,000 changes about 2,000 people; this way, 5."""

ExternalIds = dict[tuple[str, str], tuple[tuple[str, str], ...]]
"""(entity, entityId) -> the entity's external ids, as (source, id), in that order (as the loaders give them)."""


async def settled_commit(tx: Tx, ws: str) -> int | None:
    """The newest commit whose changes are all seen (None: no commit yet)."""
    records = await fetch(tx, SETTLED, ws=ws)
    if not records:
        return None
    number: int = records[0]["number"]
    return number if records[0]["complete"] else number - 1


async def feed_entries(
    tx: Tx,
    ws: str,
    after: FeedPosition,
    last: int,
    limit: int,
    entities: Sequence[str] | None,
    account_id: str | None,
    shown: Mapping[str, frozenset[str]] | None = None,
) -> list[FeedEntry]:
    records = await fetch(
        tx,
        FEED_PAGE,
        ws=ws,
        number=after.number,
        seq=after.seq,
        last=last,
        limit=limit,
        entities=None if entities is None else list(entities),
        accountId=account_id,
    )
    rows: list[list[Any]] = records[0]["rows"]
    rows.sort(key=_position)  # the query orders them; `collect` keeps that order, but no manual promises it
    refs = _external_ids(records[0]["refs"])
    times: dict[int, datetime] = {}
    return [_entry(row, refs, times, shown) for row in rows]


def _external_ids(found: list[list[str]]) -> ExternalIds:
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for entity, entity_id, source, key in found:
        grouped.setdefault((entity, entity_id), []).append((source, key))
    return {entity: tuple(sorted(ids)) for entity, ids in grouped.items()}  # as everywhere: by (source, id)


def _position(row: list[Any]) -> tuple[int, int]:
    return row[0], row[1]


def _entry(
    row: list[Any], refs: ExternalIds, times: dict[int, datetime], shown: Mapping[str, frozenset[str]] | None
) -> FeedEntry:
    """`row` as an entry, with its entity's external ids (`refs`) and the fields `shown` lists for its kind
    (None: all); `times` keeps the instants already made (a write's changes share theirs)."""
    number, seq, entity, entity_id, op, account_id, at_millis, count = row[:8]
    old_at, new_at = 8 + count, 8 + 2 * count
    if shown is None:
        fields = tuple(map(FieldChange, row[8:old_at], row[old_at:new_at], row[new_at:]))
    else:
        kept = shown.get(entity, NOTHING)
        names = row[8:old_at]
        fields = tuple(
            FieldChange(name, row[old_at + index], row[new_at + index])
            for index, name in enumerate(names)
            if name in kept
        )
    at = times.get(at_millis)
    if at is None:  # from epoch millis: hydrating a zoned DateTime costs more
        at = times[at_millis] = datetime.fromtimestamp(at_millis / 1000, UTC)
    return FeedEntry(
        position=FeedPosition(number, seq),
        entity=entity,
        entity_id=entity_id,
        op=op,
        account_id=account_id,
        at=at,
        fields=fields,
        external_ids=refs.get((entity, entity_id), ()),
    )


async def feed_read(
    tx: Tx,
    ws: str,
    after: FeedPosition,
    limit: int,
    entities: Sequence[str] | None,
    account_id: str | None,
    shown: Mapping[str, frozenset[str]] | None = None,
) -> tuple[list[FeedEntry], Window]:
    """Up to `limit` entries after `after` among the settled commits (see the module), looking at most at
    the `limit` commits from `after`'s on (every commit has a change, so that is enough for `limit` of them
    unless the filters leave some out; the bound keeps each page's work bounded whatever the filters).
    With `shown`, the entries hold only the fields it lists for their kind: the reader's allow-list
    (`rules.change_feed.readable`), applied as the rows are read so that the fields the reader may not see
    are never made into objects."""
    settled = await settled_commit(tx, ws)
    if settled is None or settled < after.number:
        return [], Window(settled, settled)
    last = min(settled, after.number + limit)
    if entities == []:
        return [], Window(last, settled)
    return await feed_entries(tx, ws, after, last, limit, entities, account_id, shown), Window(last, settled)
