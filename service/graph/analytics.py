"""The analytics snapshot: everything an account's analytics need, in one round trip."""

from __future__ import annotations

from functools import cache
from operator import itemgetter
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction, Record

from service.graph.driver import stream
from service.graph.records import ParsedOnRead, member, native_datetime, stakeholder_from
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


_ROLES, _TYPES = RECORD_FIELDS.index("buyingRoles"), RECORD_FIELDS.index("buyerTypes")


def _kept(record: list[Any]) -> tuple[Any, ...]:
    """The record as kept with the snapshot: a tuple, its two lists tuples too. Plain tuples of strings and
    numbers, which Python's cyclic garbage collector stops tracking, so its full passes do not walk them."""
    record[_ROLES] = tuple(record[_ROLES] or ())
    record[_TYPES] = tuple(record[_TYPES] or ())
    return tuple(record)


def _person(record: tuple[Any, ...], last_contact: Any) -> Person:
    person_id, name, title, stance, influence, roles, types, tier = _PERSON_FIELDS(record)
    return Person(
        id=person_id,
        name=name,
        title=title,
        stance=member(Stance, stance or Stance.UNKNOWN.value),
        influence=influence,
        buying_roles=_role_set(roles) if roles else _NO_ROLES,
        buyer_types=_type_set(types) if types else _NO_TYPES,
        contact_tier=member(ContactTier, tier) if tier else None,
        last_contact_at=native_datetime(last_contact),
    )


_NO_ROLES: frozenset[BuyingRole] = frozenset()
_NO_TYPES: frozenset[BuyerType] = frozenset()


@cache
def _role_set(values: tuple[str, ...]) -> frozenset[BuyingRole]:
    """One set per distinct combination, shared by everyone who has it (a few dozen in any account)."""
    return frozenset(member(BuyingRole, value) for value in values)


@cache
def _type_set(values: tuple[str, ...]) -> frozenset[BuyerType]:
    return frozenset(member(BuyerType, value) for value in values)


def _stakeholder(record: tuple[Any, ...]) -> Stakeholder:
    return stakeholder_from(dict(zip(RECORD_FIELDS, record, strict=True)))


def _team(coverage: list[list[Any]], assigned: list[list[Any]]) -> tuple[TeamMember, ...]:
    names = {row[0]: row[1] for row in assigned}
    names.update({row[0]: row[1] for row in coverage})
    return tuple(TeamMember(id=i, name=n) for i, n in sorted(names.items(), key=lambda kv: (kv[1], kv[0])))


class _Parts:
    """What the snapshot's records hold, gathered record by record as they are decoded, so that the decoded
    form of one chunk is dropped before the next arrives. Links are kept as plain tuples of strings and
    numbers, which the cyclic garbage collector stops tracking: its full passes then walk far fewer objects
    (see `service.usecases.analytics`)."""

    def __init__(self) -> None:
        self.head: dict[str, Any] = {}
        self.contacts: dict[str, Any] = {}
        self.people: list[Person] = []
        self.records: dict[str, tuple[Any, ...]] = {}
        self.links: list[Link] = []
        self.ties: list[Tie] = []
        self.reporting_lines: list[ReportingLine] = []
        self.memberships: list[Membership] = []

    def add(self, chunk: Record) -> None:
        if not self.head:
            self.head = {key: chunk[key] for key in ("circles", "coverage", "assigned", "tier", "portfolioClass")}
            self.contacts = dict(chunk["contacts"])
        contacts, links, ties = self.contacts, self.links, self.ties
        for record, leaving, tied, managers, circles in chunk["people"]:
            kept = _kept(record)
            person_id = kept[0]
            self.people.append(_person(kept, contacts.get(person_id)))
            self.records[person_id] = kept
            links.extend((person_id, target, strength) for target, strength in leaving)
            ties.extend(Tie(TieKind(k), person_id, b, w) for k, b, w in tied)
            self.reporting_lines.extend(ReportingLine(person=person_id, manager=m) for m in managers)
            self.memberships.extend(Membership(person=person_id, circle=c, core=bool(k)) for c, k in circles)

    def graph(self, account_id: str) -> AccountGraph:
        """The snapshot; references to people who are not in it (archived ones) are dropped."""
        active, head = self.records, self.head
        return AccountGraph(
            account_id=account_id,
            people=tuple(self.people),
            links=tuple(link for link in self.links if link[1] in active),
            ties=tuple(tie for tie in self.ties if tie.b in active),
            reporting_lines=tuple(line for line in self.reporting_lines if line.manager in active),
            circles=tuple(Circle(id=i, name=n) for i, n in head["circles"]),
            memberships=tuple(self.memberships),
            team=_team(head["coverage"], head["assigned"]),
            coverage=tuple(Coverage(team_member=t, person=p, relationship_step=s) for t, _, p, s in head["coverage"]),
            tier=AccountTier(head["tier"]) if head["tier"] else None,
            portfolio_class=PortfolioClass(head["portfolioClass"]) if head["portfolioClass"] else None,
            records=ParsedOnRead(active, _stakeholder),
        )


async def load_account_graph(tx: AsyncManagedTransaction, ws: str, account_id: str) -> AccountGraph:
    parts = _Parts()
    async for chunk in stream(tx, ACCOUNT_GRAPH, ws=ws, accountId=account_id, chunk=SNAPSHOT_CHUNK):
        parts.add(chunk)
    if not parts.head:
        return AccountGraph(account_id=account_id)
    return parts.graph(account_id)
