"""The demo account `canon-zhuhai.json` as an AccountGraph, with internal ids unlike the external ones."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from service.rules.account_graph import (
    AccountGraph,
    Circle,
    Coverage,
    Membership,
    Person,
    ReportingLine,
    TeamMember,
    Tie,
)
from service.rules.enums import AccountTier, BuyerType, BuyingRole, ContactTier, PortfolioClass, Stance, TieKind

CANON_PATH = Path("/work/shared/scenarios/canon-zhuhai.json")


@cache
def canon_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(CANON_PATH.read_text(encoding="utf-8"))["input"]
    return document


def internal_id(external_id: str) -> str:
    """Internal ids deliberately differ from external ids, so a test catches any mix-up."""
    return f"node:{external_id[::-1]}"


def canon_graph() -> AccountGraph:
    doc = canon_document()
    last_contact = _last_contacts(doc["interactions"])
    people = tuple(_person(s, last_contact.get(s["externalId"])) for s in doc["stakeholders"])
    return AccountGraph(
        account_id=internal_id(doc["account"]["externalId"]),
        people=people,
        links=tuple((internal_id(x["from"]), internal_id(x["to"]), x["strength"]) for x in doc["influences"]),
        ties=tuple(
            Tie(TieKind(x["kind"]), internal_id(x["a"]), internal_id(x["b"]), x.get("strength")) for x in doc["ties"]
        ),
        reporting_lines=tuple(
            ReportingLine(internal_id(s["externalId"]), internal_id(s["reportsTo"]))
            for s in doc["stakeholders"]
            if s.get("reportsTo")
        ),
        circles=tuple(Circle(internal_id(c["key"]), c["name"]) for c in doc["circles"]),
        memberships=tuple(
            Membership(internal_id(m["stakeholder"]), internal_id(c["key"]), m["core"])
            for c in doc["circles"]
            for m in c["members"]
        ),
        team=tuple(TeamMember(internal_id(t["externalId"]), t["name"]) for t in doc["team"]),
        coverage=tuple(
            Coverage(internal_id(c["teamMember"]), internal_id(c["stakeholder"]), c.get("relationshipStep"))
            for c in doc["coverage"]
        ),
        tier=AccountTier(doc["account"]["tier"]) if doc["account"].get("tier") else None,
        portfolio_class=PortfolioClass(doc["account"]["portfolioClass"])
        if doc["account"].get("portfolioClass")
        else None,
    )


def _person(record: dict[str, Any], last_contact_at: datetime | None) -> Person:
    return Person(
        id=internal_id(record["externalId"]),
        name=record["name"],
        title=record.get("title"),
        stance=Stance(record.get("stance", "UNKNOWN")),
        influence=record.get("influence"),
        buying_roles=frozenset(BuyingRole(r) for r in record.get("buyingRoles", [])),
        buyer_types=frozenset(BuyerType(t) for t in record.get("buyerTypes", [])),
        contact_tier=ContactTier(record["contactTier"]) if record.get("contactTier") else None,
        last_contact_at=last_contact_at,
    )


def _last_contacts(interactions: list[dict[str, Any]]) -> dict[str, datetime]:
    latest: dict[str, datetime] = {}
    for interaction in interactions:
        at = datetime.fromisoformat(interaction["at"])
        for external_id in interaction["stakeholders"]:
            latest[external_id] = max(at, latest.get(external_id, at))
    return latest


class Canon:
    """Ids by person, team member or circle name (names are unique within the canon account)."""

    def __init__(self, graph: AccountGraph) -> None:
        self.graph = graph
        self._people = {p.name: p.id for p in graph.people}
        self._team = {t.name: t.id for t in graph.team}
        self._circles = {c.name: c.id for c in graph.circles}
        self._names = {p.id: p.name for p in graph.people} | {t.id: t.name for t in graph.team}

    def id(self, name: str) -> str:
        return self._people[name]

    def team_id(self, name: str) -> str:
        return self._team[name]

    def circle_id(self, name: str) -> str:
        return self._circles[name]

    def name(self, node_id: str) -> str:
        return self._names[node_id]

    def names(self, node_ids: Any) -> list[str]:
        return [self.name(node_id) for node_id in node_ids]
