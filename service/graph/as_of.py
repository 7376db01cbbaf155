"""The map as of a date (DOMAIN.md rule 18): an account's current state read in the change log's own
shape, the changes recorded after an instant, undone onto it (`service.rules.history`), and the
snapshot rebuilt from what is left. Three bounded queries however far back."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.records import stakeholder_from
from service.rules.account_graph import AccountGraph
from service.rules.history import LoggedChange, MapState, rebuild_graph, undo
from service.rules.history.rebuild import instant
from service.rules.models import Stakeholder

MAX_REPLAYED_CHANGES = 500_000
"""The most changes one read undoes (an account with 10,000 people and 50 changes each)."""


class HistoryTooLong(Exception):
    """More changes were recorded after the instant asked for than one read undoes."""


ACCOUNT_STATE: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id})
  RETURN collect([s.id, s {.name, .title, .department, .email, .phone, .level, .stance, .influence, .buyingRoles,
                           .buyerTypes, .adaptability, .personality, .contactTier, .notes, .archived},
                  s.version, s.updatedAt.epochMillis,
                  [(s)-[:REPORTS_TO]->(m) | m.id],
                  [(s)-[r:INFLUENCES]->(y) | [r.id, y.id, r.strength, r.kind, r.topic, r.confidence]],
                  [(s)-[r:TIE]->(y) | [r.id, r.kind, y.id, r.strength, r.note]],
                  [(s)-[m:MEMBER_OF]->(c:Circle) | [c.id, m.core]],
                  [(t:TeamMember)-[c:COVERS]->(s) | [t.id, c.relationshipStep, c.relationshipType]]]) AS people
}
CALL (a) {
  MATCH (c:Circle {workspaceId: $ws, accountId: a.id})
  RETURN collect(c {.id, .name, .color, .businessValue, .trackRecord, .partisansAndAllies,
                    .philosophyAndPolicy}) AS circles
}
CALL (a) {
  MATCH (i:Interaction {workspaceId: $ws, accountId: a.id})
  RETURN collect([i.id, toString(i.at), [(i)-[:MET]->(s) | s.id]]) AS interactions
}
CALL (a) {
  MATCH (t:TeamMember)-[:ASSIGNED_TO]->(a)
  RETURN collect(t.id) AS assigned
}
RETURN a {.name, .tier, .portfolioClass} AS account, people, circles, interactions, assigned
"""
"""Everything of the account that its snapshot is built from, archived people included, keyed and
named as the change log keys and names it (`service.rules.changes`)."""

CHANGES_AFTER: LiteralString = """
MATCH (c:Change {workspaceId: $ws, accountId: $accountId})
WHERE c.at > $after
WITH c ORDER BY c.at DESC, c.txId DESC, c.seq DESC LIMIT $limit
RETURN collect([toString(c.at), c.entity, c.entityId, c.op, c.fields, c.old]) AS changes
"""
"""The account's changes recorded after `after`, newest first (reverse commit order)."""

TEAM_MEMBERS_AFTER: LiteralString = """
UNWIND $ids AS id
OPTIONAL MATCH (t:TeamMember {workspaceId: $ws, id: id})
CALL (id) {
  OPTIONAL MATCH (c:Change {workspaceId: $ws, entityId: id})
  WHERE c.entity = 'TeamMember' AND c.at > $after
  WITH c ORDER BY c.at DESC, c.txId DESC, c.seq DESC LIMIT $limit
  RETURN collect([toString(c.at), c.entity, c.entityId, c.op, c.fields, c.old]) AS changes
}
RETURN id, t {.name, .role, .email} AS member, changes
LIMIT $limit
"""
"""Team members belong to the workspace, so their changes are not the account's: their current values
and their changes after `after`, for the members the account's map names at any instant since."""


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def _person_state(state: MapState, row: list[Any], versions: dict[str, tuple[int, Any]]) -> None:
    person, values, version, updated, manager, influences, ties, memberships, coverage = row
    state[("Stakeholder", person)] = _present({**values, "reportsTo": manager[0] if manager else None})
    versions[person] = (version, updated)
    for link, target, strength, kind, topic, confidence in influences:
        values = {"from": person, "to": target, "strength": strength, "kind": kind, "topic": topic}
        state[("InfluenceLink", link)] = _present({**values, "confidence": confidence})
    for tie, kind, other, strength, note in ties:
        state[("Tie", tie)] = _present({"kind": kind, "a": person, "b": other, "strength": strength, "note": note})
    for circle, core in memberships:
        state[("Membership", f"{circle}:{person}")] = {"circleId": circle, "stakeholderId": person, "core": core}
    for member, step, relationship in coverage:
        values = {"teamMemberId": member, "stakeholderId": person, "relationshipStep": step}
        state[("Coverage", f"{member}:{person}")] = _present({**values, "relationshipType": relationship})


def _current_state(row: Mapping[str, Any], account_id: str) -> tuple[MapState, dict[str, tuple[int, Any]]]:
    state: MapState = {("Account", account_id): _present(row["account"])}
    versions: dict[str, tuple[int, Any]] = {}
    for person in row["people"]:
        _person_state(state, person, versions)
    for circle in row["circles"]:
        state[("Circle", circle["id"])] = _present({k: v for k, v in circle.items() if k != "id"})
    for interaction, at, met in row["interactions"]:
        state[("Interaction", interaction)] = {"at": at, "stakeholderIds": sorted(met)}
    for member in row["assigned"]:
        state[("TeamAssignment", f"{member}:{account_id}")] = {"teamMemberId": member, "accountId": account_id}
    return state, versions


def _logged(row: list[Any]) -> LoggedChange:
    at, entity, entity_id, op, fields, old = row
    return LoggedChange(
        at=instant(at),  # type: ignore[arg-type]
        entity=entity,
        entity_id=entity_id,
        op=op,
        fields=tuple(fields),
        old=tuple(json.loads(value) for value in old),
        new=(),
    )


def _members_named(state: MapState, changes: Sequence[LoggedChange]) -> set[str]:
    """Every team member the map names now or named at any instant the changes cover."""
    found = {
        v["teamMemberId"]
        for (entity, _), v in state.items()
        if entity in ("Coverage", "TeamAssignment") and v.get("teamMemberId")
    }
    for change in changes:
        if change.entity in ("Coverage", "TeamAssignment") and "teamMemberId" in change.fields:
            old = change.old[change.fields.index("teamMemberId")]
            if old:
                found.add(old)
    return found


async def account_states(
    tx: AsyncManagedTransaction, ws: str, account_id: str, instants: Sequence[datetime]
) -> list[AccountGraph] | None:
    """The account's snapshot as of each of `instants` (aligned), from its current state and the change
    log; None when the account does not exist. `HistoryTooLong` past `MAX_REPLAYED_CHANGES`."""
    rows = await fetch(tx, ACCOUNT_STATE, ws=ws, accountId=account_id)
    if not rows:
        return None
    state, versions = _current_state(rows[0], account_id)
    earliest = min(instants)
    found = await fetch(tx, CHANGES_AFTER, ws=ws, accountId=account_id, after=earliest, limit=MAX_REPLAYED_CHANGES + 1)
    changes = [_logged(row) for row in found[0]["changes"]]
    if len(changes) > MAX_REPLAYED_CHANGES:
        raise HistoryTooLong(f"more than {MAX_REPLAYED_CHANGES} changes were recorded since {earliest.isoformat()}")
    members = await fetch(
        tx, TEAM_MEMBERS_AFTER, ws=ws, ids=sorted(_members_named(state, changes)), after=earliest, limit=10_000
    )
    for member in members:
        if member["member"] is not None:
            state[("TeamMember", member["id"])] = _present(member["member"])
        changes += [_logged(row) for row in member["changes"] if row[0] is not None]
    changes.sort(key=lambda c: c.at, reverse=True)  # stable: each entity's own order stays
    return _rebuild_at(state, versions, changes, account_id, instants)


def _rebuild_at(
    state: MapState,
    versions: Mapping[str, tuple[int, Any]],
    newest_first: list[LoggedChange],
    account_id: str,
    instants: Sequence[datetime],
) -> list[AccountGraph]:
    def record(person: str, values: Mapping[str, Any]) -> Stakeholder:
        version, updated = versions.get(person, (1, None))
        return stakeholder_from(
            {**values, "id": person, "accountId": account_id, "version": version, "updatedAt": updated}
        )

    graphs: dict[datetime, AccountGraph] = {}
    undone = 0
    for moment in sorted(set(instants), reverse=True):
        start = undone
        while undone < len(newest_first) and newest_first[undone].at > moment:
            undone += 1
        undo(state, newest_first[start:undone])
        graphs[moment] = rebuild_graph(state, account_id, record)
    return [graphs[moment] for moment in instants]
