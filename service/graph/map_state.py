"""An account's current map in the change log's own shape (`service.rules.history.MapState`): what an as-of
read undoes changes onto and what a checkpoint stores (DOMAIN.md rule 18)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

from service.rules.history import MapState

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
  USING INDEX s:Stakeholder(workspaceId, accountId, name)
  WHERE s.name IS NOT NULL
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

Versions = dict[str, tuple[int, Any]]
"""Each person's stored `version` and `updatedAt` (epoch milliseconds): the log does not hold them."""

ACCOUNT_VERSIONS: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id})
  USING INDEX s:Stakeholder(workspaceId, accountId, name)
  WHERE s.name IS NOT NULL
  RETURN collect([s.id, s.version, s.updatedAt.epochMillis]) AS versions
}
RETURN versions
"""
"""The `Versions` of the account's people (no row: no such account)."""


def present_values(names: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """The values of `names` that are not null, by name."""
    return {name: value for name, value in zip(names, values, strict=True) if value is not None}


def _person_state(state: MapState, row: list[Any], versions: Versions) -> None:
    person, values, version, updated, manager, influences, ties, memberships, coverage = row
    person_values = present_values(PERSON_FIELDS, values)
    if manager:
        person_values["reportsTo"] = manager[0]
    state[("Stakeholder", person)] = person_values
    versions[person] = (version, updated)
    for link, target, strength, kind, topic, confidence in influences:
        state[("InfluenceLink", link)] = present_values(
            ("from", "to", "strength", "kind", "topic", "confidence"),
            (person, target, strength, kind, topic, confidence),
        )
    for tie, kind, other, strength, note in ties:
        state[("Tie", tie)] = present_values(
            ("kind", "a", "b", "strength", "note"), (kind, person, other, strength, note)
        )
    for circle, core in memberships:
        state[("Membership", f"{circle}:{person}")] = {"circleId": circle, "stakeholderId": person, "core": core}
    for member, step, relationship in coverage:
        state[("Coverage", f"{member}:{person}")] = present_values(
            ("teamMemberId", "stakeholderId", "relationshipStep", "relationshipType"),
            (member, person, step, relationship),
        )


def current_state(row: Mapping[str, Any], account_id: str) -> tuple[MapState, Versions]:
    """The state and the people's versions from the row that `ACCOUNT_STATE` returned."""
    state: MapState = {("Account", account_id): present_values(("name", "tier", "portfolioClass"), row["account"])}
    versions: Versions = {}
    for person in row["people"]:
        _person_state(state, person, versions)
    for circle, values in row["circles"]:
        state[("Circle", circle)] = present_values(CIRCLE_FIELDS, values)
    for interaction, at, met, member in row["interactions"]:
        values = {"at": at, "stakeholderIds": sorted(met), "teamMemberId": member}
        state[("Interaction", interaction)] = {k: v for k, v in values.items() if v is not None}
    for member in row["assigned"]:
        state[("TeamAssignment", f"{member}:{account_id}")] = {"teamMemberId": member, "accountId": account_id}
    return state, versions
