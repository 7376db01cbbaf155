"""Batched reads of deals behind the DataLoaders: deal snapshots, opportunities, competitors and their reps,
rep contacts and favours. Archived stakeholders are left out of every answer, as everywhere."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, LiteralString, TypeVar

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.graph.records import native_datetime
from service.rules.deals import (
    Competitor,
    CompetitorRep,
    Deal,
    DealSnapshot,
    Favour,
    Involvement,
    RepContact,
)
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
from service.rules.models import ExternalId
from service.rules.paging import MAX_PAGE_SIZE, Page, PageRequest, cut_page

T = TypeVar("T")
Tx = AsyncManagedTransaction


@dataclass(frozen=True, slots=True)
class Bounded(Generic[T]):
    """The first rows of a list (at most `MAX_PAGE_SIZE`) and how many there are in all."""

    total: int
    items: tuple[T, ...]


DEAL_SNAPSHOTS: LiteralString = """
UNWIND $ids AS id
MATCH (o:Opportunity {workspaceId: $ws, id: id})
WITH o.accountId AS accountId, collect(o) AS opportunities
MATCH (a:Account {workspaceId: $ws, id: accountId})
CALL (a) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: a.id})-[f:FAVOURS]->(c:Competitor)
  WHERE NOT s.archived
  RETURN collect([s.id, f.note, c.id, c.name, c.origin]) AS favours
}
CALL (a) {
  MATCH (r:CompetitorRep)-[x:CONTACTS]->(s:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE NOT s.archived
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

OPPORTUNITIES_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n:Opportunity {workspaceId: $ws, id: id})
RETURN collect([id, n {.*}]) AS rows
"""

OPPORTUNITY_PAGES_FORWARD: LiteralString = """
UNWIND $keys AS key
CALL (key) {
  MATCH (o:Opportunity {workspaceId: $ws, accountId: key.accountId})
  WHERE key.name IS NULL OR o.name > key.name OR (o.name = key.name AND o.id > key.id)
  RETURN o ORDER BY o.name, o.id LIMIT $limit
}
RETURN key.index AS index, collect(o {.*}) AS items
"""

OPPORTUNITY_PAGES_BACKWARD: LiteralString = """
UNWIND $keys AS key
CALL (key) {
  MATCH (o:Opportunity {workspaceId: $ws, accountId: key.accountId})
  WHERE key.name IS NULL OR o.name < key.name OR (o.name = key.name AND o.id < key.id)
  RETURN o ORDER BY o.name DESC, o.id DESC LIMIT $limit
}
RETURN key.index AS index, collect(o {.*}) AS items
"""

OPPORTUNITY_COUNTS: LiteralString = """
UNWIND $ids AS id
CALL (id) {
  MATCH (o:Opportunity {workspaceId: $ws, accountId: id})
  RETURN count(o) AS total
}
RETURN id AS key, total
"""

COMPETITORS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n:Competitor {workspaceId: $ws, id: id})
RETURN collect([id, n {.id, .name, .origin}]) AS rows
"""

COMPETITOR_FILTER: LiteralString = "($search IS NULL OR toLower(c.name) CONTAINS $search)"

COMPETITOR_PAGE_FORWARD: LiteralString = (
    """
MATCH (c:Competitor {workspaceId: $ws})
WHERE ($name IS NULL OR c.name > $name OR (c.name = $name AND c.id > $id)) AND """
    + COMPETITOR_FILTER
    + """
WITH c ORDER BY c.name, c.id LIMIT $limit
RETURN collect(c {.id, .name, .origin}) AS items
"""
)

COMPETITOR_PAGE_BACKWARD: LiteralString = (
    """
MATCH (c:Competitor {workspaceId: $ws})
WHERE ($name IS NULL OR c.name < $name OR (c.name = $name AND c.id < $id)) AND """
    + COMPETITOR_FILTER
    + """
WITH c ORDER BY c.name DESC, c.id DESC LIMIT $limit
RETURN collect(c {.id, .name, .origin}) AS items
"""
)

COMPETITOR_COUNT: LiteralString = (
    "MATCH (c:Competitor {workspaceId: $ws}) WHERE " + COMPETITOR_FILTER + " RETURN count(c) AS total"
)

REPS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n:CompetitorRep {workspaceId: $ws, id: id})-[:WORKS_FOR]->(c:Competitor)
RETURN collect([id, n {.id, .name, competitor: c.id}]) AS rows
"""

COMPETITOR_EXTERNAL_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (r:CompetitorRef)-[:IDENTIFIES]->(:Competitor {workspaceId: $ws, id: id})
WITH id AS key, r {.*} AS item ORDER BY r.source, r.externalId
RETURN collect([key, item]) AS rows
"""

REP_EXTERNAL_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (r:CompetitorRepRef)-[:IDENTIFIES]->(:CompetitorRep {workspaceId: $ws, id: id})
WITH id AS key, r {.*} AS item ORDER BY r.source, r.externalId
RETURN collect([key, item]) AS rows
"""

REPS_OF_COMPETITORS: LiteralString = """
UNWIND $ids AS id
MATCH (c:Competitor {workspaceId: $ws, id: id})
CALL (c) {
  MATCH (r:CompetitorRep)-[:WORKS_FOR]->(c)
  WITH r ORDER BY r.name, r.id LIMIT $limit
  RETURN collect(r {.id, .name, competitor: c.id}) AS items
}
RETURN id AS key, COUNT { (:CompetitorRep)-[:WORKS_FOR]->(c) } AS total, items
"""

CONTACTS_OF_REPS: LiteralString = """
UNWIND $ids AS id
MATCH (r:CompetitorRep {workspaceId: $ws, id: id})
CALL (r) {
  MATCH (r)-[x:CONTACTS]->(s:Stakeholder) WHERE NOT s.archived
  WITH x, s ORDER BY s.name, s.id LIMIT $limit
  RETURN collect([s.id, x {.*}]) AS items
}
RETURN id AS key, COUNT { (r)-[:CONTACTS]->(s:Stakeholder) WHERE NOT s.archived } AS total, items
"""

CONTACTS_OF_STAKEHOLDERS: LiteralString = """
UNWIND $ids AS id
MATCH (s:Stakeholder {workspaceId: $ws, id: id})
CALL (s) {
  MATCH (r:CompetitorRep)-[x:CONTACTS]->(s)
  WITH r, x ORDER BY r.name, r.id LIMIT $limit
  RETURN collect([r.id, x {.*}]) AS items
}
RETURN id AS key, COUNT { (:CompetitorRep)-[:CONTACTS]->(s) } AS total, items
"""

FAVOURS_OF_STAKEHOLDERS: LiteralString = """
UNWIND $ids AS id
MATCH (s:Stakeholder {workspaceId: $ws, id: id})
CALL (s) {
  MATCH (s)-[f:FAVOURS]->(c:Competitor)
  WITH f, c ORDER BY c.name, c.id LIMIT $limit
  RETURN collect([c.id, f.note]) AS items
}
RETURN id AS key, COUNT { (s)-[:FAVOURS]->(:Competitor) } AS total, items
"""


# --- Parsing -----------------------------------------------------------------------------------
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


def competitor_from(p: Mapping[str, Any]) -> Competitor:
    return Competitor(id=p["id"], name=p["name"], origin=p.get("origin"))


def rep_from(p: Mapping[str, Any]) -> CompetitorRep:
    return CompetitorRep(id=p["id"], name=p["name"], competitor=p["competitor"])


def _external_id(p: Mapping[str, Any]) -> ExternalId:
    return ExternalId(source=p["source"], id=p["externalId"])


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


# --- Reads -------------------------------------------------------------------------------------
async def _keyed(tx: Tx, query: LiteralString, ws: str, ids: Sequence[str]) -> list[tuple[str, Any]]:
    """The [key, item] pairs a query collects into its one record."""
    records = await fetch(tx, query, ws=ws, ids=list(dict.fromkeys(ids)))
    return [(key, item) for key, item in records[0]["rows"]]


async def _one_each(
    tx: Tx, query: LiteralString, ws: str, ids: Sequence[str], parse: Callable[[Any], T]
) -> list[T | None]:
    found = {key: parse(item) for key, item in await _keyed(tx, query, ws, ids)}
    return [found.get(key) for key in ids]


async def _many_each(
    tx: Tx, query: LiteralString, ws: str, ids: Sequence[str], parse: Callable[[Any], T]
) -> list[list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for key, item in await _keyed(tx, query, ws, ids):
        grouped[key].append(parse(item))
    return [grouped.get(key, []) for key in ids]


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


async def opportunities_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[OpportunityRecord | None]:
    return await _one_each(tx, OPPORTUNITIES_BY_IDS, ws, ids, opportunity_record_from)


async def opportunity_pages(
    tx: Tx, ws: str, requests: Sequence[tuple[str, PageRequest]]
) -> list[Page[OpportunityRecord]]:
    """One page per (account id, request), by (name, id)."""
    results: dict[int, Page[OpportunityRecord]] = {}
    groups: dict[tuple[bool, int], list[int]] = defaultdict(list)
    for index, (_, request) in enumerate(requests):
        groups[(request.forward, request.limit)].append(index)
    for (forward, limit), indexes in groups.items():
        query = OPPORTUNITY_PAGES_FORWARD if forward else OPPORTUNITY_PAGES_BACKWARD
        keys = [{"index": i, "accountId": requests[i][0], **_boundary(requests[i][1])} for i in indexes]
        rows = await fetch(tx, query, ws=ws, keys=keys, limit=limit + 1)
        found = {row["index"]: [opportunity_record_from(item) for item in row["items"]] for row in rows}
        for i in indexes:
            results[i] = cut_page(found.get(i, []), requests[i][1])
    return [results[i] for i in range(len(requests))]


async def opportunity_counts(tx: Tx, ws: str, account_ids: Sequence[str]) -> list[int]:
    rows = await fetch(tx, OPPORTUNITY_COUNTS, ws=ws, ids=list(dict.fromkeys(account_ids)))
    totals = {row["key"]: row["total"] for row in rows}
    return [totals.get(i, 0) for i in account_ids]


def _boundary(request: PageRequest) -> dict[str, Any]:
    boundary = request.boundary
    return {"name": boundary.name if boundary else None, "id": boundary.id if boundary else None}


async def competitors_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[Competitor | None]:
    return await _one_each(tx, COMPETITORS_BY_IDS, ws, ids, competitor_from)


async def competitor_page(tx: Tx, ws: str, search: str | None, request: PageRequest) -> Page[Competitor]:
    query = COMPETITOR_PAGE_FORWARD if request.forward else COMPETITOR_PAGE_BACKWARD
    rows = await fetch(
        tx, query, ws=ws, search=search.lower() if search else None, limit=request.limit + 1, **_boundary(request)
    )
    return cut_page([competitor_from(item) for item in rows[0]["items"]], request)


async def competitor_count(tx: Tx, ws: str, search: str | None) -> int:
    rows = await fetch(tx, COMPETITOR_COUNT, ws=ws, search=search.lower() if search else None)
    total: int = rows[0]["total"]
    return total


async def reps_by_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[CompetitorRep | None]:
    return await _one_each(tx, REPS_BY_IDS, ws, ids, rep_from)


async def competitor_external_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[ExternalId]]:
    return await _many_each(tx, COMPETITOR_EXTERNAL_IDS, ws, ids, _external_id)


async def rep_external_ids(tx: Tx, ws: str, ids: Sequence[str]) -> list[list[ExternalId]]:
    return await _many_each(tx, REP_EXTERNAL_IDS, ws, ids, _external_id)


async def _bounded(
    tx: Tx, query: LiteralString, ws: str, ids: Sequence[str], parse: Callable[[str, Any], T]
) -> dict[str, Bounded[T]]:
    """Per key: its count and its first items, each parsed with the key."""
    rows = await fetch(tx, query, ws=ws, ids=list(dict.fromkeys(ids)), limit=MAX_PAGE_SIZE)
    return {row["key"]: Bounded(row["total"], tuple(parse(row["key"], item) for item in row["items"])) for row in rows}


def _aligned(found: Mapping[str, Bounded[T]], ids: Sequence[str]) -> list[Bounded[T]]:
    return [found.get(i, Bounded(0, ())) for i in ids]


async def reps_of_competitors(tx: Tx, ws: str, ids: Sequence[str]) -> list[Bounded[CompetitorRep]]:
    """The first reps of each competitor by name (at most `MAX_PAGE_SIZE`), and how many it has."""
    found = await _bounded(tx, REPS_OF_COMPETITORS, ws, ids, lambda _, item: rep_from(item))
    return _aligned(found, ids)


async def contacts_of_reps(tx: Tx, ws: str, ids: Sequence[str]) -> list[Bounded[RepContact]]:
    """Each rep's contacts with active stakeholders, by the stakeholder's name."""
    found = await _bounded(tx, CONTACTS_OF_REPS, ws, ids, lambda rep, item: contact_from_props(rep, *item))
    return _aligned(found, ids)


async def contacts_of_stakeholders(tx: Tx, ws: str, ids: Sequence[str]) -> list[Bounded[RepContact]]:
    """The rep contacts with each stakeholder, by the rep's name."""
    found = await _bounded(
        tx, CONTACTS_OF_STAKEHOLDERS, ws, ids, lambda person, item: contact_from_props(item[0], person, item[1])
    )
    return _aligned(found, ids)


async def favours_of_stakeholders(tx: Tx, ws: str, ids: Sequence[str]) -> list[Bounded[Favour]]:
    """The competitors each stakeholder favours, by the competitor's name."""
    found = await _bounded(tx, FAVOURS_OF_STAKEHOLDERS, ws, ids, lambda person, item: Favour(person, item[0], item[1]))
    return _aligned(found, ids)
