"""What a query may ask, measured before it is validated or run, and its cost reported in `extensions`.

`measure` walks the document once (fragments measured once each and counted as expanded, so a
"fragment bomb" is measured in linear time and counted at its full size) and gives, per document:
depth, aliases, fields, the most times one response name is selected in one selection set, directives
(in all and on one location) and the cost. The cost is GitHub's: every field that returns an object
costs 1, leaves are free, and a connection or list multiplies what is selected under it by its `first`
or `last` (a variable's value included), else by its default page size, else by `cost_default_list_size`
(the `edges` and `nodes` of a connection are its page, so they multiply nothing more).

`EdgeLimits` runs before validation: graphql-core's validation is quadratic in repeated fields (1,000
repeats take seconds), so a document past any limit is refused at once, naming the limit, its setting,
its value and what the document has, and is neither validated nor executed. `CheckedValidationCache`
then validates (cached) only what got through.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
)
from strawberry.extensions import SchemaExtension, ValidationCache

from service.rules.paging import DEFAULT_PAGE_SIZE

Parent = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
PAGE_ARGUMENTS = ("first", "last")
INTROSPECTION_SLACK = 10
"""Introspection may nest this much deeper than queries (the IDE's schema query nests type references)."""


@dataclass(frozen=True, slots=True)
class QueryLimits:
    max_depth: int = 12
    max_aliases: int = 30
    max_fields: int = 1_000
    max_field_repeats: int = 10
    max_directives: int = 50
    max_directives_per_location: int = 3
    max_cost: int = 50_000
    default_list_size: int = 10


LIMIT_SETTINGS: Mapping[str, str] = {
    "maxDepth": "POWERMAP_MAX_QUERY_DEPTH",
    "maxAliases": "POWERMAP_MAX_ALIASES",
    "maxFields": "POWERMAP_MAX_FIELDS",
    "maxFieldRepeats": "POWERMAP_MAX_FIELD_REPEATS",
    "maxDirectives": "POWERMAP_MAX_DIRECTIVES",
    "maxDirectivesPerLocation": "POWERMAP_MAX_DIRECTIVES_PER_LOCATION",
    "maxCost": "POWERMAP_MAX_QUERY_COST",
}


@dataclass(slots=True)
class Measure:
    """One selection set with everything below it, counted as executed."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0
    repeats: int = 0
    directives: int = 0
    directives_per_location: int = 0
    cost: int = 0
    truncated: bool = False
    """Nested past the deepest the walk goes: refused for its depth, whatever else it counts."""
    names: Counter[str] = field(default_factory=Counter)
    """Response names selected at this level (with those its fragments add), for `repeats`."""

    def add(self, other: Measure, depth_offset: int = 0) -> None:
        self.depth = max(self.depth, other.depth + depth_offset)
        self.aliases += other.aliases
        self.fields += other.fields
        self.repeats = max(self.repeats, other.repeats)
        self.directives += other.directives
        self.directives_per_location = max(self.directives_per_location, other.directives_per_location)
        self.truncated = self.truncated or other.truncated


def as_parent(found: object) -> Parent | None:
    return found if isinstance(found, Parent) else None


@dataclass(slots=True)
class _Walk:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    limits: QueryLimits
    measured: dict[tuple[str, bool], Measure] = field(default_factory=dict)
    spreading: set[str] = field(default_factory=set)

    def selection_set(
        self, parent: Parent | None, selections: SelectionSetNode, level: int, introspective: bool = False
    ) -> Measure:
        total = Measure()
        for selection in selections.selections:
            count = len(selection.directives or ())
            total.directives += count
            total.directives_per_location = max(total.directives_per_location, count)
            if isinstance(selection, FieldNode):
                self._field(total, parent, selection, level, introspective)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = parent if condition is None else as_parent(self.schema.get_type(condition.name.value))
                self._merge(total, self.selection_set(target, selection.selection_set, level, introspective))
            elif isinstance(selection, FragmentSpreadNode):
                spread = self._fragment(selection.name.value, level, introspective)
                if spread is not None:
                    self._merge(total, spread)
        total.repeats = max(total.repeats, max(total.names.values(), default=0))
        return total

    def _merge(self, total: Measure, part: Measure) -> None:
        """A fragment's selections are selected at the level it is spread on."""
        total.add(part)
        total.cost += part.cost
        total.names.update(part.names)

    def _fragment(self, name: str, level: int, introspective: bool) -> Measure | None:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.spreading:
            return None  # unknown or a cycle: the validator reports it (a cycle never gets that far)
        found = self.measured.get((name, introspective))
        if found is None:
            self.spreading.add(name)
            target = as_parent(self.schema.get_type(fragment.type_condition.name.value))
            found = self.selection_set(target, fragment.selection_set, level, introspective)
            self.spreading.discard(name)
            self.measured[(name, introspective)] = found
        return found

    def _field(self, total: Measure, parent: Parent | None, node: FieldNode, level: int, introspective: bool) -> None:
        name = node.name.value
        total.names[(node.alias or node.name).value] += 1
        total.fields += 1
        total.aliases += node.alias is not None
        definition = self._definition(parent, name)
        introspective = introspective or name.startswith("__")
        if not introspective:
            total.depth = max(total.depth, 1)
        if node.selection_set is None or definition is None:
            return
        deepest = self.limits.max_depth + (INTROSPECTION_SLACK if introspective else 0)
        if level + 1 >= deepest:
            total.depth = max(total.depth, self.limits.max_depth + 1 - level)  # too deep: stop, report one more
            total.truncated = True
            return
        child = self.selection_set(
            as_parent(get_named_type(definition.type)), node.selection_set, level + 1, introspective
        )
        if introspective:
            child.depth = 0  # introspection (the IDE's schema query) is bounded by its cost, not its depth
        total.add(child, 1)
        own = 0 if is_leaf_type(get_named_type(definition.type)) else 1
        total.cost += own + self._multiplier(parent, definition, node) * child.cost

    def _definition(self, parent: Parent | None, name: str) -> GraphQLField | None:
        if name == "__schema":
            return GraphQLField(self.schema.get_type("__Schema"))  # type: ignore[arg-type]
        if name == "__type":
            return GraphQLField(self.schema.get_type("__Type"))  # type: ignore[arg-type]
        if parent is None or isinstance(parent, GraphQLUnionType):
            return None
        found: GraphQLField | None = parent.fields.get(name)
        return found

    def _multiplier(self, parent: Parent | None, definition: GraphQLField, node: FieldNode) -> int:
        """How many times what is selected under this field is produced."""
        if parent is not None and parent.name.endswith("Connection"):
            return 1
        named = get_named_type(definition.type)
        for argument in node.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                size = self._int(argument.value)
                if size is not None:
                    return max(size, 1)
        for name in PAGE_ARGUMENTS:
            declared = definition.args.get(name)
            if declared is not None and isinstance(declared.default_value, int):
                return max(declared.default_value, 1)
        if named.name.endswith("Connection"):
            return DEFAULT_PAGE_SIZE
        if isinstance(get_nullable_type(definition.type), GraphQLList):
            return self.limits.default_list_size
        return 1

    def _int(self, value: object) -> int | None:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            return given if isinstance(given, int) and not isinstance(given, bool) else None
        return None


def measure(
    schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any], limits: QueryLimits
) -> Measure:
    """The largest measure of the document's operations, each counted as executed."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(schema, fragments, variables, limits)
    worst = Measure()
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = as_parent(schema.get_root_type(definition.operation))
        found = walk.selection_set(root, definition.selection_set, 0)
        count = len(definition.directives or ())
        found.directives += count
        found.directives_per_location = max(found.directives_per_location, count)
        worst.add(found)
        worst.cost = max(worst.cost, found.cost)
    return worst


def exceeded(found: Measure, limits: QueryLimits) -> GraphQLError | None:
    """The first limit the document passes, as an error that names it; None when within every limit."""
    depth = max(found.depth, limits.max_depth + 1) if found.truncated else found.depth
    checks = (
        ("maxFields", "fields", found.fields, limits.max_fields),
        ("maxFieldRepeats", "selections of one field in one selection set", found.repeats, limits.max_field_repeats),
        ("maxDepth", "levels of nesting (or more)", depth, limits.max_depth),
        ("maxAliases", "aliases", found.aliases, limits.max_aliases),
        ("maxDirectives", "directives", found.directives, limits.max_directives),
        (
            "maxDirectivesPerLocation",
            "directives on one field or fragment",
            found.directives_per_location,
            limits.max_directives_per_location,
        ),
        ("maxCost", "cost", found.cost, limits.max_cost),
    )
    for limit, what, value, allowed in checks:
        if value > allowed:
            amount = f"a cost of {value}" if limit == "maxCost" else f"{value} {what}"
            return GraphQLError(
                f"The query has {amount}; the limit {limit} ({LIMIT_SETTINGS[limit]}) allows {allowed}.",
                extensions={"code": "LIMIT_EXCEEDED", "limit": limit, "max": allowed, "found": value},
            )
    return None


CACHED_MEASURES = 1_000


@dataclass
class SchemaView:
    """The schema's types for the walks that run before validation, built from the schema's SDL (so only
    public APIs are used); set once the schema exists."""

    graphql: GraphQLSchema | None = None


class EdgeLimits(SchemaExtension):
    """Refuses a document past any limit before it is validated; reports the cost of the others."""

    _measures: OrderedDict[tuple[Any, ...], Measure] = OrderedDict()

    def __init__(self, view: SchemaView, limits: QueryLimits) -> None:
        super().__init__()
        self.view = view
        self.limits = limits
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and self.view.graphql is not None and context.pre_execution_errors is None:
            found = self._measure(self.view.graphql, context.query, document, context.variables or {})
            error = exceeded(found, self.limits)
            if error is None:
                self.cost = found.cost
            else:
                context.pre_execution_errors = [error]
        yield

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "limit": self.limits.max_cost}}

    def _measure(
        self, schema: GraphQLSchema, query: str | None, document: DocumentNode, variables: Mapping[str, Any]
    ) -> Measure:
        sizes = tuple(sorted((k, v) for k, v in variables.items() if isinstance(v, int) and not isinstance(v, bool)))
        key = (id(schema), self.limits, query, sizes)
        if query is None:
            return measure(schema, document, variables, self.limits)
        found = self._measures.get(key)
        if found is None:
            found = self._measures[key] = measure(schema, document, variables, self.limits)
            if len(self._measures) > CACHED_MEASURES:
                self._measures.popitem(last=False)
        else:
            self._measures.move_to_end(key)
        return found


class CheckedValidationCache(ValidationCache):
    """Strawberry's cached validation, skipped when an earlier check already refused the document."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors is not None:
            yield
            return
        yield from super().on_validate()
