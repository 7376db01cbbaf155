"""Deals (DOMAIN.md "Deals", items 19-22): opportunities, buying centres, competitors and the
scorecard, as pure domain rules. A deal is read as a `DealSnapshot` beside the account's
`AccountGraph`; `deal_view` turns the account into the deal's view, on which every account analytic
runs unchanged. Analytics return full ordered lists: the API cuts `first`.

Stored in Neo4j as `service/graph/migrations.py` describes (field maps in `stored.py`; the change log's
rows in `changes.py`; the import's deal step in `import_plan.py`). The API: `Account.opportunities`,
`Opportunity` (its parts, and `scorecard`, `qualification`, `competitorThreats`,
`informationCompleteness`), `Query.competitors`, an `opportunity` argument on every account analytic, the
mutations listed in `service/schema/mutations/deals.py`, and the deal sections of `accountGraphImport`
(`document.DealSection`) and `Account.exportDocument`.
"""

from service.rules.deals.cadence import cadence_days
from service.rules.deals.completeness import InformationCheck, InformationCompleteness, information_completeness
from service.rules.deals.document import DealSection, validate_deal_section
from service.rules.deals.enums import (
    BuyClass,
    DecisionStage,
    InformationItem,
    OpportunityStatus,
    QualificationCheck,
    SalesStage,
    StageAlignment,
    StageGate,
)
from service.rules.deals.gates import GateResult
from service.rules.deals.model import (
    BurningIssue,
    BuyingCentreMember,
    Care,
    Competitor,
    CompetitorRep,
    CompetitorScore,
    Criterion,
    Deal,
    DealSnapshot,
    Favour,
    Involvement,
    Opportunity,
    RepContact,
    Scorecard,
    Ucv,
)
from service.rules.deals.qualification import CheckResult, Qualification, QualificationPart, qualification
from service.rules.deals.scorecard import (
    CaringMember,
    CompetitorAhead,
    LostCriterion,
    ScorecardAnalysis,
    SupplierTotal,
    scorecard,
)
from service.rules.deals.threats import CompetitorThreat, competitor_threats
from service.rules.deals.validation import (
    validate_buying_centre,
    validate_buying_centre_member,
    validate_competitor,
    validate_competitor_rep,
    validate_favour,
    validate_involvements,
    validate_opportunity,
    validate_rep_contact,
    validate_scorecard,
)
from service.rules.deals.view import deal_view

__all__ = [
    "BurningIssue",
    "BuyClass",
    "BuyingCentreMember",
    "Care",
    "CaringMember",
    "CheckResult",
    "Competitor",
    "CompetitorAhead",
    "CompetitorRep",
    "CompetitorScore",
    "CompetitorThreat",
    "Criterion",
    "Deal",
    "DealSection",
    "DealSnapshot",
    "DecisionStage",
    "Favour",
    "GateResult",
    "InformationCheck",
    "InformationCompleteness",
    "InformationItem",
    "Involvement",
    "LostCriterion",
    "Opportunity",
    "OpportunityStatus",
    "Qualification",
    "QualificationCheck",
    "QualificationPart",
    "RepContact",
    "SalesStage",
    "Scorecard",
    "ScorecardAnalysis",
    "StageAlignment",
    "StageGate",
    "SupplierTotal",
    "Ucv",
    "cadence_days",
    "competitor_threats",
    "deal_view",
    "information_completeness",
    "qualification",
    "scorecard",
    "validate_buying_centre",
    "validate_buying_centre_member",
    "validate_competitor",
    "validate_competitor_rep",
    "validate_deal_section",
    "validate_favour",
    "validate_involvements",
    "validate_opportunity",
    "validate_rep_contact",
    "validate_scorecard",
]
