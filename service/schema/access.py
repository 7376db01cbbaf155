"""Which GraphQL fields show what (`Reading`), and refusing a query that selects what its caller may not read.

Before a query runs, `ReadPolicy` walks every field (and policed argument) its document selects, with
the type it is selected on, and asks the use cases' read policy (`service.usecases.reading.may_read`)
about each distinct kind of information; a refusal answers a top-level FORBIDDEN error naming the fields,
and nothing runs. The check is made once per document and role (cached), so it costs nothing per row:
a list of 10,000 stakeholders pays for it once, not 10,000 times per field.

Every object type of the schema is classified here (a test walks the schema to make sure): a type is
intelligence or administration as a whole, or every one of its fields is listed, or it is a structural
type (payloads, connections, edges) whose fields show only what their own types show.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping

from graphql import DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from service.rules.access import Principal
from service.schema.limits import SchemaView
from service.schema.walk import fields_below, fragments_of
from service.usecases.reading import Reading, may_read

INTELLIGENCE = Reading.INTELLIGENCE
ADMINISTRATION = Reading.ADMINISTRATION
BASICS = Reading.BASICS

WHOLE_TYPES: Mapping[str, Reading] = {
    # the political map
    "PoliticalCircle": INTELLIGENCE,
    "CircleMember": INTELLIGENCE,
    "CircleMembership": INTELLIGENCE,
    "InfluenceLink": INTELLIGENCE,
    "Tie": INTELLIGENCE,
    "Coverage": INTELLIGENCE,
    "Interaction": INTELLIGENCE,
    "Change": INTELLIGENCE,
    "MapDiff": INTELLIGENCE,
    "StanceMove": INTELLIGENCE,
    "MapLink": INTELLIGENCE,
    "CoveragePair": INTELLIGENCE,
    # the analytics' answers
    "AccessPath": INTELLIGENCE,
    "Broker": INTELLIGENCE,
    "CircleBalance": INTELLIGENCE,
    "CoachCandidate": INTELLIGENCE,
    "ConversionTarget": INTELLIGENCE,
    "CoverageGap": INTELLIGENCE,
    "InfluencePath": INTELLIGENCE,
    "OverdueContact": INTELLIGENCE,
    "PowerMap": INTELLIGENCE,
    "Simulation": INTELLIGENCE,
    "StakeholderPair": INTELLIGENCE,
    "SupporterConsolidation": INTELLIGENCE,
    # deals: opportunities, buying centres, competitors, scorecards and their analytics
    "BurningIssue": INTELLIGENCE,
    "BuyingCentreMember": INTELLIGENCE,
    "Care": INTELLIGENCE,
    "CaringMember": INTELLIGENCE,
    "Competitor": INTELLIGENCE,
    "CompetitorAhead": INTELLIGENCE,
    "CompetitorRep": INTELLIGENCE,
    "CompetitorScore": INTELLIGENCE,
    "CompetitorThreat": INTELLIGENCE,
    "Favour": INTELLIGENCE,
    "InformationCheck": INTELLIGENCE,
    "InformationCompleteness": INTELLIGENCE,
    "LostCriterion": INTELLIGENCE,
    "Opportunity": INTELLIGENCE,
    "OpportunityCompetitor": INTELLIGENCE,
    "Qualification": INTELLIGENCE,
    "QualificationPart": INTELLIGENCE,
    "RepContact": INTELLIGENCE,
    "Scorecard": INTELLIGENCE,
    "ScorecardCriterion": INTELLIGENCE,
    "SupplierTotal": INTELLIGENCE,
    "Ucv": INTELLIGENCE,
    # who may do what
    "ApiKey": ADMINISTRATION,
    "AuditEntry": ADMINISTRATION,
}
"""Types whose every field shows the same kind of information."""

FIELDS: Mapping[str, Mapping[str, Reading]] = {
    "Query": {
        "node": BASICS,  # an intelligence type's id is refused by the resolver (`refuse_node_type`)
        "account": BASICS,
        "accountByExternalId": BASICS,
        "accounts": BASICS,
        "stakeholder": BASICS,
        "me": BASICS,
        "apiKeys": ADMINISTRATION,
        "auditLog": ADMINISTRATION,
        "competitors": INTELLIGENCE,
        "changes": BASICS,  # entries and fields of intelligence are left out by the use case for who may not read them
    },
    "Account": {
        "id": BASICS,
        "name": BASICS,
        "industry": BASICS,
        "tier": BASICS,
        "updatedAt": BASICS,
        "externalIds": BASICS,
        "stakeholders": BASICS,
        "team": BASICS,
        "portfolioClass": INTELLIGENCE,
        "relationshipStage": INTELLIGENCE,
        "decisionMakers": INTELLIGENCE,
        "circles": INTELLIGENCE,
        "influenceLinks": INTELLIGENCE,
        "ties": INTELLIGENCE,
        "interactions": INTELLIGENCE,
        "coverageGaps": INTELLIGENCE,
        "influencers": INTELLIGENCE,
        "neutralsToConvert": INTELLIGENCE,
        "opponentsToNeutralize": INTELLIGENCE,
        "supporterConsolidation": INTELLIGENCE,
        "coachCandidates": INTELLIGENCE,
        "powerMap": INTELLIGENCE,
        "supportScore": INTELLIGENCE,
        "accessPaths": INTELLIGENCE,
        "simulate": INTELLIGENCE,
        "changes": INTELLIGENCE,
        "coverage": INTELLIGENCE,
        "diff": INTELLIGENCE,
        "accessPathCount": INTELLIGENCE,
        "coachCandidateCount": INTELLIGENCE,
        "coverageGapCount": INTELLIGENCE,
        "influencerCount": INTELLIGENCE,
        "neutralToConvertCount": INTELLIGENCE,
        "opponentToNeutralizeCount": INTELLIGENCE,
        "opportunities": INTELLIGENCE,
        "exportDocument": INTELLIGENCE,  # the whole map, as an import document
        "cadenceDays": INTELLIGENCE,  # tells the portfolio class
        "overdueContacts": INTELLIGENCE,
        "overdueContactCount": INTELLIGENCE,
        "brokers": INTELLIGENCE,
        "brokerCount": INTELLIGENCE,
    },
    "Stakeholder": {
        "id": BASICS,
        "name": BASICS,
        "title": BASICS,
        "department": BASICS,
        "email": BASICS,
        "phone": BASICS,
        "level": BASICS,
        "archived": BASICS,
        "version": BASICS,
        "updatedAt": BASICS,
        "account": BASICS,
        "externalIds": BASICS,
        "reportsTo": BASICS,
        "directReports": BASICS,
        "stance": INTELLIGENCE,
        "influence": INTELLIGENCE,
        "buyingRoles": INTELLIGENCE,
        "buyerTypes": INTELLIGENCE,
        "adaptability": INTELLIGENCE,
        "personality": INTELLIGENCE,
        "contactTier": INTELLIGENCE,
        "notes": INTELLIGENCE,
        "circles": INTELLIGENCE,
        "influences": INTELLIGENCE,
        "influencedBy": INTELLIGENCE,
        "ties": INTELLIGENCE,
        "coveredBy": INTELLIGENCE,
        "lastContactAt": INTELLIGENCE,
        "contactIntervalDays": INTELLIGENCE,
        "contactDueAt": INTELLIGENCE,
        "history": INTELLIGENCE,
        "favours": INTELLIGENCE,
        "favourCount": INTELLIGENCE,
        "competitorContacts": INTELLIGENCE,
        "competitorContactCount": INTELLIGENCE,
    },
    "TeamMember": {
        "id": BASICS,
        "name": BASICS,
        "role": BASICS,
        "email": BASICS,
        "externalIds": BASICS,
        "covers": INTELLIGENCE,
    },
    # the change feed: what a reader may not see is left out of it (`service.rules.change_feed`)
    "ChangeFeedEntry": {
        "entityType": BASICS,
        "entityId": BASICS,
        "externalIds": BASICS,
        "accountId": BASICS,
        "operation": BASICS,
        "at": BASICS,
        "fields": BASICS,
        "fieldValues": BASICS,
        "cursor": BASICS,
    },
    "ChangedField": {"name": BASICS, "old": BASICS, "new": BASICS},
}
"""Types that show several kinds of information: every field is listed."""

ARGUMENTS: Mapping[tuple[str, str, str], Reading] = {
    # filtering people by stance or buying role tells their stance or role
    ("Account", "stakeholders", "stance"): INTELLIGENCE,
    ("Account", "stakeholders", "role"): INTELLIGENCE,
}
"""Arguments that reveal information of their own."""

STRUCTURAL_TYPES = frozenset({"Mutation", "Node", "PageInfo", "ExternalId", "UserError", "Me", "Workspace"})
STRUCTURAL_SUFFIXES = ("Payload", "Connection", "Edge", "Result")


def is_structural(type_name: str) -> bool:
    """Types that show nothing of their own beyond what their fields' types show."""
    return type_name in STRUCTURAL_TYPES or type_name.endswith(STRUCTURAL_SUFFIXES)


def field_reading(type_name: str, field_name: str) -> Reading:
    whole = WHOLE_TYPES.get(type_name)
    if whole is not None:
        return whole
    listed = FIELDS.get(type_name)
    if listed is not None:
        return listed.get(field_name, INTELLIGENCE)  # an unlisted field is refused until classified
    return BASICS


def type_reading(type_name: str) -> Reading:
    """What an object of this type shows as a whole (for `node(id:)`)."""
    return WHOLE_TYPES.get(type_name, BASICS)


def selected_readings(schema: GraphQLSchema, document: DocumentNode) -> dict[Reading, list[str]]:
    """Every kind of information the document's operations select, with the fields that select it
    (`Type.field`, `Type.field(argument)`), each field once."""
    fragments = fragments_of(document)
    found: dict[Reading, dict[str, None]] = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = schema.get_root_type(definition.operation)
        if root is None:
            continue
        for parent, node in fields_below(schema, fragments, root, definition.selection_set):
            type_name, field = parent.name, node.name.value
            found.setdefault(field_reading(type_name, field), {})[f"{type_name}.{field}"] = None
            for argument in node.arguments or ():
                policed = (type_name, field, argument.name.value)
                if policed in ARGUMENTS:
                    found.setdefault(ARGUMENTS[policed], {})[f"{type_name}.{field}({argument.name.value})"] = None
    return {reading: list(names) for reading, names in found.items()}


def forbidden_error(principal: Principal, readings: Mapping[Reading, list[str]]) -> GraphQLError | None:
    """FORBIDDEN naming every selected field the principal may not read, or None."""
    refused = [(reading, names) for reading, names in readings.items() if not may_read(principal, reading)]
    if not refused:
        return None
    fields = [name for _, names in refused for name in names]
    needs = ", ".join(sorted({f"{reading.value.value!r}" for reading, _ in refused}))
    shown = ", ".join(fields[:20]) + (f" and {len(fields) - 20} more" if len(fields) > 20 else "")
    return GraphQLError(
        f"the {principal.role.value} role may not read {shown} (this needs the {needs} permission).",
        extensions={"code": "FORBIDDEN", "fields": fields},
    )


CACHED_DOCUMENTS = 1_000


class ReadPolicy(SchemaExtension):
    """Refuses, before validation and execution, a document that selects what the caller may not read."""

    _readings: OrderedDict[str, dict[Reading, list[str]]] = OrderedDict()

    def __init__(self, view: SchemaView) -> None:
        super().__init__()
        self.view = view

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        principal = getattr(context.context, "principal", None)
        document = context.graphql_document
        schema = self.view.graphql
        if principal is not None and document and schema is not None and context.pre_execution_errors is None:
            error = forbidden_error(principal, self._selected(schema, context.query, document))
            if error is not None:
                context.pre_execution_errors = [error]
        yield

    @classmethod
    def _selected(cls, schema: GraphQLSchema, query: str | None, document: DocumentNode) -> dict[Reading, list[str]]:
        if query is None:
            return selected_readings(schema, document)
        cached = cls._readings.get(query)
        if cached is None:
            cached = cls._readings[query] = selected_readings(schema, document)
            if len(cls._readings) > CACHED_DOCUMENTS:
                cls._readings.popitem(last=False)
        else:
            cls._readings.move_to_end(query)
        return cached
