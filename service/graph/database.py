"""Units of work over the one driver of the process: managed read and write transactions.

Every write goes through `Database.write`, which hands the work a `Write`: the transaction plus what
the work declares as it goes, the accounts it touched and the history rows it produced. Once the work
returns, one closing query records the history and ticks the clock of every touched account (see
`service.graph.clock`), in the same transaction. Graph functions never open sessions or commit. A write
that is one query closing itself (`OneQuery`) goes through `Database.write_one_query` instead: the same managed
transaction, whose BEGIN the driver sends with the query.

All sessions share one bookmark manager, so a read always sees the writes this process committed
before it, also on a Neo4j cluster whose replicas lag.

Every unit of work has a deadline (`Limits.transaction_seconds`, retries included): the server is told
it as the transaction timeout, and the client stops waiting when it passes, also when the server does
not answer at all. With an `Availability`, units of work are refused at once while the database is
known to be down, and those in flight stop waiting when it goes down (see `availability`). Either way
the caller gets `DatabaseNotAnswering`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any, Concatenate, Generic, LiteralString, ParamSpec, TypeVar

from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncResult,
    Bookmarks,
    Query,
    Record,
    RoutingControl,
    unit_of_work,
)
from neo4j.exceptions import ConnectionAcquisitionTimeoutError, Neo4jError

from service.graph.availability import Availability, DatabaseNotAnswering
from service.graph.driver import QUERIES, fetch
from service.graph.records import EPOCH
from service.observability.metrics import DB_IN_USE, DB_TRANSACTION_SECONDS, labelled
from service.observability.tracing import span
from service.rules.changes import EntityChange
from service.rules.entity_changes.rejected import Rejected
from service.rules.identity import AUDIT_ENTITY_IDS, AuditNote
from service.rules.imports import account_busy

logger = logging.getLogger("powermap.database")

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True)
class WriteState:
    """What one attempt of one write declares as it goes: where, by whom, when, and what it touched."""

    ws: str
    by: str
    now: datetime
    accounts: set[str] = field(default_factory=set)
    changes: list[EntityChange] = field(default_factory=list)
    audit: AuditNote | None = None
    mentioned: list[str] = field(default_factory=list)
    """Ids the audit entry names besides the changed entities (e.g. a key created or revoked)."""
    lease: str | None = None
    """The import job this write is a batch of (see `under_lease`); None for an ordinary write."""
    first_seq: int = 0
    commits_job: bool = False
    """This write is the import's last transaction: it publishes the job's changes to the change feed."""
    tx_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    """The `txId` of its changes (the job's, under a lease)."""
    logged: list[str] = field(default_factory=list)
    """Entity ids of the changes that queries of this write logged themselves (see `log_params`), in order."""
    closed: bool = False
    """A query closed this write itself (see `finish_params`): nothing more is written in it."""
    released: set[str] = field(default_factory=set)
    """Accounts an import let go of in this write (their clocks tick in its own query): `Database.committed`
    listeners hear of them as of the touched ones."""

    def under_lease(self, job: str, now: datetime, first_seq: int) -> None:
        """Make this write one batch of the import `job`: it may write the accounts leased to the job,
        leaves their clocks alone (they tick when the import finishes), and logs its changes as part of
        the job's (txId = the job, `at` = when the import started, `seq` from `first_seq` on)."""
        self.lease = job
        self.tx_id = job
        self.now = now
        self.first_seq = first_seq

    def commit_job(self) -> None:
        """Make this batch the import's last transaction: the feed shows all of the job's changes (those of
        the earlier batches too) as committed by this one, and none of them before."""
        self.commits_job = True

    def touch(self, *account_ids: str | None) -> None:
        """Mark accounts whose data this write changes: their clocks tick when it commits."""
        self._still_open()
        self.accounts.update(a for a in account_ids if a is not None)

    def log_params(self) -> dict[str, Any]:
        """What a query needs to create its `Change` nodes itself, as `FINISH_WRITE` creates them: `txId`, `by`,
        `now` (as `now_params`: the query is written `at_now`), `firstSeq` (the seq of its first change), and how
        to encode texts as JSON (`jsonEscapes`, `plainText`). A query that logs its changes saves the round trip
        of its diff through Python; it runs before any `record` of the same write (those take the seqs after), as
        part of `finish_params`."""
        self._still_open()
        if self.changes:
            raise RuntimeError("a query logs its changes before any are recorded")
        return {
            "txId": self.tx_id,
            "by": self.by,
            **now_params(self.now),
            "firstSeq": self.first_seq + len(self.logged),
            "jsonEscapes": JSON_ESCAPES,
            "plainText": PLAIN_TEXT,
        }

    def finish_params(self) -> dict[str, Any]:
        """What the last query of this write needs to close it itself, ending with `FINISH_IN_QUERY` (one round
        trip less): `log_params` (it logs its own changes), and what `FINISH_WRITE` would take of what the write
        declared before it: the accounts touched, how many changes were logged, the audit entry (the ids it
        names so far apart), the import it is a batch of. The query passes what it returns to `note_finished`."""
        return {
            **self.log_params(),
            "accounts": sorted(self.accounts),
            "loggedBefore": len(self.logged),
            "audit": None if self.audit is None else _audit_fields(self.audit),
            "auditIds": [*self.mentioned, *self.logged],
            "auditIdLimit": AUDIT_ENTITY_IDS,
            "lease": self.lease,
            "commitsJob": self.commits_job,
        }

    def note_finished(self, logged: Sequence[str], touched: Sequence[str], busy: Sequence[str]) -> None:
        """The query ending with `FINISH_IN_QUERY` closed this write, having logged the changes of `logged` and
        touched `touched`; `Rejected` (CONFLICT, the transaction rolls back) when `busy` names an account that an
        import holds."""
        self.logged.extend(logged)
        self.touch(*touched)
        self.closed = True
        if busy:
            raise Rejected([account_busy()])

    def _still_open(self) -> None:
        if self.closed:
            raise RuntimeError("a query closed this write already: it is the last")

    def record(self, changes: Iterable[EntityChange]) -> None:
        """Add to the change log; the accounts of the changes are touched too. A change without fields
        (nothing changed) is left out."""
        self._still_open()
        for change in changes:
            if change.fields:
                self.touch(change.account_id)
                self.changes.append(change)


@dataclass(slots=True)
class Write(WriteState):
    """One attempt of one write transaction: its `WriteState` and the transaction its queries run in."""

    tx: AsyncManagedTransaction = field(kw_only=True)


NOW: LiteralString = "datetime.fromepoch($nowSeconds, $nowNanos)"
"""Cypher for the write's `now`, from `now_params`: the driver converts a date-time parameter in pure Python, at a
cost (measured: about a quarter of a millisecond a write, in the server) far above that of two integers."""


def now_params(now: datetime) -> dict[str, int]:
    """`now` (aware) as the parameters of `NOW`, exactly: whole seconds and nanoseconds since the epoch."""
    since = now - EPOCH
    return {"nowSeconds": since.days * 86400 + since.seconds, "nowNanos": since.microseconds * 1000}


def at_now(query: LiteralString) -> LiteralString:
    """`query`, written with `$now`, as it runs with `now_params` (`NOW` for every `$now`): the queries that close
    a write (`FINISH_WRITE`, and those ending with `FINISH_IN_QUERY`) and that log their own changes."""
    return query.replace("$now", NOW)


_EARLIEST: LiteralString = "datetime('0001-01-01T00:00:00Z')"

_RETIRE_CHECKPOINTS: LiteralString = (
    """
  CALL (a) {
    WITH a, CASE WHEN EXISTS { (c:Change {workspaceId: $ws, accountId: a.id}) WHERE c.at > $now } THEN """
    + _EARLIEST
    + """
                 ELSE $now END AS since
    MATCH (k:Checkpoint {workspaceId: $ws, accountId: a.id})
    USING INDEX k:Checkpoint(workspaceId, accountId, at)
    WHERE k.at >= since
    DETACH DELETE k
  }
"""
)
"""Retires the checkpoints of account `a` that a write at `$now` could make wrong (see `service.graph.checkpoints`):
those at or after it, and all of them when the account logged a change after it before. Two range seeks of the
indexes, both empty on the common write: its cost does not grow with the checkpoints the account keeps."""

_TICK_CLOCKS: LiteralString = (
    """
  MATCH (a:Account {workspaceId: $ws, id: accountId})
  SET a.clock = CASE WHEN a.importJob IS NULL THEN randomUUID() END
  WITH a"""
    + _RETIRE_CHECKPOINTS
    + """  WITH a WHERE a.importJob IS NOT NULL AND a.importJob <> coalesce($lease, '')
  RETURN collect(a.id) AS busy
"""
)

_CREATE_AUDIT_ENTRY: LiteralString = """
  CREATE (:AuditEntry {workspaceId: $ws, id: audit.id, at: $now, by: $by, role: audit.role,
                       operation: audit.operation, outcome: audit.outcome, entityIds: audit.entityIds,
                       entityCount: audit.entityCount, requestId: audit.requestId})
"""

_COMMIT_CHANGES: LiteralString = """
  WITH CASE WHEN published IS NULL THEN COUNT { (c:Change {workspaceId: $ws, txId: $txId}) WHERE c.seq IS NOT NULL }
            ELSE published END AS changes
  WHERE changes > 0
  MERGE (q:ChangeSequence {workspaceId: $ws})
    ON CREATE SET q.number = 0
  SET q.number = q.number + 1
  CREATE (:ChangeCommit {workspaceId: $ws, number: q.number, txId: $txId, at: $now, changes: changes})
"""

FINISH_WRITE: LiteralString = at_now(
    """
CALL () {
  UNWIND $accounts AS accountId"""
    + _TICK_CLOCKS
    + """}
CALL () {
  UNWIND $rows AS row
  CREATE (c:Change {workspaceId: $ws, id: row.id, txId: $txId, seq: row.seq, at: $now, by: $by,
                    accountId: row.accountId, entity: row.entity, entityId: row.entityId, op: row.op,
                    fields: row.fields, old: row.old, new: row.new})
  WITH c, row
  UNWIND row.about AS stakeholderId
  MATCH (s:Stakeholder {workspaceId: $ws, id: stakeholderId})
  CREATE (c)-[:ABOUT {workspaceId: $ws}]->(s)
}
CALL () {
  WITH $audit AS audit WHERE audit IS NOT NULL"""
    + _CREATE_AUDIT_ENTRY
    + """}
CALL () {
  WITH $publish AS publish, $published AS published WHERE publish"""
    + _COMMIT_CHANGES
    + """}
RETURN busy
"""
)
"""Closes a write: ticks the touched accounts' clocks (in id order, so concurrent writes lock them in
the same order), records its changes and its audit entry. An account being imported in batches
(`importJob` set) has no clock until the import ends, and refuses every other write: `busy` names those
the write touched (after taking their lock, so it sees the lease of an import that began meanwhile).
A `Change` node holds one entity's change: parallel lists of the field names and their old and new
values as JSON, so that history can page over single values in Cypher. The audit entry names the
entities (never their values), in the same transaction: a write is never without its entry.

Last, a write that recorded changes (or an import's last transaction, `$publish`) takes the next number of
its workspace's change sequence and files a `ChangeCommit` under it (its changes are those with its txId):
the change feed's order. The sequence node stays locked until the transaction ends, so numbers are taken
in commit order, and one that rolls back takes none (see `service.graph.change_feed`)."""

FINISH_IN_QUERY: LiteralString = (
    """
OPTIONAL CALL (finishes, touched, logged) {
  WITH touched, logged WHERE finishes
  WITH logged, COLLECT { UNWIND $accounts + touched AS id WITH id WHERE id IS NOT NULL RETURN DISTINCT id ORDER BY id }
       AS accounts
  CALL (accounts) {
    UNWIND accounts AS accountId"""
    + _TICK_CLOCKS
    + """  }
  CALL (logged, accounts) {
    WITH $audit AS audit WHERE audit IS NOT NULL
    WITH audit, reduce(ids = [], id IN $auditIds + logged + accounts | CASE WHEN id IN ids THEN ids ELSE ids + id END)
         AS ids
    WITH audit {.*, entityIds: ids[0..$auditIdLimit], entityCount: size(ids)} AS audit"""
    + _CREATE_AUDIT_ENTRY
    + """  }
  CALL (logged) {
    WITH CASE WHEN $lease IS NULL THEN $loggedBefore + size(logged) > 0 ELSE $commitsJob END AS publish,
         CASE WHEN $lease IS NULL THEN $loggedBefore + size(logged) END AS published
    WITH published WHERE publish"""
    + _COMMIT_CHANGES
    + """  }
  RETURN true AS finished, busy
}
"""
)
"""`FINISH_WRITE` as the tail of the write's last query, which saves its round trip: a query that ends with it
(written `at_now`, and run with `WriteState.finish_params`) closes the write itself, when its `finishes` is true,
with what it did itself (`touched`: the ids of the accounts it changed; `logged`: the entities whose changes it
logged, in order) and what the write declared before it (touched accounts, logged changes, its audit entry). Returns
`finished` (true, or null when `finishes` was not) and `busy`, as `FINISH_WRITE`; the query passes both to
`WriteState.note_finished` (`note_finishing`). When it does not finish, `Database.write` closes the write as usual."""


async def fetch_finishing(w: Write, query: LiteralString, **params: Any) -> Record:
    """Run `query`, which ends with `FINISH_IN_QUERY` and returns one record, in `w` with `w.finish_params()`,
    and note in `w` whether it closed it (`note_finishing`). Returns the record."""
    rows = await fetch(w.tx, query, **params, **w.finish_params())
    return note_finishing(w, rows[0])


def note_finishing(state: WriteState, row: Record) -> Record:
    """Note in `state` whether the query ending with `FINISH_IN_QUERY` that answered `row` closed the write
    (`WriteState.note_finished`: `Rejected` when an import holds a touched account). Returns `row`."""
    if row["finished"]:
        state.note_finished(row["logged"], row["touched"], row["busy"])
    return row


@dataclass(frozen=True, slots=True)
class OneQuery(Generic[R]):
    """A write that is one query and closes itself (it ends with `FINISH_IN_QUERY`), for
    `Database.write_one_query`: its text, its parameters for a write's `WriteState` (`finish_params` among
    them), and what its one record says, read with the attempt's `WriteState` (`note_finishing` first)."""

    query: LiteralString
    params: Callable[[WriteState], dict[str, Any]]
    read: Callable[[WriteState, Record], R]


JSON_ESCAPES = [["\\", "\\\\"], ['"', '\\"'], *([chr(code), json.dumps(chr(code))[1:-1]] for code in range(32))]
"""What `json.dumps` escapes in a text, backslash first: a query that logs changes itself encodes texts with these
(`$jsonEscapes`), so that its `old` and `new` values are what `_change_rows` makes of the same values."""
PLAIN_TEXT = r'[^"\\\x00-\x1f]*'
"""A text with nothing to escape (`$plainText`, a Java regular expression): JSON is the text in quotes."""


def cypher_json_text(text: LiteralString) -> LiteralString:
    """Cypher for the text `text` (an expression, not null) as JSON, as `json.dumps` writes it: for the queries
    that log their changes themselves (with `Write.log_params`, which carries `$plainText` and `$jsonEscapes`)."""
    return (
        f"CASE WHEN {text} =~ $plainText THEN '\"' + {text} + '\"' "
        f"ELSE '\"' + reduce(t = {text}, c IN $jsonEscapes | replace(t, c[0], c[1])) + '\"' END"
    )


def cypher_json_kind(value: LiteralString) -> LiteralString:
    """Cypher for the kind of the stored value `value` (a variable) as `json_kind` names it, null for any other
    kind: of those alone `cypher_json_value` writes what `json_value` writes."""
    return (
        f"CASE WHEN {value} IS NULL THEN 'NULL' WHEN {value} IS :: STRING THEN 'STRING' "
        f"WHEN {value} IS :: BOOLEAN THEN 'BOOLEAN' WHEN {value} IS :: INTEGER THEN 'INTEGER' "
        f"WHEN {value} IS :: LIST<STRING NOT NULL> THEN 'LIST' END"
    )


def cypher_json_value(value: LiteralString, kind: LiteralString) -> LiteralString:
    """Cypher for the stored value `value` (a variable) as JSON, as `json_value` writes it, given its `kind` (an
    expression, see `cypher_json_kind`): a query that logs changes of these kinds itself (`Write.log_params`)."""
    return (
        f"CASE {kind} WHEN 'NULL' THEN 'null' WHEN 'STRING' THEN {cypher_json_text(value)} "
        f"WHEN 'LIST' THEN '[' + reduce(json = '', item IN [item IN {value} | {cypher_json_text('item')}] | "
        f"json + CASE WHEN json = '' THEN '' ELSE ', ' END + item) + ']' "
        f"ELSE toString({value}) END"
    )


def json_value(value: Any) -> str:
    """`value` as JSON (non-ASCII kept); a sync logs thousands of texts a call, so those take the short way."""
    if type(value) is str:
        return encode_basestring(value)  # what json.dumps(value, ensure_ascii=False) does for a str
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False, default=str)


def json_kind(value: Any) -> str | None:
    """The kind of `value` for `cypher_json_kind` (NULL, STRING, BOOLEAN, INTEGER, LIST of texts), None for another:
    two values of one kind are equal in Cypher exactly when they are in Python."""
    if value is None:
        return "NULL"
    if type(value) is str:
        return "STRING"
    if type(value) is bool:
        return "BOOLEAN"
    if type(value) is int:
        return "INTEGER"
    if type(value) is list and all(type(item) is str for item in value):
        return "LIST"
    return None


def _change_rows(changes: Sequence[EntityChange], first_seq: int = 0) -> list[dict[str, Any]]:
    """Ids, the order within the transaction, and JSON-encoded values (fields in name order)."""
    rows = []
    for seq, change in enumerate(changes, start=first_seq):
        names = sorted(change.fields)
        rows.append(
            {
                "id": uuid.uuid4().hex,
                "seq": seq,
                "accountId": change.account_id,
                "entity": change.entity,
                "entityId": change.entity_id,
                "op": change.op.value,
                "fields": names,
                "old": [json_value(change.fields[name][0]) for name in names],
                "new": [json_value(change.fields[name][1]) for name in names],
                "about": list(change.about),
            }
        )
    return rows


def _audit_fields(note: AuditNote) -> dict[str, Any]:
    """The audit entry's fields but the entities it names."""
    return {
        "id": uuid.uuid4().hex,
        "role": None if note.role is None else note.role.value,
        "operation": note.operation,
        "outcome": note.outcome,
        "requestId": note.request_id,
    }


def _audit_row(write: Write) -> dict[str, Any] | None:
    """The audit entry's fields: the entities changed, then the accounts touched, each once."""
    note = write.audit
    if note is None:
        return None
    changed = [*write.logged, *(c.entity_id for c in write.changes)]
    ids = list(dict.fromkeys([*write.mentioned, *changed, *sorted(write.accounts)]))
    return {**_audit_fields(note), "entityIds": ids[:AUDIT_ENTITY_IDS], "entityCount": len(ids)}


async def finish(write: Write) -> None:
    """Run the closing query of `write`, unless it touched nothing and has no audit entry, or a query closed it
    already (`FINISH_IN_QUERY`); `Rejected` (CONFLICT, so the whole transaction rolls back) when it touched an
    account that an import holds."""
    if write.closed:
        return
    if not (write.accounts or write.changes or write.logged or write.audit is not None or write.commits_job):
        return
    changes = len(write.logged) + len(write.changes)
    records = await fetch(
        write.tx,
        FINISH_WRITE,
        ws=write.ws,
        by=write.by,
        **now_params(write.now),
        txId=write.tx_id,
        lease=write.lease,
        accounts=sorted(write.accounts),
        rows=_change_rows(write.changes, write.first_seq + len(write.logged)),
        audit=_audit_row(write),
        publish=write.commits_job if write.lease is not None else changes > 0,
        published=None if write.lease is not None else changes,
    )
    busy = records[0]["busy"]
    if busy:
        raise Rejected([account_busy()])


class _NothingToCommit(Exception):
    """`Database.write_one_query`'s conclusion was None: the transaction rolls back."""


@dataclass(frozen=True, slots=True)
class Committed:
    """What a committed write did to the change log: the accounts it touched and how many changes it logged."""

    ws: str
    accounts: frozenset[str]
    changes: int


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a write goes and who makes it; `retry_seconds` bounds the driver's retries (None: its default);
    `audit`, when given, is recorded in the audit log with the write; `timeout_seconds` replaces the
    database's transaction deadline for this write."""

    ws: str
    by: str
    retry_seconds: float | None = None
    audit: AuditNote | None = None
    timeout_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    transaction_seconds: float = 60.0
    """The deadline of one unit of work, retries included; also the server's transaction timeout."""


def _with_timeout(work: Callable[..., Awaitable[T]], seconds: float) -> Callable[..., Awaitable[T]]:
    """`work` as a transaction function that the server times out after `seconds` (a new function: the
    driver reads the timeout from the function object, and graph functions are shared)."""

    async def unit(tx: AsyncManagedTransaction, *args: Any, **kwargs: Any) -> T:
        return await work(tx, *args, **kwargs)

    return unit_of_work(timeout=seconds)(unit)


def _wall_clock() -> datetime:
    return datetime.now(UTC)


class Database:
    """The driver plus the database name: runs units of work as managed, retried transactions."""

    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        *,
        limits: Limits | None = None,
        availability: Availability | None = None,
        progress: Callable[[], None] | None = None,
        pool: str = "main",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`availability` refuses and stops units of work while the database is down (this loop's only);
        `progress` is told of every unit of work the database answered (an `Availability` of another loop);
        `clock` is when a write happens (`now` of every `Write`, the `at` of its changes): the wall clock
        unless given (tests of the map's past set it)."""
        self.driver = driver
        self.database = database
        self.bookmarks = AsyncGraphDatabase.bookmark_manager()
        self.limits = limits or Limits()
        self.availability = availability
        self.progress = progress or (availability.note_progress if availability is not None else None)
        self.pool = pool
        self.clock = clock or _wall_clock
        self.committed: list[Callable[[Committed], None]] = []
        """Told of every write that committed and touched accounts (in the writer's task, right after the commit)."""

    @asynccontextmanager
    async def _deadline(self, kind: str, seconds: float) -> AsyncIterator[None]:
        """Refuse while the database is down; stop waiting after `seconds` or when it goes down."""
        if self.availability is not None:
            self.availability.refuse_if_down()
        in_use = labelled(DB_IN_USE, self.pool)
        in_use.inc()
        began = time.perf_counter()
        outcome = "error"
        try:
            with span(f"neo4j.{kind}", **{"db.system": "neo4j"}):
                try:
                    async with asyncio.timeout(seconds) as deadline:
                        if self.availability is None:
                            yield
                        else:
                            with self.availability.watching(deadline):
                                yield
                except TimeoutError as error:
                    outcome = "timeout"
                    raise DatabaseNotAnswering(f"the database did not answer within {seconds:g} s") from error
                except ConnectionAcquisitionTimeoutError as error:
                    outcome = "busy"
                    raise DatabaseNotAnswering("no database connection came free in time") from error
                except Neo4jError:
                    if self.progress is not None:
                        self.progress()  # the database answered, with an error
                    raise
            outcome = "ok"
            if self.progress is not None:
                self.progress()
        finally:
            in_use.dec()
            labelled(DB_TRANSACTION_SECONDS, kind, outcome).observe(time.perf_counter() - began)

    async def read(self, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        seconds = self.limits.transaction_seconds
        async with (
            self._deadline("read", seconds),
            self.driver.session(
                database=self.database, default_access_mode="READ", bookmark_manager=self.bookmarks
            ) as session,
        ):
            return await session.execute_read(_with_timeout(work, seconds), *args, **kwargs)

    async def read_after(
        self, bookmarks: Sequence[str], work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
    ) -> T:
        """`read`, seeing at least the writes that `bookmarks` name (another driver's, in this process)."""
        seconds = self.limits.transaction_seconds
        async with (
            self._deadline("read", seconds),
            self.driver.session(
                database=self.database,
                default_access_mode="READ",
                bookmarks=Bookmarks.from_raw_values(bookmarks),
            ) as session,
        ):
            return await session.execute_read(_with_timeout(work, seconds), *args, **kwargs)

    async def current_bookmarks(self) -> list[str]:
        return list(await self.bookmarks.get_bookmarks())

    async def write(
        self,
        scope: Scope,
        work: Callable[Concatenate[Write, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `work` in one managed write transaction (retried on transient errors, each attempt with a
        fresh `Write`), then close it with `finish`. An exception from `work` rolls everything back."""
        now = self.clock()
        finished: list[Write] = []

        async def attempt(tx: AsyncManagedTransaction) -> T:
            write = Write(scope.ws, scope.by, now, audit=scope.audit, tx=tx)
            result = await work(write, *args, **kwargs)
            await finish(write)
            finished[:] = [write]
            return result

        config: dict[str, Any] = {"database": self.database, "bookmark_manager": self.bookmarks}
        if scope.retry_seconds is not None:
            config["max_transaction_retry_time"] = scope.retry_seconds
        seconds = scope.timeout_seconds or self.limits.transaction_seconds
        async with self._deadline("write", seconds), self.driver.session(**config) as session:
            result = await session.execute_write(_with_timeout(attempt, seconds))
        self._tell_committed(finished[0])
        return result

    async def write_one_query(self, scope: Scope, one: OneQuery[R], conclude: Callable[[R], T | None]) -> T | None:
        """A write that is one query (`OneQuery`) in one round trip and the commit: the driver's `execute_query`
        sends the transaction's BEGIN with the query, where `write` waits for BEGIN's answer first. The same
        managed transaction otherwise: retried on transient errors, within the same deadline.

        The query's parameters are the same for every attempt (nothing of a failed one stays). Inside the
        transaction, `conclude` takes what the query's record says (`one.read`, with the attempt's own
        `WriteState`): an exception rolls the transaction back, as in `write`; so does None, and then this
        returns None: nothing was written."""
        now = self.clock()
        tx_id = uuid.uuid4().hex

        def fresh() -> WriteState:
            return WriteState(scope.ws, scope.by, now, audit=scope.audit, tx_id=tx_id)

        finished: list[WriteState] = []

        async def read(result: AsyncResult) -> T:
            state = fresh()
            value = conclude(one.read(state, await result.single(strict=True)))
            if value is None:
                raise _NothingToCommit
            finished[:] = [state]
            return value

        seconds = scope.timeout_seconds or self.limits.transaction_seconds
        QUERIES.count += 1
        async with self._deadline("write", seconds):
            try:
                value = await self.driver.execute_query(
                    Query(one.query, timeout=seconds),
                    one.params(fresh()),
                    routing_=RoutingControl.WRITE,
                    database_=self.database,
                    bookmark_manager_=self.bookmarks,
                    result_transformer_=read,
                )
            except _NothingToCommit:
                return None
        self._tell_committed(finished[0])
        return value

    def _tell_committed(self, write: WriteState) -> None:
        accounts = write.accounts | write.released
        if not (self.committed and accounts):
            return
        committed = Committed(write.ws, frozenset(accounts), len(write.logged) + len(write.changes))
        for listener in self.committed:
            try:
                listener(committed)
            except Exception:  # the write is committed: a listener's failure must not make it look failed
                logger.exception("a listener of committed writes failed")

    async def ping(self) -> None:
        """One trivial auto-commit query, never retried: raises at once when the database is unreachable."""
        async with self.driver.session(database=self.database) as session:
            result = await session.run("RETURN 1")
            await result.consume()

    async def close(self) -> None:
        if self.availability is not None:
            await self.availability.stop()
        await self.driver.close()
