"""Whole answers to the screens people open most, an account's page and a stakeholder's detail, kept per
process while the account's clock stands.

The page and detail caches (`service.graph.page_cache`) spare the database its query; what a repeated
page still costs is graphql-core completing its thousands of fields from the same objects. An operation
whose one root field is `account(id:)` or `stakeholder(id:)`, and which selects only fields listed in
`CACHEABLE` (none of them with a time argument), shows nothing but the stored data of that one account:
- every write ticks the clock of each account whose data it changes, what these fields show around a
  person included (a team member's rename ticks the accounts they cover, a visit the account it was in);
- nothing listed depends on when the request is made, or on who makes it: what the caller may read is
  settled before execution (`ReadPolicy`), for every request, a served answer's included.

Such an answer is filed under the clock read before the operation ran, keyed by workspace, role, document,
operation name and variables, and served without execution while the clock stands. Answers with errors are
not kept. The clock reading is handed on to the page and detail caches, so a miss costs no extra round trip.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLSchema,
    IntValueNode,
    OperationType,
    StringValueNode,
    ValueNode,
    VariableNode,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import located_error
from graphql.utilities import get_operation_ast
from neo4j import AsyncManagedTransaction
from strawberry.extensions import SchemaExtension

from service.graph.clock import ClockReading, read_account_clock, read_stakeholder_clock
from service.graph.page_cache import ClockedCache
from service.observability.metrics import RESPONSE_LOOKUPS
from service.schema.context import Context
from service.schema.ids import raw_id_of
from service.schema.limits import SchemaView
from service.schema.walk import fields_below, fragments_of

ClockReader = Callable[[AsyncManagedTransaction, str, str], Awaitable[str | None]]

ROOTS: Mapping[str, tuple[str, ClockReader]] = {
    "account": ("Account", read_account_clock),
    "stakeholder": ("Stakeholder", read_stakeholder_clock),
}
"""The root fields whose answers are kept: the type of their `id` and how to read its account's clock."""


def names(listed: str) -> frozenset[str]:
    return frozenset(listed.split())


CACHEABLE: Mapping[str, frozenset[str]] = {
    "Query": frozenset(ROOTS),
    "Account": names("id name industry tier portfolioClass relationshipStage updatedAt cadenceDays stakeholders"),
    "StakeholderConnection": names("edges nodes pageInfo totalCount"),
    "StakeholderEdge": names("cursor node"),
    "PageInfo": names("hasNextPage hasPreviousPage startCursor endCursor"),
    "Stakeholder": names(
        """id name title department email phone level stance influence buyingRoles buyerTypes adaptability
        personality contactTier notes archived version updatedAt lastContactAt externalIds
        reportsTo directReports circles influences influencedBy ties coveredBy"""
    ),
    "ExternalId": names("source id"),
    "InfluenceLink": names("id strength kind topic confidence from to"),
    "Tie": names("id kind strength note a b"),
    "CircleMembership": names("core circle"),
    "PoliticalCircle": names("id name color"),
    "Coverage": names("relationshipStep relationshipType lastContactAt teamMember stakeholder"),
    "TeamMember": names("id name role email"),
}
"""The fields an answer may select to be kept: each shows only its account's stored data (by type)."""

TIME_ARGUMENTS = frozenset({"asOf", "mapAsOf"})
"""Arguments that read the map as it was: left to the history reads, not kept."""

RESPONSE_CACHE_VALUES = 100_000
"""What the cache holds by default, in values (leaves of the answers; about 250 bytes each in memory, some 25 MB
in all, or 40 pages of 100 people): the default of `POWERMAP_RESPONSE_CACHE_VALUES` too."""

PLANS_KEPT = 1_000

ResponseKey = tuple[str, str, str, str | None, str]
"""Workspace, role, document, operation name, variables (canonical JSON)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Where an operation's answer is filed: the clock of the account its root field names."""

    type_name: str
    read_clock: ClockReader
    root: FieldNode

    @property
    def response_key(self) -> str:
        return self.root.alias.value if self.root.alias else self.root.name.value

    @property
    def id_argument(self) -> ValueNode | None:
        return next((a.value for a in self.root.arguments or () if a.name.value == "id"), None)

    def raw_id(self, variables: Mapping[str, Any] | None) -> str | None:
        """The internal id the root field is given, or None when it names no object of the type."""
        node = self.id_argument
        value: object = None
        if isinstance(node, VariableNode):
            value = (variables or {}).get(node.name.value)
        elif isinstance(node, StringValueNode | IntValueNode):
            value = node.value
        return raw_id_of(value, self.type_name) if isinstance(value, str) else None


def plan_of(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> Plan | None:
    """How to file the answer of the document's operation, or None when it is not kept."""
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY or schema.query_type is None:
        return None
    root, *others = operation.selection_set.selections
    if others or not isinstance(root, FieldNode) or root.name.value not in ROOTS:
        return None
    for parent, node in fields_below(schema, fragments_of(document), schema.query_type, operation.selection_set):
        if node.name.value not in CACHEABLE.get(parent.name, ()):
            return None
        if any(argument.name.value in TIME_ARGUMENTS for argument in node.arguments or ()):
            return None
    type_name, read_clock = ROOTS[root.name.value]
    return Plan(type_name, read_clock, root)


def failed_root(plan: Plan, failure: Exception) -> GraphQLExecutionResult:
    """The answer when the clock could not be read: what the root field gives when its own read fails (null,
    and the error at its path), so that it is logged, masked and coded as any field's failure is. Raised
    from here, it would bypass the extensions that mask errors."""
    error = located_error(failure, [plan.root], [plan.response_key])
    return GraphQLExecutionResult(data={plan.response_key: None}, errors=[error])


def values_in(data: object) -> int:
    """How many leaf values an answer holds (its weight in the cache)."""
    if isinstance(data, dict):
        return sum(values_in(value) for value in data.values())
    if isinstance(data, list):
        return sum(values_in(item) for item in data)
    return 1


class ResponseCache(ClockedCache[ResponseKey, dict[str, Any]]):
    """Answers by key, each filed under the clock of its account; bounded by count and by values held."""

    lookups = RESPONSE_LOOKUPS

    def __init__(self, size: int = 256, values: int = RESPONSE_CACHE_VALUES) -> None:
        super().__init__(size, values)
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()

    def plan(self, schema: GraphQLSchema, query: str, document: DocumentNode, operation: str | None) -> Plan | None:
        """`plan_of`, worked out once per document and operation name."""
        key = (query, operation)
        if key in self._plans:
            self._plans.move_to_end(key)
            return self._plans[key]
        plan = self._plans[key] = plan_of(schema, document, operation)
        if len(self._plans) > PLANS_KEPT:
            self._plans.popitem(last=False)
        return plan

    def _weigh(self, value: dict[str, Any]) -> int:
        return values_in(value)


class CachedResponses(SchemaExtension):
    """Serves a kept answer instead of executing the operation, and keeps the answers it may."""

    def __init__(self, responses: ResponseCache, view: SchemaView) -> None:
        super().__init__()
        self.responses = responses
        self.view = view

    async def on_execute(self) -> AsyncIterator[None]:
        filing = await self._serve_or_plan()
        yield
        result = self.execution_context.result
        if filing is not None and isinstance(result, GraphQLExecutionResult) and not result.errors and result.data:
            self.responses.keep(*filing, result.data)

    async def _serve_or_plan(self) -> tuple[ResponseKey, str] | None:
        """Sets the kept answer as the result when it is current; otherwise where to file the answer (None:
        it is not kept)."""
        context = self.execution_context
        ctx, schema, document, query = context.context, self.view.graphql, context.graphql_document, context.query
        if not self.responses.on or not isinstance(ctx, Context) or schema is None or not document or not query:
            return None
        plan = self.responses.plan(schema, query, document, context.operation_name)
        raw_id = None if plan is None else plan.raw_id(context.variables)
        if plan is None or raw_id is None:
            return None
        try:
            version = await ctx.db.read(plan.read_clock, ctx.workspace_id, raw_id)
        except Exception as failure:  # answered as the field's own failed read would be: see `failed_root`
            context.result = failed_root(plan, failure)
            return None
        ctx.clocks[(plan.type_name, raw_id)] = ClockReading(version)
        variables = json.dumps(context.variables, sort_keys=True, separators=(",", ":"), default=str)
        key = (ctx.workspace_id, ctx.principal.role.value, query, context.operation_name, variables)
        found = self.responses.lookup(key, version)
        if found is not None:
            context.result = GraphQLExecutionResult(data=found)
            return None
        return None if version is None else (key, version)
