"""Calls generated from the schema: for every root field and mutation, an operation with every argument
and input field filled, ID slots with chosen ids, and a selection of everything the field returns.

No list of fields is written by hand: the schema (graphql-core types, from the API's own introspection)
tells the arguments, their types and what each field returns. An ID slot's object type is read from its
name where it names one (`teamMember` -> TeamMember, `stakeholders` -> Stakeholder, `circle` ->
PoliticalCircle), from the input's name for an `id` (`StakeholderUpdateInput.id` -> Stakeholder), from
the field's type for a root `id` (`account(id:)` -> Account); any other slot (`from`, `to`, `survivor`,
`of`, `node(id:)`) may be of any type, and is tried with each.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)

STRING_VALUE = "x"
DATETIME_VALUE = "2026-01-05T10:00:00+00:00"


@dataclass(frozen=True)
class Slot:
    """One place an ID goes: its path, and the object types it may name (empty: any)."""

    path: tuple[str, ...]
    types: frozenset[str]


@dataclass
class IdChoice:
    """Which id each slot gets: `pick(slot, index)` -> an id (a global id string)."""

    def pick(self, slot: Slot, index: int) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


@dataclass
class Call:
    field: str
    operation: str
    query: str
    variables: dict[str, Any]
    slots: list[Slot]
    argument_fields: list[str]


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


def slot_types(schema: GraphQLSchema, id_types: Sequence[str], name: str, owner: str | None) -> frozenset[str]:
    """The object types an ID slot named `name` (in input type or field `owner`) may name."""

    def matching(word: str) -> set[str]:
        word = word.lower()
        return {t for t in id_types if t.lower() == word or t.lower().endswith(word) and len(word) > 3}

    found = matching(_singular(name))
    if found:
        return frozenset(found)
    if name == "id" and owner is not None:
        for type_name in sorted(id_types, key=len, reverse=True):
            for word in (type_name, type_name.removeprefix("Political")):
                if owner.lower().startswith(word.lower()):
                    return frozenset({type_name})
    return frozenset()


@dataclass
class Builder:
    schema: GraphQLSchema
    id_types: Sequence[str]
    choice: IdChoice
    strings: Mapping[str, str] = field(default_factory=dict)
    """Values for String arguments and input fields by name (the rest get STRING_VALUE)."""
    depth: int = 3
    nested: str | None = None
    """The one field below the root that is given its arguments ("Type.field"); every other field that
    needs arguments, or takes an ID, is left out, so that an error there cannot null what the others show."""
    variables: dict[str, Any] = field(default_factory=dict)
    definitions: list[str] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    argument_fields: list[str] = field(default_factory=list)
    """Fields met below the root that take arguments which matter ("Type.field"), each once."""

    # --- input values -----------------------------------------------------------------------------

    def value(self, type_: GraphQLInputType, name: str, owner: str | None, path: tuple[str, ...]) -> Any:
        nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(nullable, GraphQLList):
            return [self.value(nullable.of_type, name, owner, (*path, "0"))]
        named = get_named_type(nullable)
        if isinstance(named, GraphQLInputObjectType):
            return {
                field_name: self.value(input_field.type, field_name, named.name, (*path, field_name))
                for field_name, input_field in named.fields.items()
                if isinstance(input_field.type, GraphQLNonNull) or self._wants(input_field.type)
            }
        if isinstance(named, GraphQLEnumType):
            return next(iter(named.values))
        assert isinstance(named, GraphQLScalarType)
        if named.name == "ID":
            slot = Slot(path, slot_types(self.schema, self.id_types, name, owner))
            self.slots.append(slot)
            return self.choice.pick(slot, len(self.slots) - 1)
        return self._scalar(named.name, name)

    def _takes_arguments(self, field_: GraphQLField) -> bool:
        return any(isinstance(a.type, GraphQLNonNull) or self._wants(a.type) for a in field_.args.values())

    def _wants(self, type_: GraphQLInputType) -> bool:
        """Optional inputs that hold an ID somewhere are filled too: every ID slot is tried."""
        named = get_named_type(type_)
        if isinstance(named, GraphQLScalarType):
            return named.name == "ID"
        if isinstance(named, GraphQLInputObjectType):
            return any(self._wants(f.type) for f in named.fields.values())
        return False

    def _scalar(self, scalar: str, name: str) -> Any:
        if scalar == "Int":
            return 5 if name in {"first", "last"} else 1
        if scalar == "Float":
            return 1.0
        if scalar == "Boolean":
            return False
        if scalar == "DateTime":
            return DATETIME_VALUE
        return self.strings.get(name, STRING_VALUE)

    def arguments(self, args: Mapping[str, GraphQLArgument], owner: str, path: tuple[str, ...]) -> str:
        given = []
        for name, argument in args.items():
            if not isinstance(argument.type, GraphQLNonNull) and not self._wants(argument.type):
                continue
            variable = f"v{len(self.definitions)}"
            self.definitions.append(f"${variable}: {argument.type}")
            self.variables[variable] = self.value(argument.type, name, owner, (*path, name))
            given.append(f"{name}: ${variable}")
        return f"({', '.join(given)})" if given else ""

    # --- selections ---------------------------------------------------------------------------------

    def selection(self, type_: GraphQLNamedType, path: tuple[str, ...], depth: int, alias: str | None = None) -> str:
        if is_leaf_type(type_):
            return ""
        if isinstance(type_, GraphQLUnionType | GraphQLInterfaceType):
            possible = self.schema.get_possible_types(type_)
            parts = ["__typename"] + [
                f"... on {t.name} {self.selection(t, path, min(depth, 1), alias=t.name)}" for t in possible
            ]
            return "{ " + " ".join(parts) + " }"
        assert isinstance(type_, GraphQLObjectType)
        parts = ["__typename"]
        for name, field_ in type_.fields.items():
            parts += self._field(type_.name, name, field_, (*path, name), depth, alias)
        return "{ " + " ".join(parts) + " }"

    def _field(
        self, owner: str, name: str, field_: GraphQLField, path: tuple[str, ...], depth: int, alias: str | None
    ) -> list[str]:
        named = get_named_type(field_.type)
        if not is_leaf_type(named) and depth <= 0:
            return []
        key = f"{owner}.{name}"
        if self._takes_arguments(field_):
            if key not in self.argument_fields:
                self.argument_fields.append(key)
            if key != self.nested:
                return []
            self.nested = None  # given its arguments once, where it is first met
            args = self.arguments(field_.args, key, path)
        else:
            args = ""
        label = f"{alias}_{name}: {name}" if alias else name  # the types of one union may share field names
        return [f"{label}{args} {self.selection(named, path, depth - 1)}".strip()]


class _Counting(IdChoice):
    def pick(self, slot: Slot, index: int) -> str:
        return "counting"


def build(
    schema: GraphQLSchema,
    id_types: Sequence[str],
    operation: str,
    field_name: str,
    choice: IdChoice,
    strings: Mapping[str, str],
    nested: str | None = None,
    depth: int = 3,
) -> Call:
    """The call of root field `field_name`, with `nested` (one of its `argument_fields`) given arguments."""
    root = schema.get_root_type(_operation_type(operation))
    assert root is not None
    field_ = root.fields[field_name]
    builder = Builder(schema, id_types, choice, strings, depth, nested)
    args = builder.arguments(field_.args, field_name, ())
    selection = builder.selection(get_named_type(field_.type), (field_name,), depth)
    head = f"{operation} Generated" + (f"({', '.join(builder.definitions)})" if builder.definitions else "")
    query = f"{head} {{ {field_name}{args} {selection} }}"
    return Call(field_name, operation, query, builder.variables, builder.slots, builder.argument_fields)


@dataclass(frozen=True)
class Variant:
    """One way to call a root field: how deep its selection goes, and which field below (if any) is given
    arguments; `slots` are the call's ID slots, its own arguments' first."""

    depth: int
    nested: str | None
    slots: list[Slot]


def variants(
    schema: GraphQLSchema, id_types: Sequence[str], operation: str, field_name: str, strings: Mapping[str, str]
) -> list[Variant]:
    """Its own arguments with only the leaves of what it returns (an error below cannot null what a leak
    would show), with everything three levels down, and with each field below that takes arguments."""
    leaves = build(schema, id_types, operation, field_name, _Counting(), strings, depth=0)
    plain = build(schema, id_types, operation, field_name, _Counting(), strings)
    found = [Variant(0, None, leaves.slots), Variant(3, None, plain.slots)]
    for nested in plain.argument_fields:
        call = build(schema, id_types, operation, field_name, _Counting(), strings, nested)
        found.append(Variant(3, nested, call.slots))
    return found


def _operation_type(operation: str) -> Any:
    from graphql import OperationType

    return OperationType.QUERY if operation == "query" else OperationType.MUTATION


def root_fields(schema: GraphQLSchema, operation: str) -> Iterator[str]:
    root = schema.get_root_type(_operation_type(operation))
    assert root is not None
    yield from root.fields
