"""Keyset-paginated lists (accounts, an account's stakeholders) and their filtered totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph import records
from service.graph.driver import fetch
from service.graph.neighbourhood import COLLECTED, Around, parse_collected
from service.rules.enums import BuyingRole, Stance
from service.rules.models import EMPTY_NEIGHBOURHOOD, Account, Neighbourhood, Stakeholder
from service.rules.paging import Page, PageRequest, cut_page

Tx = AsyncManagedTransaction


@dataclass(frozen=True, slots=True)
class StakeholderFilter:
    search: str | None = None
    stances: tuple[Stance, ...] | None = None
    roles: tuple[BuyingRole, ...] | None = None
    include_archived: bool = False

    def params(self) -> dict[str, Any]:
        return {
            "search": self.search.lower() if self.search else None,
            "stances": [s.value for s in self.stances] if self.stances is not None else None,
            "roles": [r.value for r in self.roles] if self.roles is not None else None,
            "includeArchived": self.include_archived,
        }


STAKEHOLDER_FILTER: LiteralString = """
  ($includeArchived OR NOT s.archived)
  AND ($search IS NULL OR toLower(s.name) CONTAINS $search
       OR toLower(coalesce(s.title, '')) CONTAINS $search
       OR toLower(coalesce(s.department, '')) CONTAINS $search)
  AND ($stances IS NULL OR s.stance IN $stances)
  AND ($roles IS NULL OR any(role IN s.buyingRoles WHERE role IN $roles))
"""

STAKEHOLDER_PAGES_FORWARD: LiteralString = (
    """
UNWIND $keys AS key
CALL (key) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: key.accountId})
  WHERE s.name IS NOT NULL AND (key.name IS NULL OR s.name > key.name OR (s.name = key.name AND s.id > key.id))
  WITH s WHERE"""
    + STAKEHOLDER_FILTER
    + """
  RETURN s ORDER BY s.name, s.id LIMIT $limit
}
WITH key.index AS key, s
"""
    + COLLECTED
)
"""`s.name IS NOT NULL` (every stakeholder has a name) lets Neo4j seek the (workspaceId, accountId, name)
index; without a predicate on `name` it scans every Stakeholder in the database."""

STAKEHOLDER_PAGES_BACKWARD: LiteralString = (
    """
UNWIND $keys AS key
CALL (key) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: key.accountId})
  WHERE s.name IS NOT NULL AND (key.name IS NULL OR s.name < key.name OR (s.name = key.name AND s.id < key.id))
  WITH s WHERE"""
    + STAKEHOLDER_FILTER
    + """
  RETURN s ORDER BY s.name DESC, s.id DESC LIMIT $limit
}
WITH key.index AS key, s
"""
    + COLLECTED
)

STAKEHOLDER_COUNTS: LiteralString = (
    """
UNWIND $ids AS id
CALL (id) {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: id})
  WHERE s.name IS NOT NULL AND"""
    + STAKEHOLDER_FILTER
    + """
  RETURN count(s) AS total
}
RETURN id AS key, total
"""
)

ACCOUNT_FILTER: LiteralString = "($search IS NULL OR toLower(a.name) CONTAINS $search)"

ACCOUNT_PAGE_FORWARD: LiteralString = (
    """
MATCH (a:Account {workspaceId: $ws})
WHERE a.name IS NOT NULL AND ($name IS NULL OR a.name > $name OR (a.name = $name AND a.id > $id)) AND """
    + ACCOUNT_FILTER
    + """
WITH a ORDER BY a.name, a.id LIMIT $limit
RETURN collect(a {.*, createdAt: null, updatedAt: a.updatedAt.epochMillis}) AS items
"""
)

ACCOUNT_PAGE_BACKWARD: LiteralString = (
    """
MATCH (a:Account {workspaceId: $ws})
WHERE a.name IS NOT NULL AND ($name IS NULL OR a.name < $name OR (a.name = $name AND a.id < $id)) AND """
    + ACCOUNT_FILTER
    + """
WITH a ORDER BY a.name DESC, a.id DESC LIMIT $limit
RETURN collect(a {.*, createdAt: null, updatedAt: a.updatedAt.epochMillis}) AS items
"""
)

ACCOUNT_COUNT: LiteralString = (
    "MATCH (a:Account {workspaceId: $ws}) WHERE a.name IS NOT NULL AND " + ACCOUNT_FILTER + " RETURN count(a) AS total"
)


def _boundary_params(request: PageRequest) -> dict[str, Any]:
    boundary = request.boundary
    return {
        "name": boundary.name if boundary else None,
        "id": boundary.id if boundary else None,
    }


async def stakeholder_pages(
    tx: Tx,
    ws: str,
    filter_: StakeholderFilter,
    around: Around,
    requests: Sequence[tuple[str, PageRequest]],
) -> tuple[list[Page[Stakeholder]], Neighbourhood]:
    """One page per (account id, request), and what `around` asks for around their people; all requests of
    one call share the filter. One round trip per direction and page size among the requests."""
    results: dict[int, Page[Stakeholder]] = {}
    neighbourhood = EMPTY_NEIGHBOURHOOD
    # LIMIT takes no row variable: one query per direction and page size.
    groups: dict[tuple[bool, int], list[int]] = defaultdict(list)
    for index, (_, request) in enumerate(requests):
        groups[(request.forward, request.limit)].append(index)
    for (forward, limit), indexes in groups.items():
        record = await _pages(tx, ws, filter_, around, [(i, *requests[i]) for i in indexes], forward, limit)
        read, found = parse_collected(record)
        neighbourhood = found if neighbourhood is EMPTY_NEIGHBOURHOOD else neighbourhood.joined(found)
        items: dict[int, list[Stakeholder]] = defaultdict(list)
        for index, stakeholder in read:
            items[index].append(stakeholder)
        for i in indexes:
            results[i] = cut_page(items.get(i, []), requests[i][1])
    return [results[i] for i in range(len(requests))], neighbourhood


async def account_and_stakeholder_page(
    tx: Tx, ws: str, account_id: str, filter_: StakeholderFilter, around: Around, request: PageRequest
) -> tuple[Account | None, Page[Stakeholder], Neighbourhood]:
    """The account, and one page of its stakeholders with what `around` asks for, in one round trip."""
    keys = [(0, account_id, request)]
    record = await _pages(tx, ws, filter_, around, keys, request.forward, request.limit, account_id)
    read, neighbourhood = parse_collected(record)
    account = [records.account_from(found) for found in record["account"]]
    page = cut_page([stakeholder for _, stakeholder in read], request)
    return (account[0] if account else None), page, neighbourhood


async def _pages(
    tx: Tx,
    ws: str,
    filter_: StakeholderFilter,
    around: Around,
    keys: Sequence[tuple[int, str, PageRequest]],
    forward: bool,
    limit: int,
    account_id: str | None = None,
) -> Any:
    """The record of one page query: (index, account id, request) per page, all in one direction and size."""
    query = STAKEHOLDER_PAGES_FORWARD if forward else STAKEHOLDER_PAGES_BACKWARD
    params = filter_.params() | {"around": around.params(), "accountId": account_id}
    rows = await fetch(
        tx,
        query,
        ws=ws,
        keys=[{"index": i, "accountId": account, **_boundary_params(request)} for i, account, request in keys],
        limit=limit + 1,
        **params,
    )
    return rows[0]


async def stakeholder_counts(tx: Tx, ws: str, filter_: StakeholderFilter, account_ids: Sequence[str]) -> list[int]:
    rows = await fetch(tx, STAKEHOLDER_COUNTS, ws=ws, ids=list(account_ids), **filter_.params())
    totals = {row["key"]: row["total"] for row in rows}
    return [totals.get(i, 0) for i in account_ids]


async def account_page(tx: Tx, ws: str, search: str | None, request: PageRequest) -> Page[Account]:
    query = ACCOUNT_PAGE_FORWARD if request.forward else ACCOUNT_PAGE_BACKWARD
    search_param = search.lower() if search else None
    rows = await fetch(tx, query, ws=ws, search=search_param, limit=request.limit + 1, **_boundary_params(request))
    return cut_page([records.account_from(item) for item in rows[0]["items"]], request)


async def account_count(tx: Tx, ws: str, search: str | None) -> int:
    rows = await fetch(tx, ACCOUNT_COUNT, ws=ws, search=search.lower() if search else None)
    total: int = rows[0]["total"]
    return total
