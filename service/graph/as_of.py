"""The map as of a date (DOMAIN.md rule 18): an account's current state read in the change log's own
shape, the changes recorded after an instant reduced to what undoing them needs (each entity's earliest
operation, each field's value before its earliest change: `service.rules.history.first_changes`), undone
onto the state (`restore`), and the snapshot rebuilt from what is left. Three bounded queries however far
back."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.pages import StakeholderFilter
from service.graph.records import circle_from, coverage_from, influence_from, stakeholder_from, tie_from
from service.rules.account_graph import AccountGraph
from service.rules.enums import RelationshipType
from service.rules.history import FirstChange, MapState, first_changes, rebuild_graph, restore
from service.rules.history.rebuild import instant
from service.rules.models import Circle, Coverage, InfluenceLink, Stakeholder, Tie

MAX_REPLAYED_CHANGES = 500_000
"""The most changes one read undoes (an account with 10,000 people and 50 changes each)."""


class HistoryTooLong(Exception):
    """More changes were recorded after the instant asked for than one read undoes."""


PERSON_FIELDS = (
    "name",
    "title",
    "department",
    "email",
    "phone",
    "level",
    "stance",
    "influence",
    "buyingRoles",
    "buyerTypes",
    "adaptability",
    "personality",
    "contactTier",
    "notes",
    "archived",
)
"""The stored fields of a stakeholder in `ACCOUNT_STATE`, in the order it lists them."""

CIRCLE_FIELDS = ("name", "color", "businessValue", "trackRecord", "partisansAndAllies", "philosophyAndPolicy")

ACCOUNT_STATE: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id})
  RETURN collect([s.id, [s.name, s.title, s.department, s.email, s.phone, s.level, s.stance, s.influence,
                         s.buyingRoles, s.buyerTypes, s.adaptability, s.personality, s.contactTier, s.notes,
                         s.archived],
                  s.version, s.updatedAt.epochMillis,
                  [(s)-[:REPORTS_TO]->(m) | m.id],
                  [(s)-[r:INFLUENCES]->(y) | [r.id, y.id, r.strength, r.kind, r.topic, r.confidence]],
                  [(s)-[r:TIE]->(y) | [r.id, r.kind, y.id, r.strength, r.note]],
                  [(s)-[m:MEMBER_OF]->(c:Circle) | [c.id, m.core]],
                  [(t:TeamMember)-[c:COVERS]->(s) | [t.id, c.relationshipStep, c.relationshipType]]]) AS people
}
CALL (a) {
  MATCH (c:Circle {workspaceId: $ws, accountId: a.id})
  RETURN collect([c.id, [c.name, c.color, c.businessValue, c.trackRecord, c.partisansAndAllies,
                         c.philosophyAndPolicy]]) AS circles
}
CALL (a) {
  MATCH (i:Interaction {workspaceId: $ws, accountId: a.id})
  RETURN collect([i.id, toString(i.at), [(i)-[:MET]->(s) | s.id], [(i)-[:BY]->(t) | t.id][0]]) AS interactions
}
CALL (a) {
  MATCH (t:TeamMember)-[:ASSIGNED_TO]->(a)
  RETURN collect(t.id) AS assigned
}
RETURN [a.name, a.tier, a.portfolioClass] AS account, people, circles, interactions, assigned
"""
"""Everything of the account that its snapshot is built from, archived people included, keyed and
named as the change log keys and names it (`service.rules.changes`); lists, not maps, which the
driver decodes markedly faster."""

CHANGES_AFTER: LiteralString = """
MATCH (c:Change {workspaceId: $ws, accountId: $accountId})
WHERE c.at > $after
WITH c ORDER BY c.at, c.txId, c.seq
LIMIT $limit
RETURN collect([c.entity, c.entityId, c.op, c.fields, c.old]) AS changes
"""
"""The account's changes recorded after `after`, in commit order (at, transaction, sequence). Reducing
them per entity in Cypher (list operations over every change) took longer than sending them: the
reduction (`first_changes`) runs here, decoding only the values it keeps."""

TEAM_MEMBERS_AFTER: LiteralString = """
UNWIND $ids AS id
OPTIONAL MATCH (t:TeamMember {workspaceId: $ws, id: id})
CALL (id) {
  OPTIONAL MATCH (c:Change {workspaceId: $ws, entityId: id})
  WHERE c.entity = 'TeamMember' AND c.at > $after
  WITH c ORDER BY c.at, c.txId, c.seq
  LIMIT $limit
  RETURN collect([c.entity, c.entityId, c.op, c.fields, c.old]) AS changes
}
RETURN id, [t.name, t.role, t.email] AS member, t IS NOT NULL AS present, changes
LIMIT $limit
"""
"""Team members belong to the workspace, so their changes are not the account's: their current values
and their changes after `after` (reduced like `CHANGES_AFTER`), for the members the account's map
names now or named since."""


def _present(names: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    return {name: value for name, value in zip(names, values, strict=True) if value is not None}


def _person_state(state: MapState, row: list[Any], versions: dict[str, tuple[int, Any]]) -> None:
    person, values, version, updated, manager, influences, ties, memberships, coverage = row
    person_values = _present(PERSON_FIELDS, values)
    if manager:
        person_values["reportsTo"] = manager[0]
    state[("Stakeholder", person)] = person_values
    versions[person] = (version, updated)
    for link, target, strength, kind, topic, confidence in influences:
        state[("InfluenceLink", link)] = _present(
            ("from", "to", "strength", "kind", "topic", "confidence"),
            (person, target, strength, kind, topic, confidence),
        )
    for tie, kind, other, strength, note in ties:
        state[("Tie", tie)] = _present(("kind", "a", "b", "strength", "note"), (kind, person, other, strength, note))
    for circle, core in memberships:
        state[("Membership", f"{circle}:{person}")] = {"circleId": circle, "stakeholderId": person, "core": core}
    for member, step, relationship in coverage:
        state[("Coverage", f"{member}:{person}")] = _present(
            ("teamMemberId", "stakeholderId", "relationshipStep", "relationshipType"),
            (member, person, step, relationship),
        )


def _current_state(row: Mapping[str, Any], account_id: str) -> tuple[MapState, dict[str, tuple[int, Any]]]:
    state: MapState = {("Account", account_id): _present(("name", "tier", "portfolioClass"), row["account"])}
    versions: dict[str, tuple[int, Any]] = {}
    for person in row["people"]:
        _person_state(state, person, versions)
    for circle, values in row["circles"]:
        state[("Circle", circle)] = _present(CIRCLE_FIELDS, values)
    for interaction, at, met, member in row["interactions"]:
        values = {"at": at, "stakeholderIds": sorted(met), "teamMemberId": member}
        state[("Interaction", interaction)] = {k: v for k, v in values.items() if v is not None}
    for member in row["assigned"]:
        state[("TeamAssignment", f"{member}:{account_id}")] = {"teamMemberId": member, "accountId": account_id}
    return state, versions


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


def _decoded(value: str | None) -> Any:
    return None if value is None else json.loads(value)


async def _changed_after(tx: AsyncManagedTransaction, ws: str, account_id: str, after: datetime) -> list[FirstChange]:
    rows = await fetch(tx, CHANGES_AFTER, ws=ws, accountId=account_id, after=after, limit=MAX_REPLAYED_CHANGES + 1)
    changes = rows[0]["changes"]
    if len(changes) > MAX_REPLAYED_CHANGES:
        raise HistoryTooLong(
            f"more than {MAX_REPLAYED_CHANGES} changes were recorded since {after.isoformat()}, the most a read undoes"
        )
    return first_changes(changes, _decoded)


async def _state_as_of(
    tx: AsyncManagedTransaction, ws: str, account_id: str, present: MapState, after: datetime
) -> MapState:
    changed = await _changed_after(tx, ws, account_id, after)
    state = restore(dict(present), changed)
    members = await fetch(
        tx, TEAM_MEMBERS_AFTER, ws=ws, ids=sorted(_members_named(state, changed)), after=after, limit=10_000
    )
    for row in members:
        if row["present"]:
            state[("TeamMember", row["id"])] = _present(("name", "role", "email"), row["member"])
    logged = [change for row in members for change in row["changes"] if change[0] is not None]
    restore(state, first_changes(logged, _decoded))
    return state


async def account_states(
    tx: AsyncManagedTransaction, ws: str, account_id: str, instants: Sequence[datetime]
) -> list[AccountGraph] | None:
    """The account's snapshot as of each of `instants` (aligned), from its current state and the change
    log; None when the account does not exist. `HistoryTooLong` past `MAX_REPLAYED_CHANGES`.

    A past record keeps the person's current `version` and `updatedAt` (the log does not hold them)."""
    rows = await fetch(tx, ACCOUNT_STATE, ws=ws, accountId=account_id)
    if not rows:
        return None
    present, versions = _current_state(rows[0], account_id)

    def record(person: str, values: Mapping[str, Any]) -> Stakeholder:
        version, updated = versions.get(person, (1, None))
        return stakeholder_from(
            {**values, "id": person, "accountId": account_id, "version": version, "updatedAt": updated}
        )

    graphs = []
    for moment in instants:
        state = await _state_as_of(tx, ws, account_id, present, moment)
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
