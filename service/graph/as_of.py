"""The map as of a date (DOMAIN.md rule 18): an account's state read in the change log's own shape, the
changes recorded after an instant reduced to what undoing them needs (each entity's earliest operation,
each field's value before its earliest change: `service.rules.history.first_changes`), undone onto the
state (`restore`), and the snapshot rebuilt from what is left.

The state undone is the nearest checkpoint at or after the instant (`service.graph.checkpoints`), so only
the changes up to it are read; without one, the present and every change since the instant. Team members
belong to the workspace: they are read as they are now, with their own changes since undone. A few
bounded queries however far back."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.map_state import (
    ACCOUNT_STATE,
    ACCOUNT_VERSIONS,
    Versions,
    current_state,
    present_values,
)
from service.graph.pages import StakeholderFilter
from service.graph.records import circle_from, coverage_from, influence_from, stakeholder_from, tie_from
from service.rules.account_graph import AccountGraph
from service.rules.enums import RelationshipType
from service.rules.history import FirstChange, LogRow, MapState, decode_state, first_changes, rebuild_graph, restore
from service.rules.history.rebuild import instant
from service.rules.models import Circle, Coverage, InfluenceLink, Stakeholder, Tie

MAX_REPLAYED_CHANGES = 500_000
"""The most changes one read undoes (an account with 10,000 people and 50 changes each)."""


class HistoryTooLong(Exception):
    """More changes were recorded after the instant asked for than one read undoes."""


_CHANGE_ROW: LiteralString = (
    "[c.entity, c.entityId, c.op, c.fields, c.old, c.txId, c.at.epochSeconds * 1000000000 + c.at.nanosecond]"
)
"""A change as `LogRow` lists it, then its transaction and its instant (nanoseconds since the epoch), which
`in_commit_order` needs to order the transactions that share an instant."""

CHANGES_AFTER: LiteralString = (
    """
MATCH (c:Change {workspaceId: $ws, accountId: $accountId})
WHERE c.at > $after
WITH c ORDER BY c.at, c.txId, c.seq
LIMIT $limit
RETURN collect("""
    + _CHANGE_ROW
    + """) AS changes
"""
)
"""The account's changes recorded after `after`, by instant, transaction and sequence (`in_commit_order` orders
the transactions of one instant as they committed). Reducing them per entity in Cypher (list operations over
every change) took longer than sending them: the reduction (`first_changes`) runs here, decoding only the values
it keeps."""

CHECKPOINT_AND_CHANGES: LiteralString = (
    """
OPTIONAL CALL () {
  MATCH (k:Checkpoint {workspaceId: $ws, accountId: $accountId})
  WHERE k.at >= $after
  RETURN k ORDER BY k.at
  LIMIT 1
}
CALL (k) {
  MATCH (c:Change {workspaceId: $ws, accountId: $accountId})
  WHERE c.at > $after AND c.at <= k.at
  WITH c ORDER BY c.at, c.txId, c.seq
  LIMIT $limit
  RETURN collect("""
    + _CHANGE_ROW
    + """) AS changes
}
RETURN k.state AS state, changes
"""
)
"""The account's earliest checkpoint at or after `after` (its state null when there is none) and the changes
recorded after `after` up to it, as `CHANGES_AFTER` lists them. The bound is the checkpoint's instant as
stored, which compares with the changes' own as their order does."""

TEAM_MEMBERS_AFTER: LiteralString = (
    """
UNWIND $ids AS id
OPTIONAL MATCH (t:TeamMember {workspaceId: $ws, id: id})
CALL (id) {
  OPTIONAL MATCH (c:Change {workspaceId: $ws, entityId: id})
  WHERE c.entity = 'TeamMember' AND c.at > $after
  WITH c ORDER BY c.at, c.txId, c.seq
  LIMIT $limit
  RETURN collect("""
    + _CHANGE_ROW
    + """) AS changes
}
RETURN id, [t.name, t.role, t.email] AS member, t IS NOT NULL AS present, changes
LIMIT $limit
"""
)
"""Team members belong to the workspace, so their changes are not the account's: their current values
and their changes after `after` (reduced like `CHANGES_AFTER`), for the members the account's map
names now or named since."""


COMMIT_NUMBERS: LiteralString = """
UNWIND $txIds AS txId
OPTIONAL MATCH (k:ChangeCommit {workspaceId: $ws, txId: txId})
RETURN txId, k.number AS number
"""
"""The change feed's number of each transaction (null: none, an import still running)."""

TxRow = list[Any]
"""A change as `_CHANGE_ROW` reads it: the `LogRow`, its transaction id, its instant in nanoseconds."""


def _tied(rows: Sequence[TxRow]) -> set[str]:
    """The transactions that logged changes at an instant another one logged changes at too (rows by instant,
    transaction and sequence: those of one instant are next to each other)."""
    tied: set[str] = set()
    for before, after in pairwise(rows):
        if before[6] == after[6] and before[5] != after[5]:
            tied.update((before[5], after[5]))
    return tied


async def in_commit_order(tx: AsyncManagedTransaction, ws: str, logs: Sequence[Sequence[TxRow]]) -> list[list[LogRow]]:
    """Each log (rows by instant, transaction and sequence) as `LogRow`s in commit order: the transactions that
    share an instant (a backfill at the instant of another change, a writer whose clock is behind) in the order
    the change feed numbered them, those it did not number yet last. A transaction id says nothing of when it
    committed, and undoing the changes after an instant takes each field's value from its first change."""
    tied = set().union(*(_tied(rows) for rows in logs))
    if tied:
        found = await fetch(tx, COMMIT_NUMBERS, ws=ws, txIds=sorted(tied))
        numbers: dict[str, int] = {row["txId"]: row["number"] for row in found if row["number"] is not None}

        def order(indexed: tuple[int, TxRow]) -> tuple[int, bool, int, str, int]:
            index, row = indexed
            number = numbers.get(row[5])
            return row[6], number is None, number or 0, row[5], index

        logs = [[row for _, row in sorted(enumerate(rows), key=order)] for rows in logs]
    return [[(row[0], row[1], row[2], row[3], row[4]) for row in rows] for rows in logs]


def _members_named(state: MapState, changed: Sequence[FirstChange]) -> set[str]:
    """Every team member the map names now or named at the instant (coverage and assignments as then)."""
    found = {
        v["teamMemberId"]
        for (entity, _), v in state.items()
        if entity in ("Coverage", "TeamAssignment") and v.get("teamMemberId")
    }
    found.update(
        str(change.before["teamMemberId"])
        for change in changed
        if change.entity in ("Coverage", "TeamAssignment") and change.before.get("teamMemberId")
    )
    return found


def _decoded(values: list[str | None]) -> list[Any]:
    """Logged values (JSON texts, None: absent) decoded in one go: one parse of them all as a list is several
    times faster than one parse each."""
    decoded: list[Any] = json.loads("[" + ",".join("null" if value is None else value for value in values) + "]")
    return decoded


def _reduced(changes: list[LogRow], after: datetime) -> list[FirstChange]:
    if len(changes) > MAX_REPLAYED_CHANGES:
        raise HistoryTooLong(
            f"more than {MAX_REPLAYED_CHANGES} changes were recorded since {after.isoformat()}, the most a read undoes"
        )
    return first_changes(changes, _decoded)


async def _changed_after(tx: AsyncManagedTransaction, ws: str, account_id: str, after: datetime) -> list[FirstChange]:
    rows = await fetch(tx, CHANGES_AFTER, ws=ws, accountId=account_id, after=after, limit=MAX_REPLAYED_CHANGES + 1)
    (changes,) = await in_commit_order(tx, ws, [rows[0]["changes"]])
    return _reduced(changes, after)


Start = tuple[MapState, list[FirstChange]]
"""A state and the changes to undo on it."""


async def _checkpointed(tx: AsyncManagedTransaction, ws: str, account_id: str, after: datetime) -> Start | None:
    """The earliest checkpoint at or after `after` and the changes between, reduced; None without one."""
    rows = await fetch(
        tx, CHECKPOINT_AND_CHANGES, ws=ws, accountId=account_id, after=after, limit=MAX_REPLAYED_CHANGES + 1
    )
    state = rows[0]["state"]
    if state is None:
        return None
    (changes,) = await in_commit_order(tx, ws, [rows[0]["changes"]])
    return decode_state(state), _reduced(changes, after)


async def _with_team(
    tx: AsyncManagedTransaction, ws: str, state: MapState, changed: Sequence[FirstChange], after: datetime
) -> MapState:
    """`state` with the team members it names as they were at `after`."""
    members = await fetch(
        tx, TEAM_MEMBERS_AFTER, ws=ws, ids=sorted(_members_named(state, changed)), after=after, limit=10_000
    )
    for row in members:
        if row["present"]:
            state[("TeamMember", row["id"])] = present_values(("name", "role", "email"), row["member"])
    logs = await in_commit_order(tx, ws, [[c for c in row["changes"] if c[0] is not None] for row in members])
    return restore(state, first_changes([change for log in logs for change in log], _decoded))


async def _present_and_versions(
    tx: AsyncManagedTransaction, ws: str, account_id: str, starts: Sequence[Start | None]
) -> tuple[MapState, Versions] | None:
    """The present state, read only when an instant has no checkpoint to start from, and the people's
    versions; None when the account does not exist."""
    if all(start is not None for start in starts):
        rows = await fetch(tx, ACCOUNT_VERSIONS, ws=ws, accountId=account_id)
        return None if not rows else ({}, {person: (v, at) for person, v, at in rows[0]["versions"]})
    rows = await fetch(tx, ACCOUNT_STATE, ws=ws, accountId=account_id)
    return None if not rows else current_state(rows[0], account_id)


async def account_states(
    tx: AsyncManagedTransaction, ws: str, account_id: str, instants: Sequence[datetime]
) -> list[AccountGraph] | None:
    """The account's snapshot as of each of `instants` (aligned), from its nearest checkpoint after the
    instant or its current state, and the change log; None when the account does not exist.
    `HistoryTooLong` past `MAX_REPLAYED_CHANGES`.

    A past record keeps the person's current `version` and `updatedAt` (the log does not hold them)."""
    starts = [await _checkpointed(tx, ws, account_id, moment) for moment in instants]
    found = await _present_and_versions(tx, ws, account_id, starts)
    if found is None:
        return None
    present, versions = found

    def record(person: str, values: Mapping[str, Any]) -> Stakeholder:
        version, updated = versions.get(person, (1, None))
        return stakeholder_from(
            {**values, "id": person, "accountId": account_id, "version": version, "updatedAt": updated}
        )

    graphs = []
    for moment, start in zip(instants, starts, strict=True):
        base, changed = start or (present, await _changed_after(tx, ws, account_id, moment))
        state = await _with_team(tx, ws, restore(dict(base), changed), changed, moment)
        graph = rebuild_graph(state, account_id, record)
        graph.memo[_STATE] = state
        graphs.append(graph)
    return graphs


_STATE = "history.state"
_READS = "history.reads"


@dataclass(frozen=True, slots=True)
class MapReads:
    """The account's reads as of an instant (DOMAIN.md rule 18), each as the current read orders it:
    stakeholders by name then id (archived ones too), links and ties between active people, circles by
    name, coverage of active people."""

    stakeholders: tuple[Stakeholder, ...]
    influences: tuple[InfluenceLink, ...]
    ties: tuple[Tie, ...]
    circles: tuple[Circle, ...]
    coverage: tuple[Coverage, ...]


def map_reads(graph: AccountGraph) -> MapReads:
    """What the account's reads show of a snapshot that `account_states` rebuilt (kept with it)."""
    found = graph.memo.get(_READS)
    if isinstance(found, MapReads):
        return found
    state = graph.memo.get(_STATE)
    assert isinstance(state, dict), "only a snapshot of the past has its state"
    reads = _reads(state, graph)
    graph.memo[_READS] = reads
    return reads


def _reads(state: MapState, graph: AccountGraph) -> MapReads:
    account_id = graph.account_id
    active = {p.id for p in graph.people}
    people = sorted((graph.records[i] for i in graph.records), key=lambda s: (s.name, s.id))
    name = {s.id: s.name for s in people}
    member_name = {t.id: t.name for t in graph.team}
    of = {kind: [(i, v) for (k, i), v in state.items() if k == kind] for kind in ("InfluenceLink", "Tie", "Circle")}
    contacts: dict[tuple[str, str], datetime] = {}
    for (kind, _), values in state.items():
        member, at = values.get("teamMemberId"), instant(values.get("at"))
        if kind == "Interaction" and member and at:
            for person in values.get("stakeholderIds") or ():
                if (member, person) not in contacts or at > contacts[(member, person)]:
                    contacts[(member, person)] = at
    return MapReads(
        stakeholders=tuple(people),
        influences=tuple(
            sorted(
                (influence_from({"id": i, **v}) for i, v in of["InfluenceLink"] if {v["from"], v["to"]} <= active),
                key=lambda r: (name[r.from_id], name[r.to_id], r.id),
            )
        ),
        ties=tuple(
            sorted(
                (tie_from({"id": i, **v}) for i, v in of["Tie"] if {v["a"], v["b"]} <= active),
                key=lambda t: (t.kind.value, name[t.a_id], name[t.b_id], t.id),
            )
        ),
        circles=tuple(
            sorted(
                (circle_from({"id": i, "accountId": account_id, **v}) for i, v in of["Circle"] if "name" in v),
                key=lambda c: (c.name, c.id),
            )
        ),
        coverage=tuple(
            Coverage(
                team_member_id=c.team_member,
                stakeholder_id=c.person,
                relationship_step=c.relationship_step,
                relationship_type=_relationship(state, c.team_member, c.person),
                last_contact_at=contacts.get((c.team_member, c.person)),
            )
            for c in sorted(
                graph.coverage,
                key=lambda c: (name[c.person], c.person, member_name.get(c.team_member, ""), c.team_member),
            )
        ),
    )


def _relationship(state: MapState, member: str, person: str) -> RelationshipType | None:
    value = state.get(("Coverage", f"{member}:{person}"), {}).get("relationshipType")
    return None if value is None else RelationshipType(value)


def stakeholders_matching(reads: MapReads, wanted: StakeholderFilter) -> list[Stakeholder]:
    """The stakeholders of `reads` that `wanted` selects, as `STAKEHOLDER_FILTER` does in Cypher."""
    params = wanted.params()
    search, stances, roles = params["search"], params["stances"], params["roles"]

    def selected(s: Stakeholder) -> bool:
        texts = (s.name, s.title or "", s.department or "")
        return (
            (wanted.include_archived or not s.archived)
            and (search is None or any(search in text.lower() for text in texts))
            and (stances is None or s.stance.value in stances)
            and (roles is None or any(role.value in roles for role in s.buying_roles))
        )

    return [s for s in reads.stakeholders if selected(s)]


ACCOUNT_COVERAGE: LiteralString = """
MATCH (t:TeamMember)-[c:COVERS]->(s:Stakeholder {workspaceId: $ws, accountId: $accountId})
WHERE s.name IS NOT NULL AND NOT s.archived
CALL (t, s) {
  MATCH (t)<-[:BY]-(i:Interaction)-[:MET]->(s)
  RETURN max(i.at) AS lastContactAt
}
RETURN c {.relationshipStep, .relationshipType, teamMember: t.id, stakeholder: s.id,
          lastContactAt: lastContactAt} AS item
ORDER BY s.name, s.id, t.name, t.id
LIMIT $limit
"""
"""The account's coverage now, as `MapReads.coverage` shows it of the past: of active people."""

MAX_COVERAGE = 100_000
"""An account holds at most 100,000 coverage links (the import's cap)."""


async def account_coverage(tx: AsyncManagedTransaction, ws: str, account_id: str) -> list[Coverage]:
    rows = await fetch(tx, ACCOUNT_COVERAGE, ws=ws, accountId=account_id, limit=MAX_COVERAGE)
    return [coverage_from(row["item"]) for row in rows]
