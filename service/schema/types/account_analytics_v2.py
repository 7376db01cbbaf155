"""The account analytics of DOMAIN.md "Analytics v2" that have a list of their own: overdue contacts
(rule 14) and brokers (rule 16). Wired like the others (`account_analytics`): the request's snapshot,
the pure rule, the first `first` rows and a count beside them; rows name people from the snapshot."""

from __future__ import annotations

from datetime import datetime

import strawberry

from service.rules import analytics
from service.rules.account_graph import AccountGraph
from service.rules.analytics.policy import DEFAULT_FIRST_BROKERS, DEFAULT_FIRST_OVERDUE_CONTACTS
from service.schema.context import Context
from service.schema.pagination import bounded_first
from service.schema.types.account_analytics import (
    AccountAnalytics,
    AsOf,
    AsOfMoment,
    First,
    MapAsOf,
    Refs,
    computed,
    load_refs,
)
from service.schema.types.stakeholder import Stakeholder


@strawberry.type
class OverdueContact:
    row: strawberry.Private[analytics.OverdueContact]
    refs: strawberry.Private[Refs]
    due_interval_days: int = strawberry.field(
        description="Days between contacts: the account's cadence, halved for VIP and FREQUENT contacts."
    )
    last_contact_at: datetime | None = strawberry.field(
        description="The latest interaction that met them, by anyone on our team; null when never met."
    )
    days_overdue: int | None = strawberry.field(
        description="Whole days since the contact fell due; null when we have never met them."
    )
    reason: str

    @strawberry.field
    def stakeholder(self) -> Stakeholder:
        return self.refs.people[self.row.stakeholder]


@strawberry.type
class Broker:
    row: strawberry.Private[analytics.Broker]
    refs: strawberry.Private[Refs]
    betweenness: float = strawberry.field(
        description="Betweenness centrality on the network of links, ties and reporting lines, normalised to [0, 1]."
    )
    covered: bool = strawberry.field(description="Whether someone on our team covers them.")
    reason: str

    @strawberry.field
    def stakeholder(self) -> Stakeholder:
        return self.refs.people[self.row.stakeholder]


@strawberry.type
class AccountAnalyticsV2(AccountAnalytics):
    async def _overdue(
        self, info: strawberry.Info[Context], as_of: datetime | None, map_as_of: datetime | None
    ) -> tuple[AccountGraph, analytics.Ranked[analytics.OverdueContact]]:
        graph = await self._snapshot(info, None, map_as_of)
        return graph, await computed(info, "overdueContacts", graph, analytics.overdue_contacts, as_of)

    @strawberry.field(
        description="Stakeholders due for a contact by the account's visit cadence (tier, portfolio class) and "
        "their contact tier, as of `asOf` (default now): never met first, then most days overdue, then "
        "leverage desc, then name; the first `first`, `overdueContactCount` counts them all."
    )
    async def overdue_contacts(
        self,
        info: strawberry.Info[Context],
        as_of: AsOfMoment = None,
        map_as_of: MapAsOf = None,
        first: First = DEFAULT_FIRST_OVERDUE_CONTACTS,
    ) -> list[OverdueContact]:
        count = bounded_first(first, DEFAULT_FIRST_OVERDUE_CONTACTS)
        graph, ranked = await self._overdue(info, as_of, map_as_of)
        rows = ranked[:count]
        refs = await load_refs(info, graph, people=[r.stakeholder for r in rows])
        return [
            OverdueContact(
                row=r,
                refs=refs,
                due_interval_days=r.due_interval_days,
                last_contact_at=r.last_contact_at,
                days_overdue=r.days_overdue,
                reason=r.reason,
            )
            for r in rows
        ]

    @strawberry.field(description="How many rows `overdueContacts` has in all, for the same `asOf`.")
    async def overdue_contact_count(
        self, info: strawberry.Info[Context], as_of: AsOfMoment = None, map_as_of: MapAsOf = None
    ) -> int:
        _, ranked = await self._overdue(info, as_of, map_as_of)
        return len(ranked)

    @strawberry.field(
        description="Who bridges the account's factions: stakeholders by betweenness desc (those with none left "
        "out), then influence desc, then name, each saying whether we cover them; the first `first`, "
        "`brokerCount` counts them all."
    )
    async def brokers(
        self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST_BROKERS, as_of: AsOf = None
    ) -> list[Broker]:
        count = bounded_first(first, DEFAULT_FIRST_BROKERS)
        graph = await self._snapshot(info, None, as_of)
        rows = (await computed(info, "brokers", graph, analytics.brokers))[:count]
        refs = await load_refs(info, graph, people=[r.stakeholder for r in rows])
        return [Broker(row=r, refs=refs, betweenness=r.betweenness, covered=r.covered, reason=r.reason) for r in rows]

    @strawberry.field(description="How many rows `brokers` has in all.")
    async def broker_count(self, info: strawberry.Info[Context], as_of: AsOf = None) -> int:
        graph = await self._snapshot(info, None, as_of)
        return len(await computed(info, "brokers", graph, analytics.brokers))
