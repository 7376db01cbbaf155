"""Stakeholder: a customer-side person, with the intelligence fields strategists own."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from service.graph.pages import StakeholderFilter
from service.rules import models
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
from service.schema.types.common import ExternalId, Node, PageInfo

if TYPE_CHECKING:
    from service.schema.types.account import Account
    from service.schema.types.circle import CircleMembership
    from service.schema.types.links import InfluenceLink, Tie
    from service.schema.types.team import Coverage

AccountRef = Annotated["Account", strawberry.lazy("service.schema.types.account")]
CircleMembershipRef = Annotated["CircleMembership", strawberry.lazy("service.schema.types.circle")]
InfluenceLinkRef = Annotated["InfluenceLink", strawberry.lazy("service.schema.types.links")]
TieRef = Annotated["Tie", strawberry.lazy("service.schema.types.links")]
CoverageRef = Annotated["Coverage", strawberry.lazy("service.schema.types.team")]


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

    @strawberry.field
    async def reports_to(self, info: strawberry.Info[Context]) -> Stakeholder | None:
        manager = await info.context.loaders.manager.load(self.raw_id)
        return None if manager is None else Stakeholder.from_domain(manager)

    @strawberry.field
    async def direct_reports(self, info: strawberry.Info[Context]) -> list[Stakeholder]:
        return [Stakeholder.from_domain(s) for s in await info.context.loaders.direct_reports.load(self.raw_id)]

    @strawberry.field
    async def circles(self, info: strawberry.Info[Context]) -> list[CircleMembershipRef]:
        from service.schema.types.circle import CircleMembership

        found = await info.context.loaders.memberships.load(self.raw_id)
        return [CircleMembership(circle_id=m.circle_id, core=m.core) for m in found]

    @strawberry.field
    async def influences(self, info: strawberry.Info[Context]) -> list[InfluenceLinkRef]:
        from service.schema.types.links import InfluenceLink

        found = await info.context.loaders.influences_from.load(self.raw_id)
        return [InfluenceLink.from_domain(link) for link in found]

    @strawberry.field
    async def influenced_by(self, info: strawberry.Info[Context]) -> list[InfluenceLinkRef]:
        from service.schema.types.links import InfluenceLink

        found = await info.context.loaders.influences_to.load(self.raw_id)
        return [InfluenceLink.from_domain(link) for link in found]

    @strawberry.field
    async def ties(self, info: strawberry.Info[Context]) -> list[TieRef]:
        from service.schema.types.links import Tie

        return [Tie.from_domain(t) for t in await info.context.loaders.ties_of_stakeholder.load(self.raw_id)]

    @strawberry.field
    async def covered_by(self, info: strawberry.Info[Context]) -> list[CoverageRef]:
        from service.schema.types.team import Coverage

        found = await info.context.loaders.coverage_of_stakeholder.load(self.raw_id)
        return [Coverage.from_domain(c) for c in found]

    @strawberry.field
    async def last_contact_at(self, info: strawberry.Info[Context]) -> datetime | None:
        return await info.context.loaders.last_contact.load(self.raw_id)

    @strawberry.field(
        description="Changes to this person's fields, reporting line, links, ties, circles, coverage and visits, "
        "newest first, one changed value a row; at most 100 a page, `after` a row's cursor."
    )
    async def history(self, info: strawberry.Info[Context], first: int = 50, after: str | None = None) -> list[Change]:
        limit = bounded_first(first, 50)
        position = None if after is None else decode_history_cursor(after, "after")
        found = await info.context.loaders.history.load((self.raw_id, limit, position))
        return [Change.from_domain(c) for c in found]


@strawberry.type
class StakeholderEdge:
    cursor: str
    node: Stakeholder


@strawberry.type
class StakeholderConnection:
    page: strawberry.Private[Page[models.Stakeholder]]
    account_id: strawberry.Private[str]
    filter_key: strawberry.Private[StakeholderFilter]

    @strawberry.field
    def edges(self) -> list[StakeholderEdge]:
        return [
            StakeholderEdge(cursor=encode_cursor(SortKey(s.name, s.id)), node=Stakeholder.from_domain(s))
            for s in self.page.items
        ]

    @strawberry.field
    def nodes(self) -> list[Stakeholder]:
        return [Stakeholder.from_domain(s) for s in self.page.items]

    @strawberry.field
    def page_info(self) -> PageInfo:
        return PageInfo.of(self.page)

    @strawberry.field(description="All stakeholders matching the filters, across pages.")
    async def total_count(self, info: strawberry.Info[Context]) -> int:
        return await info.context.loaders.stakeholder_count.load((self.account_id, self.filter_key))
