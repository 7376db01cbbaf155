"""The deal sections of `AccountGraphInput` (all optional): competitors, their reps, the reps' contacts,
favours and opportunities, keyed by the source's external ids like the rest of the document."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from service.rules import deals
from service.rules.deals.enums import BuyClass, DecisionStage, OpportunityStatus, SalesStage
from service.rules.enums import BuyerType, BuyingRole


@strawberry.input(description="A competitor, identified by the source's external id.")
class CompetitorInput:
    external_id: str
    name: str
    origin: str | None = None


@strawberry.input(description="A competitor's rep; `competitor`: the competitor's externalId in this document.")
class CompetitorRepInput:
    external_id: str
    name: str
    competitor: str


@strawberry.input(description="A rep working a stakeholder of the document (one per rep and stakeholder).")
class CompetitorContactInput:
    rep: str
    stakeholder: str
    visits_per_month: float | None = None
    typical_minutes: int | None = None
    form: str | None = None
    topics: list[str] | None = None
    strength: int | None = None


@strawberry.input(description="A stakeholder of the document favours a competitor of it.")
class FavourInput:
    stakeholder: str
    competitor: str
    note: str | None = None


@strawberry.input(description="The B.I.; each flag null means unknown.")
class BurningIssueInput:
    text: str
    owner: str | None = strawberry.field(default=None, description="externalId of a stakeholder in this document")
    personal: bool | None = None
    time_immediate: bool | None = None
    certain: bool | None = None


@strawberry.input
class UcvInput:
    text: str
    measurable: bool | None = None
    metric: str | None = None
    deliverable_by: date | None = None
    customer_deadline: date | None = None
    unique: bool | None = None


@strawberry.input(
    description="Roles and types given (even empty) replace the account's for this deal; null keeps them."
)
class BuyingCentreMemberInput:
    stakeholder: str
    buying_roles: list[BuyingRole] | None = None
    buyer_types: list[BuyerType] | None = None
    handler: bool = False
    project_lead: bool = False


@strawberry.input
class OpportunityCompetitorInput:
    competitor: str
    incumbent: bool = False


@strawberry.input
class CompetitorScoreInput:
    competitor: str
    score: int


@strawberry.input
class CareInput:
    stakeholder: str
    weight: int


@strawberry.input
class CriterionInput:
    name: str
    weight: float
    our_score: int
    competitor_scores: list[CompetitorScoreInput] | None = None
    cares: list[CareInput] | None = None


@strawberry.input(description="The criteria's weights sum to 1.")
class ScorecardInput:
    criteria: list[CriterionInput]


@strawberry.input(
    description="An opportunity of the account, identified by the source's external id. Its buying centre, "
    "competitors and scorecard are set exactly as given; MERGE keeps members and competitors left out, REPLACE "
    "removes them. A burning issue or UCV left out is kept by MERGE and cleared by REPLACE."
)
class OpportunityInput:
    external_id: str
    name: str
    buy_class: BuyClass | None = None
    estimated_value: Decimal | None = None
    currency: str | None = None
    expected_close_date: date | None = None
    status: OpportunityStatus = OpportunityStatus.OPEN
    sales_stage: SalesStage = SalesStage.G
    procurement_step: int | None = None
    decision_stage: DecisionStage | None = None
    burning_issue: BurningIssueInput | None = None
    ucv: UcvInput | None = None
    buying_centre: list[BuyingCentreMemberInput] | None = None
    competitors: list[OpportunityCompetitorInput] | None = None
    scorecard: ScorecardInput | None = None


def _issue(b: BurningIssueInput | None) -> deals.BurningIssue | None:
    return None if b is None else deals.BurningIssue(b.text, b.owner, b.personal, b.time_immediate, b.certain)


def _ucv(u: UcvInput | None) -> deals.Ucv | None:
    if u is None:
        return None
    return deals.Ucv(u.text, u.measurable, u.metric, u.deliverable_by, u.customer_deadline, u.unique)


def _criterion(c: CriterionInput) -> deals.Criterion:
    return deals.Criterion(
        name=c.name,
        weight=c.weight,
        our_score=c.our_score,
        competitor_scores=tuple(deals.CompetitorScore(s.competitor, s.score) for s in c.competitor_scores or ()),
        cares=tuple(deals.Care(x.stakeholder, x.weight) for x in c.cares or ()),
    )


def _deal(o: OpportunityInput) -> deals.Deal:
    return deals.Deal(
        opportunity=deals.Opportunity(
            id=o.external_id,
            name=o.name,
            sales_stage=o.sales_stage,
            status=o.status,
            buy_class=o.buy_class,
            estimated_value=o.estimated_value,
            currency=o.currency,
            expected_close_date=o.expected_close_date,
            procurement_step=o.procurement_step,
            decision_stage=o.decision_stage,
            burning_issue=_issue(o.burning_issue),
            ucv=_ucv(o.ucv),
        ),
        buying_centre=tuple(
            deals.BuyingCentreMember(
                m.stakeholder,
                None if m.buying_roles is None else tuple(m.buying_roles),
                None if m.buyer_types is None else tuple(m.buyer_types),
                m.handler,
                m.project_lead,
            )
            for m in o.buying_centre or ()
        ),
        competitors=tuple(deals.Involvement(i.competitor, i.incumbent) for i in o.competitors or ()),
        scorecard=None if o.scorecard is None else deals.Scorecard(tuple(_criterion(c) for c in o.scorecard.criteria)),
    )


def to_deal_section(
    competitors: list[CompetitorInput] | None,
    reps: list[CompetitorRepInput] | None,
    contacts: list[CompetitorContactInput] | None,
    favours: list[FavourInput] | None,
    opportunities: list[OpportunityInput] | None,
) -> deals.DealSection:
    """The input's deal sections as the domain's (no validation here)."""
    return deals.DealSection(
        competitors=tuple(deals.Competitor(c.external_id, c.name, c.origin) for c in competitors or ()),
        competitor_reps=tuple(deals.CompetitorRep(r.external_id, r.name, r.competitor) for r in reps or ()),
        competitor_contacts=tuple(
            deals.RepContact(
                c.rep, c.stakeholder, c.visits_per_month, c.typical_minutes, c.form, tuple(c.topics or ()), c.strength
            )
            for c in contacts or ()
        ),
        favours=tuple(deals.Favour(f.stakeholder, f.competitor, f.note) for f in favours or ()),
        opportunities=tuple(_deal(o) for o in opportunities or ()),
    )
