"""Deals (DOMAIN.md "Deals", items 19-22): opportunities, buying centres, competitors and the
scorecard, as pure domain rules. A deal is read as a `DealSnapshot` beside the account's
`AccountGraph`; `deal_view` turns the account into the deal's view, on which every account analytic
runs unchanged. Analytics return full ordered lists: the API cuts `first`.

Proposed stored model (Neo4j; every node and relationship carries `workspaceId`; ids are uuid hex;
external ids through `*Ref {source, externalId}-[:IDENTIFIES]->` as for accounts):

    (:Opportunity {id, accountId, name, buyClass, estimatedValue (decimal string), currency,
                   expectedCloseDate (date), status, salesStage, procurementStep, decisionStage,
                   burningIssueText, burningIssuePersonal, burningIssueTimeImmediate, burningIssueCertain,
                   ucvText, ucvMeasurable, ucvMetric, ucvDeliverableBy, ucvCustomerDeadline, ucvUnique,
                   version, createdAt, updatedAt})
    (:Competitor {id, name, origin})                  -- per workspace
    (:CompetitorRep {id, name})
    (:Criterion {id, opportunityId, position, name, weight, ourScore})
    (:OpportunityRef|CompetitorRef|CompetitorRepRef {source, externalId})-[:IDENTIFIES]->(node)

    (o)-[:FOR_ACCOUNT]->(account)
    (s)-[:IN_BUYING_CENTRE {buyingRoles, buyerTypes, handler, projectLead}]->(o)   -- roles/types null: the account's
    (s)-[:OWNS_BURNING_ISSUE]->(o)
    (c)-[:COMPETES_FOR {incumbent}]->(o)
    (rep)-[:WORKS_FOR]->(c)
    (rep)-[:CONTACTS {visitsPerMonth, typicalMinutes, form, topics, strength}]->(s)
    (s)-[:FAVOURS {note}]->(c)
    (o)-[:HAS_CRITERION]->(criterion)
    (c)-[:SCORED {score}]->(criterion)
    (s)-[:CARES_ABOUT {weight}]->(criterion)

    Constraints: (workspaceId, id) unique on Opportunity, Competitor, CompetitorRep, Criterion;
    (workspaceId, source, externalId) on the three Refs. Index: Opportunity (workspaceId, accountId, name).
    Every write records `Change` nodes (entity Opportunity/Competitor/..., field, old, new); scorecardSet
    replaces the opportunity's criteria in one transaction and records the matrix as one change.

Proposed GraphQL names:

    Account.opportunities(first, after, status): OpportunityConnection
    Opportunity (Node): name buyClass estimatedValue currency expectedCloseDate status salesStage
      winProbability procurementStep procurementStepName decisionStage burningIssue ucv
      buyingCentre: [BuyingCentreMember!]!  competitors: [OpportunityCompetitor!]!
      scorecard: ScorecardAnalysis { criteria totals(first) totalsCount lostCriteria(first) lostCriteriaCount }
      qualification: Qualification { qualified reason burningIssue ucv gates(first) alignment alignmentReason }
      competitorThreats(maxHops, first): [CompetitorThreat!]!  competitorThreatCount
      informationCompleteness(asOf): InformationCompleteness { score level2 level3 missing(first) missingCount }
    Every Account analytic gains `opportunity: ID` (then reads roles from its buying centre).
    Query.competitors(first, after, search): CompetitorConnection; Competitor.reps
    Mutations: opportunityCreate, opportunityUpdate, opportunityDelete, buyingCentreMemberSet,
      buyingCentreMemberRemove, competitorCreate, competitorUpdate, competitorRepCreate,
      competitorContactSet, competitorContactRemove, stakeholderFavourSet, stakeholderFavourRemove,
      scorecardSet; accountGraphImport gains optional `competitors`, `competitorReps`,
      `competitorContacts`, `favours`, `opportunities` (see `document.DealSection`).
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
