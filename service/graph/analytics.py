"""The analytics snapshot: everything an account's analytics need, in one round trip."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.records import ParsedOnRead, native_datetime, stakeholder_from
from service.rules.account_graph import (
    AccountGraph,
    Circle,
    Coverage,
    Link,
    Membership,
    Person,
    ReportingLine,
    TeamMember,
    Tie,
)
from service.rules.enums import AccountTier, BuyerType, BuyingRole, ContactTier, PortfolioClass, Stance, TieKind
from service.rules.models import Stakeholder

ACCOUNT_GRAPH: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id}) WHERE s.name IS NOT NULL AND NOT s.archived
  RETURN collect([[s.id, s.accountId, s.name, s.title, s.department, s.email, s.phone, s.level, s.stance,
                   s.influence, s.buyingRoles, s.buyerTypes, s.adaptability, s.personality, s.contactTier, s.notes,
                   s.version, s.updatedAt.epochMillis],
                  [(s)-[r:INFLUENCES]->(y) | [y.id, r.strength]],
                  [(s)-[r:TIE]->(y) | [r.kind, y.id, r.strength]],
                  [(s)-[:REPORTS_TO]->(y) | y.id],
                  [(s)-[m:MEMBER_OF]->(c:Circle) | [c.id, m.core]]]) AS people
}
CALL (a) {
  MATCH (i:Interaction {workspaceId: $ws, accountId: a.id})-[:MET]->(s:Stakeholder)
  WITH s, max(i.at) AS lastContactAt
  RETURN collect([s.id, lastContactAt]) AS contacts
}
CALL (a) {
  MATCH (c:Circle {workspaceId: $ws, accountId: a.id})
  RETURN collect([c.id, c.name]) AS circles
}
CALL (a) {
  MATCH (t:TeamMember)-[c:COVERS]->(x:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE x.name IS NOT NULL AND NOT x.archived
  RETURN collect([t.id, t.name, x.id, c.relationshipStep]) AS coverage
}
CALL (a) {
  MATCH (t:TeamMember)-[:ASSIGNED_TO]->(a)
  RETURN collect([t.id, t.name]) AS assigned
}
UNWIND range(0, CASE size(people) WHEN 0 THEN 0 ELSE size(people) - 1 END, $chunk) AS start
RETURN people[start..start + $chunk] AS people,
       CASE start WHEN 0 THEN contacts ELSE [] END AS contacts,
       CASE start WHEN 0 THEN circles ELSE [] END AS circles,
       CASE start WHEN 0 THEN coverage ELSE [] END AS coverage,
       CASE start WHEN 0 THEN assigned ELSE [] END AS assigned,
       a.tier AS tier, a.portfolioClass AS portfolioClass
"""
"""Each active stakeholder's stored record (`RECORD_FIELDS`, in order: what `stakeholder_from` parses,
so that the answers can show the people they name without reading them again; a list, since the
driver reads a map of the same values markedly slower) with what leaves it: influence links, ties,
reporting line and memberships. Reading them from the person already in hand is cheaper than matching
each kind again; links to archived people are dropped while parsing (`load_account_graph`), which
costs less than checking the far end of every link in the query.

The people come in records of `SNAPSHOT_CHUNK` (the other parts with the first): the driver decodes
a record in one call that holds Python's GIL throughout, and a 10,000-person account in one record
held it for most of a second, stalling every other thread of the process (the event loop's included)."""

SNAPSHOT_CHUNK = 250
"""People a record: a few tens of milliseconds of decoding each."""


RECORD_FIELDS = (
    "id",
    "accountId",
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
    "version",
    "updatedAt",
)
"""The stored fields of a stakeholder in `ACCOUNT_GRAPH`, in the order it lists them."""


_PERSON_FIELDS = itemgetter(
    *(
        RECORD_FIELDS.index(name)
        for name in ("id", "name", "title", "stance", "influence", "buyingRoles", "buyerTypes", "contactTier")
    )
)
"""What the analytics read of a record, found by name in `RECORD_FIELDS`."""


def _person(record: list[Any], last_contact: Any) -> Person:
    person_id, name, title, stance, influence, roles, types, tier = _PERSON_FIELDS(record)
    return Person(
        id=person_id,
        name=name,
        title=title,
        stance=Stance(stance or Stance.UNKNOWN.value),
        influence=influence,
        buying_roles=frozenset(BuyingRole(r) for r in roles or ()),
        buyer_types=frozenset(BuyerType(t) for t in types or ()),
        contact_tier=ContactTier(tier) if tier else None,
        last_contact_at=native_datetime(last_contact),
    )


def _stakeholder(record: list[Any]) -> Stakeholder:
    return stakeholder_from(dict(zip(RECORD_FIELDS, record, strict=True)))


def _team(coverage: list[list[Any]], assigned: list[list[Any]]) -> tuple[TeamMember, ...]:
    names = {row[0]: row[1] for row in assigned}
    names.update({row[0]: row[1] for row in coverage})
    return tuple(TeamMember(id=i, name=n) for i, n in sorted(names.items(), key=lambda kv: (kv[1], kv[0])))


async def load_account_graph(tx: AsyncManagedTransaction, ws: str, account_id: str) -> AccountGraph:
    rows = await fetch(tx, ACCOUNT_GRAPH, ws=ws, accountId=account_id, chunk=SNAPSHOT_CHUNK)
    if not rows:
        return AccountGraph(account_id=account_id)
    row = rows[0]
    contacts = dict(row["contacts"])
    people = [(record[0], record, *leaving) for chunk in rows for record, *leaving in chunk["people"]]
    active = {p[0] for p in people}
    return AccountGraph(
        account_id=account_id,
        people=tuple(_person(p[1], contacts.get(p[0])) for p in people),
        links=tuple(
            Link(p[0], target, strength)  # positional: 10,000s of rows, twice as fast
            for p in people
            for target, strength in p[2]
            if target in active
        ),
        ties=tuple(Tie(TieKind(k), p[0], b, w) for p in people for k, b, w in p[3] if b in active),
        reporting_lines=tuple(ReportingLine(person=p[0], manager=m) for p in people for m in p[4] if m in active),
        circles=tuple(Circle(id=i, name=n) for i, n in row["circles"]),
        memberships=tuple(Membership(person=p[0], circle=c, core=bool(k)) for p in people for c, k in p[5]),
        team=_team(row["coverage"], row["assigned"]),
        coverage=tuple(Coverage(team_member=t, person=p, relationship_step=step) for t, _, p, step in row["coverage"]),
        tier=AccountTier(row["tier"]) if row["tier"] else None,
        portfolio_class=PortfolioClass(row["portfolioClass"]) if row["portfolioClass"] else None,
        records=ParsedOnRead({p[0]: p[1] for p in people}, _stakeholder),
    )
