"""Stakeholder: a customer-side person, with the intelligence fields strategists own."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from service.graph.pages import StakeholderFilter
from service.rules import models
from service.rules.analytics import ContactDue, contact_due
from service.rules.paging import HistoryPosition, Page, SortKey
from service.schema.context import Context
from service.schema.enums import (
    Adaptability,
    BuyerType,
    BuyingRole,
    ContactTier,
    OrgLevel,
    Personality,
    Stance,
)
from service.schema.ids import encode_id
from service.schema.pagination import bounded_first, decode_history_cursor, encode_cursor, encode_history_cursor
from service.schema.preloaded import NOT_LOADED, NOTHING_PRELOADED, Later, Preloaded
from service.schema.types.common import ExternalId, Node, PageInfo

if TYPE_CHECKING:
    from service.schema.types.account import Account
    from service.schema.types.circle import CircleMembership
    from service.schema.types.competitor import Favour, RepContact
    from service.schema.types.links import InfluenceLink, Tie
    from service.schema.types.team import Coverage

AccountRef = Annotated["Account", strawberry.lazy("service.schema.types.account")]
CircleMembershipRef = Annotated["CircleMembership", strawberry.lazy("service.schema.types.circle")]
InfluenceLinkRef = Annotated["InfluenceLink", strawberry.lazy("service.schema.types.links")]
TieRef = Annotated["Tie", strawberry.lazy("service.schema.types.links")]
CoverageRef = Annotated["Coverage", strawberry.lazy("service.schema.types.team")]
FavourRef = Annotated["Favour", strawberry.lazy("service.schema.types.competitor")]
RepContactRef = Annotated["RepContact", strawberry.lazy("service.schema.types.competitor")]


@strawberry.type(description="One recorded change to a stakeholder's intelligence, links or coverage.")
class Change:
    at: datetime
    by: str = strawberry.field(description="Who made it: the acting principal (a key, a user, or the service).")
    entity: str = strawberry.field(
        description="What changed: Stakeholder, InfluenceLink, Tie, Membership, Coverage, Interaction, ..."
    )
    entity_id: str = strawberry.field(description="The changed entity's internal id (composite for relations).")
    operation: str = strawberry.field(description="CREATED, UPDATED, ARCHIVED, RESTORED or DELETED.")
    field: str
    old_value: str | None = strawberry.field(description="The previous value as JSON; null when created.")
    new_value: str | None = strawberry.field(description="The new value as JSON; null when removed.")
    cursor: str = strawberry.field(description="Pass as `after` to read the changes older than this one.")

    @classmethod
    def from_domain(cls, change: models.Change) -> Change:
        return cls(
            at=change.at,
            by=change.by,
            entity=change.entity,
            entity_id=change.entity_id,
            operation=change.op,
            field=change.field,
            old_value=None if change.old is None else json.dumps(change.old, ensure_ascii=False),
            new_value=None if change.new is None else json.dumps(change.new, ensure_ascii=False),
            cursor=encode_history_cursor(HistoryPosition(change.at, change.id, change.index)),
        )


@strawberry.type
class Stakeholder(Node):
    raw_id: strawberry.Private[str]
    account_id: strawberry.Private[str]
    name: str
    title: str | None
    department: str | None
    email: str | None
    phone: str | None
    level: OrgLevel | None
    stance: Stance
    influence: int | None
    buying_roles: list[BuyingRole]
    buyer_types: list[BuyerType]
    adaptability: Adaptability | None
    personality: Personality | None
    contact_tier: ContactTier | None
    notes: str | None
    archived: bool
    version: int
    updated_at: datetime
    preloaded: strawberry.Private[Preloaded] = NOTHING_PRELOADED

    @classmethod
    def from_domain(cls, s: models.Stakeholder) -> Stakeholder:
        return cls(
            id=strawberry.ID(encode_id("Stakeholder", s.id)),
            raw_id=s.id,
            account_id=s.account_id,
            name=s.name,
            title=s.title,
            department=s.department,
            email=s.email,
            phone=s.phone,
            level=s.level,
            stance=s.stance,
            influence=s.influence,
            buying_roles=list(s.buying_roles),
            buyer_types=list(s.buyer_types),
            adaptability=s.adaptability,
            personality=s.personality,
            contact_tier=s.contact_tier,
            notes=s.notes,
            archived=s.archived,
            version=s.version,
            updated_at=s.updated_at or datetime.min,
        )

    @strawberry.field
    async def account(self, info: strawberry.Info[Context]) -> AccountRef:
        from service.schema.types.account import Account

        account = await info.context.loaders.account.load(self.account_id)
        assert account is not None, "every stakeholder belongs to an account"
        return Account.from_domain(account)

    @strawberry.field
    async def external_ids(self, info: strawberry.Info[Context]) -> list[ExternalId]:
        found = await info.context.loaders.stakeholder_external_ids.load(self.raw_id)
        return [ExternalId.from_domain(e) for e in found]

    @strawberry.field(graphql_type="Stakeholder | None")
    def reports_to(self, info: strawberry.Info[Context]) -> Stakeholder | None | Awaitable[Stakeholder | None]:
        found = self.preloaded.reports_to
        return Later(lambda: _manager(info, self.raw_id)) if found is NOT_LOADED else found

    @strawberry.field(graphql_type="list[Stakeholder]")
    def direct_reports(self, info: strawberry.Info[Context]) -> list[Stakeholder] | Awaitable[list[Stakeholder]]:
        found = self.preloaded.direct_reports
        return Later(lambda: _direct_reports(info, self.raw_id)) if found is NOT_LOADED else found

    @strawberry.field(graphql_type=list[CircleMembershipRef])
    def circles(self, info: strawberry.Info[Context]) -> list[CircleMembership] | Awaitable[list[CircleMembership]]:
        found = self.preloaded.circles
        return Later(lambda: _circles(info, self.raw_id)) if found is NOT_LOADED else found

    @strawberry.field(graphql_type=list[InfluenceLinkRef])
    def influences(self, info: strawberry.Info[Context]) -> list[InfluenceLink] | Awaitable[list[InfluenceLink]]:
        found = self.preloaded.influences
        return Later(lambda: _influences_from(info, self.raw_id)) if found is NOT_LOADED else found

    @strawberry.field(graphql_type=list[InfluenceLinkRef])
    def influenced_by(self, info: strawberry.Info[Context]) -> list[InfluenceLink] | Awaitable[list[InfluenceLink]]:
        found = self.preloaded.influenced_by
        return Later(lambda: _influences_to(info, self.raw_id)) if found is NOT_LOADED else found

    @strawberry.field(graphql_type=list[TieRef])
    def ties(self, info: strawberry.Info[Context]) -> list[Tie] | Awaitable[list[Tie]]:
        found = self.preloaded.ties
        return Later(lambda: _ties(info, self.raw_id)) if found is NOT_LOADED else found

    @strawberry.field(graphql_type=list[CoverageRef])
    def covered_by(self, info: strawberry.Info[Context]) -> list[Coverage] | Awaitable[list[Coverage]]:
        found = self.preloaded.covered_by
        return Later(lambda: _coverage(info, self.raw_id)) if found is NOT_LOADED else found

    @strawberry.field
    async def last_contact_at(self, info: strawberry.Info[Context]) -> datetime | None:
        return await info.context.loaders.last_contact.load(self.raw_id)

    async def _contact_due(self, info: strawberry.Info[Context]) -> ContactDue | None:
        """From the account's analytics snapshot (one per account and request, shared with the analytics)."""
        graph = await info.context.loaders.account_graph.load(self.account_id)
        return contact_due(graph, self.raw_id)

    @strawberry.field(
        description="Days between contacts with this person: the account's cadence (`Account.cadenceDays`), "
        "halved for VIP and FREQUENT contacts; null for contact tier NONE and for archived people."
    )
    async def contact_interval_days(self, info: strawberry.Info[Context]) -> int | None:
        due = await self._contact_due(info)
        return None if due is None else due.due_interval_days

    @strawberry.field(
        description="When this person is next due for a contact: the last contact plus `contactIntervalDays`. "
        "Null when never due (see `contactIntervalDays`) or never met (then due at once)."
    )
    async def contact_due_at(self, info: strawberry.Info[Context]) -> datetime | None:
        due = await self._contact_due(info)
        return None if due is None else due.due_at

    @strawberry.field(
        description="The competitors they favour, by name: the first `first` (0 to 100, default 20); "
        "`favourCount` counts them all."
    )
    async def favours(self, info: strawberry.Info[Context], first: int | None = None) -> list[FavourRef]:
        from service.schema.types.competitor import Favour

        found = await info.context.loaders.favours_of_stakeholder.load(self.raw_id)
        return [Favour.from_domain(f) for f in found.items[: bounded_first(first, 20)]]

    @strawberry.field
    async def favour_count(self, info: strawberry.Info[Context]) -> int:
        return (await info.context.loaders.favours_of_stakeholder.load(self.raw_id)).total

    @strawberry.field(
        description="Competitors' reps working this person, by the rep's name: the first `first` (0 to 100, "
        "default 20); `competitorContactCount` counts them all."
    )
    async def competitor_contacts(
        self, info: strawberry.Info[Context], first: int | None = None
    ) -> list[RepContactRef]:
        from service.schema.types.competitor import RepContact

        found = await info.context.loaders.contacts_of_stakeholder.load(self.raw_id)
        return [RepContact.from_domain(c) for c in found.items[: bounded_first(first, 20)]]

    @strawberry.field
    async def competitor_contact_count(self, info: strawberry.Info[Context]) -> int:
        return (await info.context.loaders.contacts_of_stakeholder.load(self.raw_id)).total

    @strawberry.field(
        description="Changes to this person's fields, reporting line, links, ties, circles, coverage and visits, "
        "newest first, one changed value a row; at most 100 a page, `after` a row's cursor."
    )
    async def history(self, info: strawberry.Info[Context], first: int = 50, after: str | None = None) -> list[Change]:
        limit = bounded_first(first, 50)
        position = None if after is None else decode_history_cursor(after, "after")
        found = await info.context.loaders.history.load((self.raw_id, limit, position))
        return [Change.from_domain(c) for c in found]


class StakeholderReference(Stakeholder):
    """A stakeholder of whom only the id is known, for where the query selects nothing else of it (the
    resolver that builds one has checked its selection): reading any other field fails."""

    def __init__(self, raw_id: str) -> None:  # not the dataclass initialiser: no record to fill it from
        self.id = strawberry.ID(encode_id("Stakeholder", raw_id))
        self.raw_id = raw_id
        self.preloaded = NOTHING_PRELOADED


async def _manager(info: strawberry.Info[Context], raw_id: str) -> Stakeholder | None:
    manager = await info.context.loaders.manager.load(raw_id)
    return None if manager is None else Stakeholder.from_domain(manager)


async def _direct_reports(info: strawberry.Info[Context], raw_id: str) -> list[Stakeholder]:
    return [Stakeholder.from_domain(s) for s in await info.context.loaders.direct_reports.load(raw_id)]


async def _circles(info: strawberry.Info[Context], raw_id: str) -> list[CircleMembership]:
    from service.schema.types.circle import CircleMembership

    return [CircleMembership.loading(info, m) for m in await info.context.loaders.memberships.load(raw_id)]


async def _influences_from(info: strawberry.Info[Context], raw_id: str) -> list[InfluenceLink]:
    from service.schema.types.links import InfluenceLink

    return [InfluenceLink.loading(info, link) for link in await info.context.loaders.influences_from.load(raw_id)]


async def _influences_to(info: strawberry.Info[Context], raw_id: str) -> list[InfluenceLink]:
    from service.schema.types.links import InfluenceLink

    return [InfluenceLink.loading(info, link) for link in await info.context.loaders.influences_to.load(raw_id)]


async def _ties(info: strawberry.Info[Context], raw_id: str) -> list[Tie]:
    from service.schema.types.links import Tie

    return [Tie.loading(info, t) for t in await info.context.loaders.ties_of_stakeholder.load(raw_id)]


async def _coverage(info: strawberry.Info[Context], raw_id: str) -> list[Coverage]:
    from service.schema.types.team import Coverage

    return [Coverage.loading(info, c) for c in await info.context.loaders.coverage_of_stakeholder.load(raw_id)]


@strawberry.type
class StakeholderEdge:
    cursor: str
    node: Stakeholder


@strawberry.type
class StakeholderConnection:
    page: strawberry.Private[Page[models.Stakeholder]]
    people: strawberry.Private[list[Stakeholder]]
    """The page's items as GraphQL objects, in order, with what was read around them."""
    account_id: strawberry.Private[str]
    filter_key: strawberry.Private[StakeholderFilter]
    known_total: strawberry.Private[int | None] = None
    """The count, when the page was cut from a list in hand (the map as of a date)."""

    @strawberry.field
    def edges(self) -> list[StakeholderEdge]:
        return [
            StakeholderEdge(cursor=encode_cursor(SortKey(s.name, s.id)), node=node)
            for s, node in zip(self.page.items, self.people, strict=True)
        ]

    @strawberry.field
    def nodes(self) -> list[Stakeholder]:
        return self.people

    @strawberry.field
    def page_info(self) -> PageInfo:
        return PageInfo.of(self.page)

    @strawberry.field(description="All stakeholders matching the filters, across pages.")
    async def total_count(self, info: strawberry.Info[Context]) -> int:
        if self.known_total is not None:
            return self.known_total
        return await info.context.loaders.stakeholder_count.load((self.account_id, self.filter_key))
