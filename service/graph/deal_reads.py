"""Batched reads of deals behind the DataLoaders: opportunities, competitors and their reps, rep contacts
and favours (deal snapshots: `deal_snapshots`). Archived stakeholders are left out of every answer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, LiteralString, TypeVar

from neo4j import AsyncManagedTransaction

from service.graph.deal_snapshots import opportunity_record_from
from service.graph.driver import fetch
from service.rules.deals import (
    Competitor,
    CompetitorRep,
    Favour,
    RepContact,
)
from service.rules.deals.model import OpportunityRecord
from service.rules.deals.stored import (
    contact_from_props,
)
from service.rules.models import ExternalId
from service.rules.paging import MAX_PAGE_SIZE, Page, PageRequest, cut_page

T = TypeVar("T")
Tx = AsyncManagedTransaction


@dataclass(frozen=True, slots=True)
class Bounded(Generic[T]):
    """The first rows of a list (at most `MAX_PAGE_SIZE`) and how many there are in all."""

    total: int
    items: tuple[T, ...]


OPPORTUNITIES_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n:Opportunity {workspaceId: $ws, id: id})
RETURN collect([id, n {.*}]) AS rows
"""

OPPORTUNITY_PAGES_FORWARD: LiteralString = """
UNWIND $keys AS key
CALL (key) {
  MATCH (o:Opportunity {workspaceId: $ws, accountId: key.accountId})
  USING INDEX o:Opportunity(workspaceId, accountId, name)
  WHERE o.name IS NOT NULL AND (key.name IS NULL OR o.name > key.name OR (o.name = key.name AND o.id > key.id))
  RETURN o ORDER BY o.name, o.id LIMIT $limit
}
RETURN key.index AS index, collect(o {.*}) AS items
"""

OPPORTUNITY_PAGES_BACKWARD: LiteralString = """
UNWIND $keys AS key
CALL (key) {
  MATCH (o:Opportunity {workspaceId: $ws, accountId: key.accountId})
  USING INDEX o:Opportunity(workspaceId, accountId, name)
  WHERE o.name IS NOT NULL AND (key.name IS NULL OR o.name < key.name OR (o.name = key.name AND o.id < key.id))
  RETURN o ORDER BY o.name DESC, o.id DESC LIMIT $limit
}
RETURN key.index AS index, collect(o {.*}) AS items
"""

OPPORTUNITY_COUNTS: LiteralString = """
UNWIND $ids AS id
CALL (id) {
  MATCH (o:Opportunity {workspaceId: $ws, accountId: id})
  USING INDEX o:Opportunity(workspaceId, accountId, name)
  WHERE o.name IS NOT NULL
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
USING INDEX c:Competitor(workspaceId, name)
WHERE c.name IS NOT NULL AND ($name IS NULL OR c.name > $name OR (c.name = $name AND c.id > $id)) AND """
    + COMPETITOR_FILTER
    + """
WITH c ORDER BY c.name, c.id LIMIT $limit
RETURN collect(c {.id, .name, .origin}) AS items
"""
)

COMPETITOR_PAGE_BACKWARD: LiteralString = (
    """
MATCH (c:Competitor {workspaceId: $ws})
USING INDEX c:Competitor(workspaceId, name)
WHERE c.name IS NOT NULL AND ($name IS NULL OR c.name < $name OR (c.name = $name AND c.id < $id)) AND """
    + COMPETITOR_FILTER
    + """
WITH c ORDER BY c.name DESC, c.id DESC LIMIT $limit
RETURN collect(c {.id, .name, .origin}) AS items
"""
)

COMPETITOR_COUNT: LiteralString = (
    "MATCH (c:Competitor {workspaceId: $ws}) USING INDEX c:Competitor(workspaceId, name) "
    "WHERE c.name IS NOT NULL AND " + COMPETITOR_FILTER + " RETURN count(c) AS total"
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
def competitor_from(p: Mapping[str, Any]) -> Competitor:
    return Competitor(id=p["id"], name=p["name"], origin=p.get("origin"))


def rep_from(p: Mapping[str, Any]) -> CompetitorRep:
    return CompetitorRep(id=p["id"], name=p["name"], competitor=p["competitor"])


def _external_id(p: Mapping[str, Any]) -> ExternalId:
    return ExternalId(source=p["source"], id=p["externalId"])


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
