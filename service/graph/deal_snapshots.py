"""The deal snapshot (what the deal analytics read besides the account's snapshot) and the stored
opportunity, in one round trip each; the parsers of stored opportunities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.records import native_datetime
from service.rules.deals import Competitor, CompetitorRep, Deal, DealSnapshot, Favour, Involvement, RepContact
from service.rules.deals.import_plan import StoredOpportunity
from service.rules.deals.model import OpportunityRecord
from service.rules.deals.stored import (
    STORED_OPPORTUNITY_FIELDS,
    contact_from_props,
    member_from_props,
    opportunity_from_props,
    scorecard_from_rows,
)
from service.rules.enums import AccountTier, PortfolioClass

Tx = AsyncManagedTransaction

DEAL_SNAPSHOTS: LiteralString = """
UNWIND $ids AS id
MATCH (o:Opportunity {workspaceId: $ws, id: id})
WITH o.accountId AS accountId, collect(o) AS opportunities
MATCH (a:Account {workspaceId: $ws, id: accountId})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id})-[f:FAVOURS]->(c:Competitor)
  WHERE s.name IS NOT NULL AND NOT s.archived
  RETURN collect([s.id, f.note, c.id, c.name, c.origin]) AS favours
}
CALL (a) {
  MATCH (r:CompetitorRep)-[x:CONTACTS]->(s:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE s.name IS NOT NULL AND NOT s.archived
  MATCH (r)-[:WORKS_FOR]->(c:Competitor)
  RETURN collect([r.id, s.id, x {.visitsPerMonth, .typicalMinutes, .form, .topics, .strength},
                  r.name, c.id, c.name, c.origin]) AS contacts
}
RETURN a.id AS accountId, a.tier AS tier, a.portfolioClass AS portfolioClass, favours, contacts,
  [o IN opportunities | [o {.*},
    [(s:Stakeholder)-[m:IN_BUYING_CENTRE]->(o) WHERE NOT s.archived
      | [s.name, s.id, m {.buyingRoles, .buyerTypes, .handler, .projectLead}]],
    [(c:Competitor)-[x:COMPETES_FOR]->(o) | [c.name, c.id, x.incumbent, c.origin]],
    [(o)-[:HAS_CRITERION]->(k:Criterion) | [k.position, k.name, k.weight, k.ourScore,
      [(c:Competitor)-[r:SCORED]->(k) | [c.id, r.score]],
      [(s:Stakeholder)-[r:CARES_ABOUT]->(k) WHERE NOT s.archived | [s.id, r.weight]]]]]] AS deals
"""
"""Per account among the opportunities asked for, once: its tier and portfolio class, the favours of its
people and the rep contacts with them (with the reps and their competitors); per opportunity: its record,
buying centre (by name), competitors involved (by name) and scorecard."""

OPPORTUNITY_STATE: LiteralString = """
RETURN o {.*} AS props,
  [(s:Stakeholder)-[m:IN_BUYING_CENTRE]->(o) | [s.id, m {.buyingRoles, .buyerTypes, .handler, .projectLead}]] AS members,
  [(c:Competitor)-[x:COMPETES_FOR]->(o) | [c.id, x {.incumbent}]] AS involved,
  [(o)-[:HAS_CRITERION]->(k:Criterion) | [k.position, k.name, k.weight, k.ourScore,
    [(c:Competitor)-[r:SCORED]->(k) | [c.id, r.score]],
    [(s:Stakeholder)-[r:CARES_ABOUT]->(k) | [s.id, r.weight]]]] AS criteria
"""
"""What an opportunity holds, for the row `o` (archived members included: a write must see all it changes)."""


def _native(value: Any) -> Any:
    """Neo4j's temporal values as Python's (a date stays a date)."""
    return value.to_native() if hasattr(value, "to_native") else value


def native_props(props: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _native(value) for name, value in props.items()}


def opportunity_record_from(p: Mapping[str, Any]) -> OpportunityRecord:
    props = native_props(p)
    return OpportunityRecord(
        opportunity=opportunity_from_props(props["id"], props),
        account_id=props["accountId"],
        source=props.get("source"),
        external_id=props.get("externalId"),
        created_at=native_datetime(props.get("createdAt")),
        updated_at=native_datetime(props.get("updatedAt")),
    )


def stored_opportunity_from(row: Any) -> StoredOpportunity:
    props = native_props(row["props"])
    return StoredOpportunity(
        id=props["id"],
        props={name: props.get(name) for name in STORED_OPPORTUNITY_FIELDS},
        members={person: dict(m) for person, m in row["members"]},
        involved={competitor: dict(x) for competitor, x in row["involved"]},
        scorecard=scorecard_from_rows(row["criteria"]),
    )


class _DealParts:
    """One account's share of a deal-snapshot row: what every opportunity of the account sees."""

    def __init__(self, row: Any) -> None:
        self.competitors: dict[str, Competitor] = {}
        self.reps: dict[str, CompetitorRep] = {}
        self.favours = tuple(self._favour(f) for f in row["favours"])
        self.contacts = tuple(self._contact(c) for c in row["contacts"])
        self.tier = None if row["tier"] is None else AccountTier(row["tier"])
        self.portfolio_class = None if row["portfolioClass"] is None else PortfolioClass(row["portfolioClass"])
        self.account_id: str = row["accountId"]

    def competitor(self, competitor_id: str, name: str, origin: str | None) -> str:
        self.competitors.setdefault(competitor_id, Competitor(competitor_id, name, origin))
        return competitor_id

    def _favour(self, row: Sequence[Any]) -> Favour:
        person, note, competitor_id, name, origin = row
        return Favour(person, self.competitor(competitor_id, name, origin), note)

    def _contact(self, row: Sequence[Any]) -> RepContact:
        rep_id, person, props, rep_name, competitor_id, name, origin = row
        self.reps.setdefault(rep_id, CompetitorRep(rep_id, rep_name, self.competitor(competitor_id, name, origin)))
        return contact_from_props(rep_id, person, props)

    def snapshot(self, row: Sequence[Any]) -> DealSnapshot:
        props, members, involved, criteria = row
        record = opportunity_record_from(props)
        deal = Deal(
            opportunity=record.opportunity,
            buying_centre=tuple(member_from_props(person, m) for _, person, m in sorted(members, key=_by_name)),
            competitors=tuple(
                Involvement(self.competitor(c, name, origin), bool(incumbent))
                for name, c, incumbent, origin in sorted(involved, key=_by_name)
            ),
            scorecard=scorecard_from_rows(criteria),
        )
        competitors = sorted(self.competitors.values(), key=lambda c: (c.name, c.id))
        return DealSnapshot(
            deal=deal,
            competitors=tuple(competitors),
            reps=tuple(sorted(self.reps.values(), key=lambda r: (r.name, r.id))),
            contacts=self.contacts,
            favours=self.favours,
            account_tier=self.tier,
            portfolio_class=self.portfolio_class,
            account_id=self.account_id,
        )


def _by_name(row: Sequence[Any]) -> tuple[str, str]:
    return (row[0], row[1])


async def deal_snapshots(tx: Tx, ws: str, ids: Sequence[str]) -> list[DealSnapshot | None]:
    """Everything the deal analytics read besides the account snapshot, for each opportunity: one round
    trip for all of them; None for an unknown id."""
    rows = await fetch(tx, DEAL_SNAPSHOTS, ws=ws, ids=list(dict.fromkeys(ids)))
    found: dict[str, DealSnapshot] = {}
    for row in rows:
        parts = _DealParts(row)
        for deal in row["deals"]:
            snapshot = parts.snapshot(deal)
            found[snapshot.opportunity.id] = snapshot
    return [found.get(i) for i in ids]
