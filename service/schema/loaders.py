"""Per-request DataLoaders: each relationship field batches its keys into one Cypher query."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any, Generic, TypeVar, overload

from neo4j import AsyncManagedTransaction
from strawberry.dataloader import DataLoader

from service.graph import deal_reads, deal_snapshots, pages, reads
from service.graph.database import Database
from service.graph.history import history_pages
from service.graph.neighbourhood import Around
from service.rules.account_graph import AccountGraph
from service.rules.deals.model import OpportunityRecord
from service.rules.models import (
    Change,
    Neighbourhood,
    Stakeholder,
)
from service.rules.paging import HistoryPosition, Page, PageRequest
from service.usecases.analytics import account_snapshot
from service.usecases.services import Services

K = TypeVar("K")
V = TypeVar("V")

BatchRead = Callable[[AsyncManagedTransaction, str, Sequence[str]], Awaitable[list[V]]]

PageKey = tuple[str, pages.StakeholderFilter, PageRequest, Around]
"""An account, the filter, the page, and what to read around its people."""
StakeholderPage = tuple[Page[Stakeholder], Neighbourhood]
CountKey = tuple[str, pages.StakeholderFilter]
HistoryKey = tuple[str, int, HistoryPosition | None]
"""A stakeholder, how many changed values, after which one."""


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose answers outlive the field that asked first.

    Fields that load the same key share one future. When graphql-core cancels a field (a sibling failed
    and nulled their parent), the cancellation must not reach that shared future: another field, still
    running, awaits it too and would get a CancelledError that fails the whole request.
    """

    def load(self, key: K) -> Awaitable[V]:
        return asyncio.shield(super().load(key))


def _by_ids(db: Database, ws: str, read: BatchRead[V]) -> DataLoader[str, V]:
    async def load(keys: list[str]) -> list[V]:
        return await db.read(read, ws, keys)

    return SharedLoader(load_fn=load)


def _grouped(
    load_group: Callable[[pages.StakeholderFilter, list[tuple[int, Any]]], Awaitable[dict[int, V]]],
) -> Callable[[list[Any]], Awaitable[list[V]]]:
    """Keys carry a filter; run one batched query per distinct filter."""

    async def load(keys: list[Any]) -> list[V]:
        groups: dict[pages.StakeholderFilter, list[tuple[int, Any]]] = defaultdict(list)
        for index, key in enumerate(keys):
            groups[key[1]].append((index, key))
        results: dict[int, V] = {}
        for filter_, members in groups.items():
            results.update(await load_group(filter_, members))
        return [results[i] for i in range(len(keys))]

    return load


class ById(Generic[V]):
    """A `Loaders` attribute: the loader of `read`'s answers by id, built the first time a request asks for it
    and kept on the request's `Loaders` from then on."""

    def __init__(self, read: BatchRead[V]) -> None:
        self.read = read
        self.name = ""

    def __set_name__(self, owner: type[Loaders], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, loaders: None, owner: type[Loaders]) -> ById[V]: ...

    @overload
    def __get__(self, loaders: Loaders, owner: type[Loaders]) -> DataLoader[str, V]: ...

    def __get__(self, loaders: Loaders | None, owner: type[Loaders]) -> ById[V] | DataLoader[str, V]:
        if loaders is None:
            return self
        loader = _by_ids(loaders.db, loaders.ws, self.read)
        vars(loaders)[self.name] = loader  # found before this (non-data) descriptor from now on
        return loader


class Loaders:
    """One request's DataLoaders. Each is built on first use: a request uses a few of the 45."""

    def __init__(self, services: Services, ws: str) -> None:
        self.services = services
        self.db = services.db
        self.ws = ws

    account = ById(reads.accounts_by_ids)
    """An opportunity's deal snapshot: every opportunity asked for in one round trip."""
    stakeholder = ById(reads.stakeholders_by_ids)
    circle = ById(reads.circles_by_ids)
    team_member = ById(reads.team_members_by_ids)
    influence = ById(reads.influences_by_ids)
    tie = ById(reads.ties_by_ids)
    account_external_ids = ById(reads.account_external_ids)
    stakeholder_external_ids = ById(reads.stakeholder_external_ids)
    team_member_external_ids = ById(reads.team_member_external_ids)
    decision_makers = ById(reads.decision_makers_by_account)
    circles_of_account = ById(reads.circles_by_account)
    team_of_account = ById(reads.team_by_account)
    influences_of_account = ById(reads.influences_by_account)
    ties_of_account = ById(reads.ties_by_account)
    manager = ById(reads.manager_by_stakeholder)
    direct_reports = ById(reads.direct_reports)
    memberships = ById(reads.memberships_by_stakeholder)
    circle_members = ById(reads.members_by_circle)
    circle_rivals = ById(reads.rivals_by_circle)
    circle_allies = ById(reads.allies_by_circle)
    influences_from = ById(reads.influences_from)
    influences_to = ById(reads.influences_to)
    ties_of_stakeholder = ById(reads.ties_of)
    coverage_of_stakeholder = ById(reads.coverage_of)
    coverage_by_team_member = ById(reads.coverage_by_team_member)
    last_contact = ById(reads.last_contact_by_stakeholder)
    interaction = ById(reads.interactions_by_ids)
    interactions_of_account = ById(reads.interactions_by_account)
    opportunity = ById(deal_reads.opportunities_by_ids)
    deal = ById(deal_snapshots.deal_snapshots)
    opportunity_count = ById(deal_reads.opportunity_counts)
    competitor = ById(deal_reads.competitors_by_ids)
    competitor_rep = ById(deal_reads.reps_by_ids)
    competitor_external_ids = ById(deal_reads.competitor_external_ids)
    rep_external_ids = ById(deal_reads.rep_external_ids)
    reps_of_competitor = ById(deal_reads.reps_of_competitors)
    contacts_of_rep = ById(deal_reads.contacts_of_reps)
    contacts_of_stakeholder = ById(deal_reads.contacts_of_stakeholders)
    favours_of_stakeholder = ById(deal_reads.favours_of_stakeholders)

    @cached_property
    def history(self) -> DataLoader[HistoryKey, list[Change]]:
        async def load(keys: list[HistoryKey]) -> list[list[Change]]:
            """One query per distinct (first, after) among the keys."""
            groups: dict[tuple[int, HistoryPosition | None], list[str]] = defaultdict(list)
            for stakeholder_id, first, after in keys:
                groups[(first, after)].append(stakeholder_id)
            found: dict[HistoryKey, list[Change]] = {}
            for (first, after), ids in groups.items():
                pages = await self.db.read(history_pages, self.ws, ids, first, after)
                found.update(((i, first, after), page) for i, page in zip(ids, pages, strict=True))
            return [found[key] for key in keys]

        return SharedLoader(load_fn=load)

    @cached_property
    def stakeholder_page(self) -> DataLoader[PageKey, StakeholderPage]:
        async def load(keys: list[PageKey]) -> list[StakeholderPage]:
            """One read per distinct (filter, around) among the keys."""
            groups: dict[tuple[pages.StakeholderFilter, Around], list[int]] = defaultdict(list)
            for index, (_, filter_, _, around) in enumerate(keys):
                groups[(filter_, around)].append(index)
            results: dict[int, StakeholderPage] = {}
            for (filter_, around), indexes in groups.items():
                requests = [(keys[i][0], keys[i][2]) for i in indexes]
                found, hood = await self.db.read(pages.stakeholder_pages, self.ws, filter_, around, requests)
                results.update((i, (page, hood)) for i, page in zip(indexes, found, strict=True))
            return [results[i] for i in range(len(keys))]

        return SharedLoader(load_fn=load)

    @cached_property
    def stakeholder_count(self) -> DataLoader[CountKey, int]:
        async def load(filter_: pages.StakeholderFilter, members: list[tuple[int, CountKey]]) -> dict[int, int]:
            totals = await self.db.read(pages.stakeholder_counts, self.ws, filter_, [key[0] for _, key in members])
            return {index: total for (index, _), total in zip(members, totals, strict=True)}

        return SharedLoader(load_fn=_grouped(load))

    @cached_property
    def account_graph(self) -> DataLoader[str, AccountGraph]:
        async def load(account_ids: list[str]) -> list[AccountGraph]:
            return [await account_snapshot(self.services, self.ws, account_id) for account_id in account_ids]

        return SharedLoader(load_fn=load)

    @cached_property
    def account_graph_as_of(self) -> DataLoader[tuple[str, datetime], AccountGraph]:
        """The account's snapshot as of an instant (DOMAIN.md rule 18), rebuilt from its history."""

        async def load(keys: list[tuple[str, datetime]]) -> list[AccountGraph]:
            return [await account_snapshot(self.services, self.ws, account_id, as_of) for account_id, as_of in keys]

        return SharedLoader(load_fn=load)

    @cached_property
    def opportunity_page(self) -> DataLoader[tuple[str, PageRequest], Page[OpportunityRecord]]:
        async def load(keys: list[tuple[str, PageRequest]]) -> list[Page[OpportunityRecord]]:
            return await self.db.read(deal_reads.opportunity_pages, self.ws, keys)

        return SharedLoader(load_fn=load)
