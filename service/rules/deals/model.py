"""Deals as plain, immutable domain objects (DOMAIN.md, "Deals").

References (`stakeholder`, `owner`, `competitor`, `rep`) hold internal ids; in an import document's
deal section (`document.DealSection`) the same types hold the source's external ids instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from service.rules.deals.enums import BuyClass, DecisionStage, OpportunityStatus, SalesStage
from service.rules.deals.policy import WIN_PROBABILITY
from service.rules.enums import AccountTier, BuyerType, BuyingRole, PortfolioClass


@dataclass(frozen=True, slots=True)
class BurningIssue:
    """B.I. (燃眉之急): qualified only when all three flags are true; None means unknown."""

    text: str
    owner: str | None = None
    personal: bool | None = None
    time_immediate: bool | None = None
    certain: bool | None = None


@dataclass(frozen=True, slots=True)
class Ucv:
    """UCV (独到的客户价值); None flags and dates are unknown."""

    text: str
    measurable: bool | None = None
    metric: str | None = None
    deliverable_by: date | None = None
    customer_deadline: date | None = None
    unique: bool | None = None


@dataclass(frozen=True, slots=True)
class Opportunity:
    id: str
    name: str
    sales_stage: SalesStage = SalesStage.G
    status: OpportunityStatus = OpportunityStatus.OPEN
    buy_class: BuyClass | None = None
    estimated_value: Decimal | None = None
    currency: str | None = None
    """ISO 4217, e.g. CNY; required with a value."""
    expected_close_date: date | None = None
    procurement_step: int | None = None
    """The customer's procurement step 1..12 (`policy.PROCUREMENT_STEP_NAMES`)."""
    decision_stage: DecisionStage | None = None
    burning_issue: BurningIssue | None = None
    ucv: Ucv | None = None

    @property
    def win_probability(self) -> int:
        """Percent, from the sales stage."""
        return WIN_PROBABILITY[self.sales_stage]


@dataclass(frozen=True, slots=True)
class BuyingCentreMember:
    """A stakeholder in an opportunity's buying centre. Roles and types given here (even empty) replace
    the account-level ones for this deal; None keeps the account's."""

    stakeholder: str
    buying_roles: tuple[BuyingRole, ...] | None = None
    buyer_types: tuple[BuyerType, ...] | None = None
    handler: bool = False
    """经手人士: the person handling the matter on the customer's side."""
    project_lead: bool = False
    """项目负责人."""


@dataclass(frozen=True, slots=True)
class Competitor:
    """A competing supplier, per workspace."""

    id: str
    name: str
    origin: str | None = None
    """e.g. 国外公司, 国内同行."""


@dataclass(frozen=True, slots=True)
class Involvement:
    """A competitor involved in one opportunity; incumbency belongs to the deal, not the competitor."""

    competitor: str
    incumbent: bool = False


@dataclass(frozen=True, slots=True)
class CompetitorRep:
    id: str
    name: str
    competitor: str


@dataclass(frozen=True, slots=True)
class RepContact:
    """A competitor's rep working a stakeholder (one per rep and stakeholder)."""

    rep: str
    stakeholder: str
    visits_per_month: float | None = None
    typical_minutes: int | None = None
    form: str | None = None
    """How the rep builds the relation, e.g. 商务宴请."""
    topics: tuple[str, ...] = ()
    strength: int | None = None
    """1..5; unrated counts as `policy.UNRATED_CONTACT_STRENGTH`."""


@dataclass(frozen=True, slots=True)
class Favour:
    """A stakeholder favours a competitor (one per stakeholder and competitor)."""

    stakeholder: str
    competitor: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CompetitorScore:
    competitor: str
    score: int


@dataclass(frozen=True, slots=True)
class Care:
    """A stakeholder cares about a criterion, with weight 1..5."""

    stakeholder: str
    weight: int


@dataclass(frozen=True, slots=True)
class Criterion:
    """One row of the 项目评估矩阵: its weight, our score and the competitors' (1..5), who cares."""

    name: str
    weight: float
    our_score: int
    competitor_scores: tuple[CompetitorScore, ...] = ()
    cares: tuple[Care, ...] = ()


@dataclass(frozen=True, slots=True)
class Scorecard:
    criteria: tuple[Criterion, ...] = ()
    """Weights sum to 1; names are unique."""


@dataclass(frozen=True, slots=True)
class Deal:
    """An opportunity with what belongs to it alone."""

    opportunity: Opportunity
    buying_centre: tuple[BuyingCentreMember, ...] = ()
    competitors: tuple[Involvement, ...] = ()
    scorecard: Scorecard | None = None


@dataclass(frozen=True, slots=True)
class DealSnapshot:
    """What the deal analytics read besides the account's `AccountGraph`: the deal, the competitors
    it names (involved, favoured or employing a rep who contacts someone), their reps, the reps'
    contacts with the account's people and those people's favours, and the account's cadence inputs."""

    deal: Deal
    competitors: tuple[Competitor, ...] = ()
    reps: tuple[CompetitorRep, ...] = ()
    contacts: tuple[RepContact, ...] = ()
    favours: tuple[Favour, ...] = ()
    account_tier: AccountTier | None = None
    portfolio_class: PortfolioClass | None = None
    account_id: str | None = None
    """The opportunity's account, when read from the store."""

    @property
    def opportunity(self) -> Opportunity:
        return self.deal.opportunity


@dataclass(frozen=True, slots=True)
class OpportunityRecord:
    """An opportunity as stored: the domain object with its account, external id and bookkeeping."""

    opportunity: Opportunity
    account_id: str
    source: str | None = None
    external_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def id(self) -> str:
        return self.opportunity.id

    @property
    def name(self) -> str:
        return self.opportunity.name
