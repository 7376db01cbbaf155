"""Opportunity (销售机会): a deal on an account, with its burning issue, UCV, buying centre, competitors and
scorecard, and the deal analytics (DOMAIN.md "Deals", items 19-22).

An opportunity's deal parts and analytics read its deal snapshot (`loaders.deal`: every opportunity of the
request in one round trip) beside the account's snapshot, so a page of opportunities with their analytics
costs a fixed number of reads."""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from service.rules import deals
from service.rules.account_graph import AccountGraph
from service.rules.analytics.policy import DEFAULT_MAX_HOPS
from service.rules.deals.model import OpportunityRecord
from service.rules.deals.policy import PROCUREMENT_STEP_NAMES, SALES_STAGE_NAMES
from service.rules.paging import Page, SortKey
from service.schema.context import Context
from service.schema.enums import BuyClass, BuyerType, BuyingRole, DecisionStage, OpportunityStatus, SalesStage
from service.schema.ids import encode_id
from service.schema.pagination import encode_cursor
from service.schema.types.account_analytics import computed
from service.schema.types.bounded import DEFAULT_FIRST, First, first_of
from service.schema.types.common import ExternalId, Node, PageInfo
from service.schema.types.competitor import Competitor
from service.schema.types.deal_analytics import (
    CompetitorThreat,
    InformationCompleteness,
    Qualification,
    Scorecard,
    completeness_of,
    qualification_of,
    scorecard_of,
    threats_of,
)
from service.schema.types.links import load_stakeholder, load_stakeholders
from service.schema.types.stakeholder import Stakeholder

if TYPE_CHECKING:
    from service.schema.types.account import Account

AccountRef = Annotated["Account", strawberry.lazy("service.schema.types.account")]


@strawberry.type(
    description="The B.I. (燃眉之急): qualified only when personal, time-immediate and certain are all true."
)
class BurningIssue:
    owner_id: strawberry.Private[str | None]
    text: str
    personal: bool | None = strawberry.field(description="Null: unknown.")
    time_immediate: bool | None
    certain: bool | None

    @strawberry.field(description="The stakeholder whose issue it is.")
    async def owner(self, info: strawberry.Info[Context]) -> Stakeholder | None:
        return None if self.owner_id is None else await load_stakeholder(info, self.owner_id)

    @strawberry.field(description="All three flags are true.")
    def qualified(self) -> bool:
        return self.personal is True and self.time_immediate is True and self.certain is True


@strawberry.type(description="The UCV (独到的客户价值).")
class Ucv:
    text: str
    measurable: bool | None
    metric: str | None
    deliverable_by: date | None
    customer_deadline: date | None
    unique: bool | None


@strawberry.type(description="A stakeholder in the opportunity's buying centre.")
class BuyingCentreMember:
    stakeholder: Stakeholder
    buying_roles: list[BuyingRole] | None = strawberry.field(
        description="The roles in this deal; null: the account-level roles apply."
    )
    buyer_types: list[BuyerType] | None = strawberry.field(
        description="The buyer types in this deal; null: the account-level types apply."
    )
    effective_buying_roles: list[BuyingRole] = strawberry.field(description="What holds in this deal.")
    effective_buyer_types: list[BuyerType]
    handler: bool = strawberry.field(description="经手人士: handles the matter on the customer's side.")
    project_lead: bool = strawberry.field(description="项目负责人.")

    @classmethod
    def of(cls, member: deals.BuyingCentreMember, stakeholder: Stakeholder) -> BuyingCentreMember:
        roles = None if member.buying_roles is None else list(member.buying_roles)
        types = None if member.buyer_types is None else list(member.buyer_types)
        return cls(
            stakeholder=stakeholder,
            buying_roles=roles,
            buyer_types=types,
            effective_buying_roles=stakeholder.buying_roles if roles is None else roles,
            effective_buyer_types=stakeholder.buyer_types if types is None else types,
            handler=member.handler,
            project_lead=member.project_lead,
        )


@strawberry.type(description="A competitor involved in the opportunity; incumbency belongs to the deal.")
class OpportunityCompetitor:
    competitor: Competitor
    incumbent: bool


def _burning_issue(issue: deals.BurningIssue | None) -> BurningIssue | None:
    if issue is None:
        return None
    return BurningIssue(
        owner_id=issue.owner,
        text=issue.text,
        personal=issue.personal,
        time_immediate=issue.time_immediate,
        certain=issue.certain,
    )


def _ucv(ucv: deals.Ucv | None) -> Ucv | None:
    if ucv is None:
        return None
    return Ucv(
        text=ucv.text,
        measurable=ucv.measurable,
        metric=ucv.metric,
        deliverable_by=ucv.deliverable_by,
        customer_deadline=ucv.customer_deadline,
        unique=ucv.unique,
    )


@strawberry.type(description="A sales opportunity (销售机会) on an account.")
class Opportunity(Node):
    raw_id: strawberry.Private[str]
    record: strawberry.Private[OpportunityRecord]
    answers: strawberry.Private[dict[Any, Any]] = field(default_factory=dict)
    name: str = ""
    buy_class: BuyClass | None = None
    estimated_value: Decimal | None = strawberry.field(default=None, description="The budget, in `currency`.")
    currency: str | None = strawberry.field(default=None, description="ISO 4217, e.g. CNY.")
    expected_close_date: date | None = None
    status: OpportunityStatus = OpportunityStatus.OPEN
    sales_stage: SalesStage = strawberry.field(default=SalesStage.G, description="Our project-selling stage, G..S.")
    sales_stage_name: str = ""
    win_probability: int = strawberry.field(default=0, description="Percent, from the sales stage.")
    procurement_step: int | None = strawberry.field(default=None, description="The customer's procurement step, 1..12.")
    procurement_step_name: str | None = None
    decision_stage: DecisionStage | None = None
    burning_issue: BurningIssue | None = None
    ucv: Ucv | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_record(cls, record: OpportunityRecord) -> Opportunity:
        o = record.opportunity
        step = o.procurement_step
        return cls(
            id=strawberry.ID(encode_id("Opportunity", o.id)),
            raw_id=o.id,
            record=record,
            name=o.name,
            buy_class=o.buy_class,
            estimated_value=o.estimated_value,
            currency=o.currency,
            expected_close_date=o.expected_close_date,
            status=o.status,
            sales_stage=o.sales_stage,
            sales_stage_name=SALES_STAGE_NAMES[o.sales_stage],
            win_probability=o.win_probability,
            procurement_step=step,
            procurement_step_name=None if step is None else PROCUREMENT_STEP_NAMES[step - 1],
            decision_stage=o.decision_stage,
            burning_issue=_burning_issue(o.burning_issue),
            ucv=_ucv(o.ucv),
            created_at=record.created_at,
            updated_at=record.updated_at,
        )

    async def _deal(self, info: strawberry.Info[Context]) -> deals.DealSnapshot:
        found = await info.context.loaders.deal.load(self.raw_id)
        return found if found is not None else deals.DealSnapshot(deals.Deal(self.record.opportunity))

    async def _inputs(self, info: strawberry.Info[Context]) -> tuple[AccountGraph, deals.DealSnapshot]:
        deal = await self._deal(info)
        return await info.context.loaders.account_graph.load(self.record.account_id), deal

    @strawberry.field
    async def account(self, info: strawberry.Info[Context]) -> AccountRef:
        from service.schema.types.account import Account

        account = await info.context.loaders.account.load(self.record.account_id)
        assert account is not None, "every opportunity belongs to an account"
        return Account.from_domain(account)

    @strawberry.field
    def external_ids(self) -> list[ExternalId]:
        source, external_id = self.record.source, self.record.external_id
        return [] if source is None or external_id is None else [ExternalId(source=source, id=external_id)]

    @strawberry.field(
        description="The buying centre's active members by name: the first `first`; `buyingCentreCount` counts them all."
    )
    async def buying_centre(
        self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST
    ) -> list[BuyingCentreMember]:
        members = first_of((await self._deal(info)).deal.buying_centre, first)
        people = await load_stakeholders(info, [m.stakeholder for m in members])
        return [BuyingCentreMember.of(m, p) for m, p in zip(members, people, strict=True)]

    @strawberry.field
    async def buying_centre_count(self, info: strawberry.Info[Context]) -> int:
        return len((await self._deal(info)).deal.buying_centre)

    @strawberry.field(
        description="The competitors involved, by name: the first `first`; `competitorCount` counts them all."
    )
    async def competitors(
        self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST
    ) -> list[OpportunityCompetitor]:
        deal = await self._deal(info)
        known = {c.id: c for c in deal.competitors}
        return [
            OpportunityCompetitor(competitor=Competitor.from_domain(known[i.competitor]), incumbent=i.incumbent)
            for i in first_of(deal.deal.competitors, first)
        ]

    @strawberry.field
    async def competitor_count(self, info: strawberry.Info[Context]) -> int:
        return len((await self._deal(info)).deal.competitors)

    @strawberry.field(
        description="The scorecard (项目评估矩阵) with the weighted total of each supplier and the criteria we lose "
        "with who cares about them; null when none is set."
    )
    async def scorecard(self, info: strawberry.Info[Context]) -> Scorecard | None:
        graph, deal = await self._inputs(info)
        return await scorecard_of(info, graph, deal)

    @strawberry.field(
        description="Whether the deal is qualified (B.I. and UCV) and why not, the gates of our stage, and how our "
        "stage aligns with the customer's procurement step."
    )
    async def qualification(self, info: strawberry.Info[Context]) -> Qualification:
        graph, deal = await self._inputs(info)
        return await qualification_of(info, graph, deal)

    async def _threats(
        self, info: strawberry.Info[Context], max_hops: int | None
    ) -> tuple[AccountGraph, deals.DealSnapshot, list[deals.CompetitorThreat]]:
        graph, deal = await self._inputs(info)
        hops = DEFAULT_MAX_HOPS if max_hops is None else max_hops
        key = ("threats", hops)
        if key not in self.answers:
            self.answers[key] = await computed(info, "competitorThreats", graph, deals.competitor_threats, deal, hops)
        return graph, deal, self.answers[key]

    @strawberry.field(
        description="Buying-centre members who favour a competitor or meet a competitor's rep at least monthly, by "
        "leverage desc, then contact strength desc, then name, each with our best converter: the first `first`; "
        "`competitorThreatCount` counts them all."
    )
    async def competitor_threats(
        self, info: strawberry.Info[Context], max_hops: int | None = DEFAULT_MAX_HOPS, first: First = DEFAULT_FIRST
    ) -> list[CompetitorThreat]:
        graph, deal, rows = await self._threats(info, max_hops)
        return await threats_of(info, graph, deal, first_of(rows, first))

    @strawberry.field(description="How many rows `competitorThreats` has in all, for the same `maxHops`.")
    async def competitor_threat_count(
        self, info: strawberry.Info[Context], max_hops: int | None = DEFAULT_MAX_HOPS
    ) -> int:
        return len((await self._threats(info, max_hops))[2])

    @strawberry.field(
        description="三级信息: how much of what the deal needs we know, level 2 and level 3, with what is missing; "
        "`asOf` (default now) bounds the key-person interaction window."
    )
    async def information_completeness(
        self, info: strawberry.Info[Context], as_of: datetime | None = None
    ) -> InformationCompleteness:
        graph, deal = await self._inputs(info)
        result = await computed(info, "informationCompleteness", graph, deals.information_completeness, deal, as_of)
        return await completeness_of(info, graph, deal, result)


@strawberry.type
class OpportunityEdge:
    cursor: str
    node: Opportunity


@strawberry.type
class OpportunityConnection:
    page: strawberry.Private[Page[OpportunityRecord]]
    account_id: strawberry.Private[str]

    @strawberry.field
    def edges(self) -> list[OpportunityEdge]:
        return [
            OpportunityEdge(cursor=encode_cursor(SortKey(o.name, o.id)), node=Opportunity.from_record(o))
            for o in self.page.items
        ]

    @strawberry.field
    def nodes(self) -> list[Opportunity]:
        return [Opportunity.from_record(o) for o in self.page.items]

    @strawberry.field
    def page_info(self) -> PageInfo:
        return PageInfo.of(self.page)

    @strawberry.field(description="All the account's opportunities, across pages.")
    async def total_count(self, info: strawberry.Info[Context]) -> int:
        return await info.context.loaders.opportunity_count.load(self.account_id)
