"""Stakeholders with what a read asked to see around them, in one round trip.

A screen that lists people usually shows, for each, their outgoing influence links, circles and coverage:
read field by field, that is a query per relationship and per record the relationships name. Here the
caller says what it wants (`Around`, from the GraphQL selection) and one query returns the people, each
one's relationships, and the circles, team members and (when asked) other people those name, all
collected into one record (the driver reads one large record many times faster than many small ones).

Each relationship is a `COLLECT` subquery behind `CASE WHEN $around.<name>`: Neo4j evaluates it only
when asked (PROFILE shows no database hits otherwise), so one query string serves every combination.
Every list comes in the order of the field that answers it alone (see `service.graph.reads`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.rules.enums import InfluenceKind, RelationshipType, TieKind
from service.rules.models import (
    CircleMembership,
    Coverage,
    InfluenceLink,
    Neighbourhood,
    Stakeholder,
    Surroundings,
    Tie,
)

Tx = AsyncManagedTransaction


@dataclass(frozen=True, slots=True)
class Around:
    """What to read around each stakeholder. `people`: the records of the people the links, ties and
    reporting lines lead to (otherwise only their ids); `last_contact`: coverage's last contact times."""

    influences: bool = False
    influenced_by: bool = False
    ties: bool = False
    memberships: bool = False
    coverage: bool = False
    last_contact: bool = False
    reports_to: bool = False
    direct_reports: bool = False
    people: bool = False

    def params(self) -> dict[str, bool]:
        return {
            "influences": self.influences,
            "influencedBy": self.influenced_by,
            "ties": self.ties,
            "memberships": self.memberships,
            "coverage": self.coverage,
            "lastContact": self.last_contact,
            "reportsTo": self.reports_to,
            "directReports": self.direct_reports,
            "people": self.people,
        }


NOTHING = Around()

COLLECTED: LiteralString = """
WITH key, s, {
  influences: CASE WHEN $around.influences THEN COLLECT {
    MATCH (s)-[r:INFLUENCES]->(t:Stakeholder) WHERE NOT t.archived
    RETURN [r.id, t.id, r.strength, r.kind, r.topic, r.confidence] ORDER BY r.strength DESC, t.name, r.id
  } END,
  influencedBy: CASE WHEN $around.influencedBy THEN COLLECT {
    MATCH (s)<-[r:INFLUENCES]-(f:Stakeholder) WHERE NOT f.archived
    RETURN [r.id, f.id, r.strength, r.kind, r.topic, r.confidence] ORDER BY r.strength DESC, f.name, r.id
  } END,
  ties: CASE WHEN $around.ties THEN COLLECT {
    MATCH (s)-[r:TIE]-(o:Stakeholder) WHERE NOT o.archived
    RETURN [r.id, startNode(r).id, endNode(r).id, r.kind, r.strength, r.note] ORDER BY r.kind, o.name, r.id
  } END,
  memberships: CASE WHEN $around.memberships THEN COLLECT {
    MATCH (s)-[m:MEMBER_OF]->(c:Circle)
    RETURN [c.id, m.core] ORDER BY c.name, c.id
  } END,
  coverage: CASE WHEN $around.coverage THEN COLLECT {
    MATCH (t:TeamMember)-[c:COVERS]->(s)
    RETURN [t.id, c.relationshipStep, c.relationshipType, CASE WHEN $around.lastContact THEN head(COLLECT {
              MATCH (t)<-[:BY]-(i:Interaction)-[:MET]->(s) RETURN i.at ORDER BY i.at DESC LIMIT 1
            }) END]
    ORDER BY t.name, t.id
  } END,
  reportsTo: CASE WHEN $around.reportsTo THEN COLLECT {
    MATCH (s)-[:REPORTS_TO]->(m:Stakeholder) WHERE NOT m.archived RETURN m.id
  } END,
  directReports: CASE WHEN $around.directReports THEN COLLECT {
    MATCH (s)<-[:REPORTS_TO]-(r:Stakeholder) WHERE NOT r.archived RETURN r.id ORDER BY r.name, r.id
  } END
} AS around
WITH collect([key, s {.*, createdAt: null, updatedAt: s.updatedAt.epochMillis}, around]) AS rows
WITH rows, [row IN rows | row[1].id] AS read
RETURN rows,
  CASE WHEN $around.memberships THEN COLLECT {
    UNWIND rows AS row
    UNWIND row[2].memberships AS membership
    WITH DISTINCT membership[0] AS id
    MATCH (c:Circle {workspaceId: $ws, id: id})
    RETURN c {.*, createdAt: null, updatedAt: c.updatedAt.epochMillis}
  } END AS circles,
  CASE WHEN $around.coverage THEN COLLECT {
    UNWIND rows AS row
    UNWIND row[2].coverage AS cover
    WITH DISTINCT cover[0] AS id
    MATCH (t:TeamMember {workspaceId: $ws, id: id})
    RETURN t {.*, createdAt: null, updatedAt: t.updatedAt.epochMillis}
  } END AS team,
  CASE WHEN $around.people THEN COLLECT {
    UNWIND rows AS row
    UNWIND [l IN coalesce(row[2].influences, []) | l[1]] + [l IN coalesce(row[2].influencedBy, []) | l[1]]
         + [t IN coalesce(row[2].ties, []) | t[1]] + [t IN coalesce(row[2].ties, []) | t[2]]
         + coalesce(row[2].reportsTo, []) + coalesce(row[2].directReports, []) AS id
    WITH DISTINCT id WHERE NOT id IN read
    MATCH (p:Stakeholder {workspaceId: $ws, id: id})
    RETURN p {.*, createdAt: null, updatedAt: p.updatedAt.epochMillis}
  } END AS people,
  CASE WHEN $accountId IS NOT NULL THEN COLLECT {
    MATCH (a:Account {workspaceId: $ws, id: $accountId})
    RETURN a {.*, createdAt: null, updatedAt: a.updatedAt.epochMillis}
  } END AS account
"""
"""The closing part of every query here: rows of (`key`, `s`) in, one record out: `rows` ([key, record,
surroundings]) in the order they came, the records the surroundings name, and the account `$accountId`
(when not null: a page's account, read along). A stakeholder's surroundings hold what `$around` asks for
(null otherwise); link rows are lists, not maps: the driver reads them faster, and there are many."""

STAKEHOLDERS_AROUND: LiteralString = (
    """
UNWIND $ids AS id
MATCH (s:Stakeholder {workspaceId: $ws, id: id})
WITH id AS key, s
"""
    + COLLECTED
)


def _link_out(owner: str, row: list[Any]) -> InfluenceLink:
    link_id, to_id, strength, kind, topic, confidence = row
    return InfluenceLink(
        link_id, owner, to_id, strength, records.member(InfluenceKind, kind) if kind else None, topic, confidence
    )


def _link_in(owner: str, row: list[Any]) -> InfluenceLink:
    link_id, from_id, strength, kind, topic, confidence = row
    return InfluenceLink(
        link_id, from_id, owner, strength, records.member(InfluenceKind, kind) if kind else None, topic, confidence
    )


def _tie(row: list[Any]) -> Tie:
    tie_id, a_id, b_id, kind, strength, note = row
    return Tie(tie_id, records.member(TieKind, kind), a_id, b_id, strength, note)


def _coverage(owner: str, row: list[Any]) -> Coverage:
    team_member_id, step, kind, last_contact_at = row
    kind_ = records.member(RelationshipType, kind) if kind else None
    return Coverage(team_member_id, owner, step, kind_, records.native_datetime(last_contact_at))


def _surroundings(owner: str, found: dict[str, Any]) -> Surroundings:
    influences, influenced_by, ties = found["influences"], found["influencedBy"], found["ties"]
    memberships, coverage = found["memberships"], found["coverage"]
    reports_to, direct_reports = found["reportsTo"], found["directReports"]
    return Surroundings(
        influences=None if influences is None else tuple(_link_out(owner, row) for row in influences),
        influenced_by=None if influenced_by is None else tuple(_link_in(owner, row) for row in influenced_by),
        ties=None if ties is None else tuple(_tie(row) for row in ties),
        memberships=None
        if memberships is None
        else tuple(CircleMembership(owner, circle, bool(core)) for circle, core in memberships),
        coverage=None if coverage is None else tuple(_coverage(owner, row) for row in coverage),
        reports_to=None if reports_to is None else tuple(reports_to),
        direct_reports=None if direct_reports is None else tuple(direct_reports),
    )


def parse_collected(record: Any) -> tuple[list[tuple[Any, Stakeholder]], Neighbourhood]:
    """(key, stakeholder) in the order read, and the neighbourhood, from the record `COLLECTED` returns."""
    read: list[tuple[Any, Stakeholder]] = []
    around: dict[str, Surroundings] = {}
    for key, props, found in record["rows"]:
        stakeholder = records.stakeholder_from(props)
        read.append((key, stakeholder))
        around[stakeholder.id] = _surroundings(stakeholder.id, found)
    circles = {c.id: c for c in map(records.circle_from, record["circles"] or ())}
    team = {t.id: t for t in map(records.team_member_from, record["team"] or ())}
    people = {p.id: p for p in map(records.stakeholder_from, record["people"] or ())}
    people.update((stakeholder.id, stakeholder) for _, stakeholder in read)
    return read, Neighbourhood(around, circles, team, people)


async def stakeholders_around(
    tx: Tx, ws: str, around: Around, ids: Sequence[str]
) -> tuple[list[Stakeholder | None], Neighbourhood]:
    """The stakeholders with these ids (archived ones too; None for an unknown id), aligned with `ids`, and
    what `around` asks for around them."""
    params = {"ids": list(dict.fromkeys(ids)), "around": around.params(), "accountId": None}
    rows = await fetch(tx, STAKEHOLDERS_AROUND, ws=ws, **params)
    read, neighbourhood = parse_collected(rows[0])
    found = dict(read)
    return [found.get(i) for i in ids], neighbourhood
