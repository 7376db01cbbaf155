"""The analytics snapshot: everything an account's analytics need, in one round trip."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.clock import read_clock
from service.graph.driver import fetch
from service.graph.records import native_datetime
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
from service.rules.enums import BuyerType, BuyingRole, ContactTier, Stance, TieKind

ACCOUNT_GRAPH: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id}) WHERE NOT s.archived
  RETURN collect([s.id, s.name, s.title, s.stance, s.influence, s.buyingRoles, s.buyerTypes, s.contactTier])
         AS people
}
CALL (a) {
  MATCH (i:Interaction {workspaceId: $ws, accountId: a.id})-[:MET]->(s:Stakeholder)
  WITH s, max(i.at) AS lastContactAt
  RETURN collect([s.id, lastContactAt]) AS contacts
}
CALL (a) {
  MATCH (x:Stakeholder {workspaceId: $ws, accountId: a.id})-[r:INFLUENCES]->(y:Stakeholder)
  WHERE NOT x.archived AND NOT y.archived
  RETURN collect([r.id, x.id, y.id, r.strength]) AS links
}
CALL (a) {
  MATCH (x:Stakeholder {workspaceId: $ws, accountId: a.id})-[r:TIE]->(y:Stakeholder)
  WHERE NOT x.archived AND NOT y.archived
  RETURN collect([r.id, r.kind, x.id, y.id, r.strength]) AS ties
}
CALL (a) {
  MATCH (x:Stakeholder {workspaceId: $ws, accountId: a.id})-[:REPORTS_TO]->(y:Stakeholder)
  WHERE NOT x.archived AND NOT y.archived
  RETURN collect([x.id, y.id]) AS reports
}
CALL (a) {
  MATCH (c:Circle {workspaceId: $ws, accountId: a.id})
  RETURN collect([c.id, c.name]) AS circles
}
CALL (a) {
  MATCH (x:Stakeholder {workspaceId: $ws, accountId: a.id})-[m:MEMBER_OF]->(c:Circle)
  WHERE NOT x.archived
  RETURN collect([x.id, c.id, m.core]) AS memberships
}
CALL (a) {
  MATCH (t:TeamMember)-[c:COVERS]->(x:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE NOT x.archived
  RETURN collect([t.id, t.name, x.id, c.relationshipStep]) AS coverage
}
CALL (a) {
  MATCH (t:TeamMember)-[:ASSIGNED_TO]->(a)
  RETURN collect([t.id, t.name]) AS assigned
}
RETURN people, contacts, links, ties, reports, circles, memberships, coverage, assigned
"""


def _person(row: list[Any], last_contact: Any) -> Person:
    person_id, name, title, stance, influence, roles, types, tier = row
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


def _team(coverage: list[list[Any]], assigned: list[list[Any]]) -> tuple[TeamMember, ...]:
    names = {row[0]: row[1] for row in assigned}
    names.update({row[0]: row[1] for row in coverage})
    return tuple(TeamMember(id=i, name=n) for i, n in sorted(names.items(), key=lambda kv: (kv[1], kv[0])))


async def load_account_graph(tx: AsyncManagedTransaction, ws: str, account_id: str) -> AccountGraph:
    rows = await fetch(tx, ACCOUNT_GRAPH, ws=ws, accountId=account_id)
    if not rows:
        return AccountGraph(account_id=account_id)
    row = rows[0]
    contacts = dict(row["contacts"])
    return AccountGraph(
        account_id=account_id,
        people=tuple(_person(p, contacts.get(p[0])) for p in row["people"]),
        links=tuple(Link(*link) for link in row["links"]),  # positional: 10,000s of rows, twice as fast
        ties=tuple(Tie(i, TieKind(k), a, b, w) for i, k, a, b, w in row["ties"]),
        reporting_lines=tuple(ReportingLine(person=p, manager=m) for p, m in row["reports"]),
        circles=tuple(Circle(id=i, name=n) for i, n in row["circles"]),
        memberships=tuple(Membership(person=p, circle=c, core=bool(k)) for p, c, k in row["memberships"]),
        team=_team(row["coverage"], row["assigned"]),
        coverage=tuple(Coverage(team_member=t, person=p, relationship_step=step) for t, _, p, step in row["coverage"]),
    )


class SnapshotCache:
    """Analytics snapshots of recently read accounts, valid while the graph clock has not moved.

    Strategists ask many analytics of the same few accounts between writes; a hit costs one tiny
    query instead of reloading the account. Bounded (least recently used goes first).
    """

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str], tuple[str, AccountGraph]] = OrderedDict()

    async def load(self, tx: AsyncManagedTransaction, ws: str, account_id: str) -> AccountGraph:
        """The account's snapshot, from the cache if current; read in `tx` (clock first, then data,
        so a cached snapshot is never older than the clock value it is filed under)."""
        version = await read_clock(tx)
        key = (ws, account_id)
        cached = self._entries.get(key)
        if version is not None and cached is not None and cached[0] == version:
            self._entries.move_to_end(key)
            return cached[1]
        graph = await load_account_graph(tx, ws, account_id)
        if version is not None:
            self._entries[key] = (version, graph)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return graph
