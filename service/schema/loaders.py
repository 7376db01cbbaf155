"""Per-request DataLoaders: each relationship field batches its keys into one Cypher query."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from neo4j import AsyncManagedTransaction
from strawberry.dataloader import DataLoader

from service.graph import deal_reads, deal_snapshots, pages, reads
from service.graph.database import Database
from service.graph.deal_reads import Bounded
from service.graph.history import history_pages
from service.graph.neighbourhood import Around
from service.rules.account_graph import AccountGraph
from service.rules.deals import Competitor, CompetitorRep, DealSnapshot, Favour, RepContact
from service.rules.deals.model import OpportunityRecord
from service.rules.models import (
    Account,
    Change,
    Circle,
    CircleMembership,
    Coverage,
    ExternalId,
    InfluenceLink,
    Interaction,
    Neighbourhood,
    Stakeholder,
    TeamMember,
    Tie,
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


@dataclass(frozen=True)
class Loaders:
    account: DataLoader[str, Account | None]
    stakeholder: DataLoader[str, Stakeholder | None]
    circle: DataLoader[str, Circle | None]
    team_member: DataLoader[str, TeamMember | None]
    influence: DataLoader[str, InfluenceLink | None]
    tie: DataLoader[str, Tie | None]
    account_external_ids: DataLoader[str, list[ExternalId]]
    stakeholder_external_ids: DataLoader[str, list[ExternalId]]
    team_member_external_ids: DataLoader[str, list[ExternalId]]
    decision_makers: DataLoader[str, list[Stakeholder]]
    circles_of_account: DataLoader[str, list[Circle]]
    team_of_account: DataLoader[str, list[TeamMember]]
    influences_of_account: DataLoader[str, list[InfluenceLink]]
    ties_of_account: DataLoader[str, list[Tie]]
    manager: DataLoader[str, Stakeholder | None]
    direct_reports: DataLoader[str, list[Stakeholder]]
    memberships: DataLoader[str, list[CircleMembership]]
    circle_members: DataLoader[str, list[CircleMembership]]
    circle_rivals: DataLoader[str, list[Circle]]
    circle_allies: DataLoader[str, list[Circle]]
    influences_from: DataLoader[str, list[InfluenceLink]]
    influences_to: DataLoader[str, list[InfluenceLink]]
    ties_of_stakeholder: DataLoader[str, list[Tie]]
    coverage_of_stakeholder: DataLoader[str, list[Coverage]]
    coverage_by_team_member: DataLoader[str, list[Coverage]]
    last_contact: DataLoader[str, datetime | None]
    history: DataLoader[HistoryKey, list[Change]]
    interaction: DataLoader[str, Interaction | None]
    interactions_of_account: DataLoader[str, list[Interaction]]
    stakeholder_page: DataLoader[PageKey, StakeholderPage]
    stakeholder_count: DataLoader[CountKey, int]
    account_graph: DataLoader[str, AccountGraph]
    account_graph_as_of: DataLoader[tuple[str, datetime], AccountGraph]
    """The account's snapshot as of an instant (DOMAIN.md rule 18), rebuilt from its history."""
    opportunity: DataLoader[str, OpportunityRecord | None]
    deal: DataLoader[str, DealSnapshot | None]
    """An opportunity's deal snapshot: every opportunity asked for in one round trip."""
    opportunity_page: DataLoader[tuple[str, PageRequest], Page[OpportunityRecord]]
    opportunity_count: DataLoader[str, int]
    competitor: DataLoader[str, Competitor | None]
    competitor_rep: DataLoader[str, CompetitorRep | None]
    competitor_external_ids: DataLoader[str, list[ExternalId]]
    rep_external_ids: DataLoader[str, list[ExternalId]]
    reps_of_competitor: DataLoader[str, Bounded[CompetitorRep]]
    contacts_of_rep: DataLoader[str, Bounded[RepContact]]
    contacts_of_stakeholder: DataLoader[str, Bounded[RepContact]]
    favours_of_stakeholder: DataLoader[str, Bounded[Favour]]


def build_loaders(services: Services, ws: str) -> Loaders:
    db = services.db

    async def load_pages(keys: list[PageKey]) -> list[StakeholderPage]:
        """One read per distinct (filter, around) among the keys."""
        groups: dict[tuple[pages.StakeholderFilter, Around], list[int]] = defaultdict(list)
        for index, (_, filter_, _, around) in enumerate(keys):
            groups[(filter_, around)].append(index)
        results: dict[int, StakeholderPage] = {}
        for (filter_, around), indexes in groups.items():
            requests = [(keys[i][0], keys[i][2]) for i in indexes]
            found, hood = await db.read(pages.stakeholder_pages, ws, filter_, around, requests)
            results.update((i, (page, hood)) for i, page in zip(indexes, found, strict=True))
        return [results[i] for i in range(len(keys))]

    async def load_counts(filter_: pages.StakeholderFilter, members: list[tuple[int, CountKey]]) -> dict[int, int]:
        totals = await db.read(pages.stakeholder_counts, ws, filter_, [key[0] for _, key in members])
        return {index: total for (index, _), total in zip(members, totals, strict=True)}

    async def load_history(keys: list[HistoryKey]) -> list[list[Change]]:
        """One query per distinct (first, after) among the keys."""
        groups: dict[tuple[int, HistoryPosition | None], list[str]] = defaultdict(list)
        for stakeholder_id, first, after in keys:
            groups[(first, after)].append(stakeholder_id)
        found: dict[HistoryKey, list[Change]] = {}
        for (first, after), ids in groups.items():
            pages = await db.read(history_pages, ws, ids, first, after)
            found.update(((i, first, after), page) for i, page in zip(ids, pages, strict=True))
        return [found[key] for key in keys]

    async def load_graphs(account_ids: list[str]) -> list[AccountGraph]:
        return [await account_snapshot(services, ws, account_id) for account_id in account_ids]

    async def load_graphs_as_of(keys: list[tuple[str, datetime]]) -> list[AccountGraph]:
        return [await account_snapshot(services, ws, account_id, as_of) for account_id, as_of in keys]

    async def load_opportunity_pages(keys: list[tuple[str, PageRequest]]) -> list[Page[OpportunityRecord]]:
        return await db.read(deal_reads.opportunity_pages, ws, keys)

    return Loaders(
        account=_by_ids(db, ws, reads.accounts_by_ids),
        stakeholder=_by_ids(db, ws, reads.stakeholders_by_ids),
        circle=_by_ids(db, ws, reads.circles_by_ids),
        team_member=_by_ids(db, ws, reads.team_members_by_ids),
        influence=_by_ids(db, ws, reads.influences_by_ids),
        tie=_by_ids(db, ws, reads.ties_by_ids),
        account_external_ids=_by_ids(db, ws, reads.account_external_ids),
        stakeholder_external_ids=_by_ids(db, ws, reads.stakeholder_external_ids),
        team_member_external_ids=_by_ids(db, ws, reads.team_member_external_ids),
        decision_makers=_by_ids(db, ws, reads.decision_makers_by_account),
        circles_of_account=_by_ids(db, ws, reads.circles_by_account),
        team_of_account=_by_ids(db, ws, reads.team_by_account),
        influences_of_account=_by_ids(db, ws, reads.influences_by_account),
        ties_of_account=_by_ids(db, ws, reads.ties_by_account),
        manager=_by_ids(db, ws, reads.manager_by_stakeholder),
        direct_reports=_by_ids(db, ws, reads.direct_reports),
        memberships=_by_ids(db, ws, reads.memberships_by_stakeholder),
        circle_members=_by_ids(db, ws, reads.members_by_circle),
        circle_rivals=_by_ids(db, ws, reads.rivals_by_circle),
        circle_allies=_by_ids(db, ws, reads.allies_by_circle),
        influences_from=_by_ids(db, ws, reads.influences_from),
        influences_to=_by_ids(db, ws, reads.influences_to),
        ties_of_stakeholder=_by_ids(db, ws, reads.ties_of),
        coverage_of_stakeholder=_by_ids(db, ws, reads.coverage_of),
        coverage_by_team_member=_by_ids(db, ws, reads.coverage_by_team_member),
        last_contact=_by_ids(db, ws, reads.last_contact_by_stakeholder),
        history=SharedLoader(load_fn=load_history),
        interaction=_by_ids(db, ws, reads.interactions_by_ids),
        interactions_of_account=_by_ids(db, ws, reads.interactions_by_account),
        stakeholder_page=SharedLoader(load_fn=load_pages),
        stakeholder_count=SharedLoader(load_fn=_grouped(load_counts)),
        account_graph=SharedLoader(load_fn=load_graphs),
        account_graph_as_of=SharedLoader(load_fn=load_graphs_as_of),
        opportunity=_by_ids(db, ws, deal_reads.opportunities_by_ids),
        deal=_by_ids(db, ws, deal_snapshots.deal_snapshots),
        opportunity_page=SharedLoader(load_fn=load_opportunity_pages),
        opportunity_count=_by_ids(db, ws, deal_reads.opportunity_counts),
        competitor=_by_ids(db, ws, deal_reads.competitors_by_ids),
        competitor_rep=_by_ids(db, ws, deal_reads.reps_by_ids),
        competitor_external_ids=_by_ids(db, ws, deal_reads.competitor_external_ids),
        rep_external_ids=_by_ids(db, ws, deal_reads.rep_external_ids),
        reps_of_competitor=_by_ids(db, ws, deal_reads.reps_of_competitors),
        contacts_of_rep=_by_ids(db, ws, deal_reads.contacts_of_reps),
        contacts_of_stakeholder=_by_ids(db, ws, deal_reads.contacts_of_stakeholders),
        favours_of_stakeholder=_by_ids(db, ws, deal_reads.favours_of_stakeholders),
    )
