"""A faster completion of long lists of plain objects, with graphql-core's own result.

graphql-core completes every field of every list item on its general path (resolve info, awaitable
checks, path tracking), a few microseconds each: the 10,000 rows of an analytic or of a sync batch's
results spend most of a request there. Many of those rows are plain: every field the query selects
on them is a plain read of the object, of a leaf type, a list of leaves or lists, or another plain
object. Such a list is completed here by reading those fields directly.

A plain read is a Strawberry basic field (an attribute) or a synchronous resolver that takes nothing
but `self`: no arguments, no `info`, so no context, loaders or database, only a computation over the
object. Neither has side effects, so whenever anything is out of the ordinary (a resolver raising, a
null for a non-null field, a value the type's serializer refuses, an object of the wrong type) the
whole list is completed again on graphql-core's path, which raises or records exactly the error it
always would. Field extensions (permissions included) and middleware always take the general path.

Rows often name the same few objects again and again (every pair of 750 supporters names each of them
749 times). When everything selected on an object is an attribute read, completing that object twice
within one list gives the same result, so it is completed once and the result is shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from math import isfinite
from operator import attrgetter
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    get_nullable_type,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path, Undefined, is_iterable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType, GraphQLCoreConverter
from strawberry.types.field import StrawberryField

Complete = Callable[[Any], Any]
"""Completes one value of a plain field; raises (`NotPlain` or any error) when the general path must decide."""


class NotPlain(Exception):
    """This value needs graphql-core's general path (which reports any error properly)."""


@dataclass(frozen=True, slots=True)
class _Slot:
    """How to complete the values of one type: `complete` takes a value that is not None."""

    complete: Complete
    required: bool = False
    unchanged: type | None = None
    """Values of exactly this Python type complete to themselves (checked inline: the hot case)."""
    pure: bool = False
    """A value's completion depends only on its attributes: leaves, and objects (or lists of them) whose
    selected fields are all attribute reads of pure slots."""


_Field = tuple[str, Callable[[Any], Any], _Slot]


class _Completed:
    """The objects of one plan completed so far in the current list, by id: each object is kept too, so
    that its id is not reused while its entry lives."""

    __slots__ = ("kept", "results")

    def __init__(self) -> None:
        self.results: dict[int, Any] = {}
        self.kept: list[Any] = []

    def clear(self) -> None:
        self.results.clear()
        self.kept.clear()


class PlainListExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Completes lists of plain objects directly (see the module docstring); everything else as usual."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[GraphQLOutputType, int], tuple[FieldDetailsList, Complete | None]] = {}
        self._completed: list[_Completed] = []
        """The objects completed once per list (see the module docstring), emptied after each list."""

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        items = items if isinstance(items, list | tuple) else list(items)
        complete = self._plan(item_type, field_details_list) if len(items) > 1 else None
        if complete is not None and self.get_stream_usage(field_details_list, path) is None:
            try:
                completed: list[Any] = complete(items)
                return completed
            except Exception:  # anything unusual is for graphql-core to report, from scratch
                pass
            finally:
                for objects in self._completed:
                    objects.clear()
        return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)

    def _plan(self, item_type: GraphQLOutputType, field_details_list: FieldDetailsList) -> Complete | None:
        """How to complete this list, or None when its items are not plain objects."""
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return None  # a middleware must see every resolver call
        key = (item_type, id(field_details_list))
        cached = self._plans.get(key)
        if cached is None:
            rows = is_object_type(get_nullable_type(item_type))
            item = self._slot(item_type, field_details_list, rows=True) if rows else None
            cached = (field_details_list, None if item is None else _list(item))
            self._plans[key] = cached  # keeps the list alive, so its id is not reused meanwhile
        return cached[1]

    def _slot(
        self, return_type: GraphQLOutputType, field_details_list: FieldDetailsList, *, rows: bool = False
    ) -> _Slot | None:
        """`rows`: the type of the list's own items, which are seldom repeated (unlike what they name)."""
        if isinstance(return_type, GraphQLNonNull):
            inner = self._slot(return_type.of_type, field_details_list, rows=rows)
            if inner is None:
                return None
            return _Slot(inner.complete, required=True, unchanged=inner.unchanged, pure=inner.pure)
        if is_leaf_type(return_type):
            assert isinstance(return_type, GraphQLLeafType)
            return _Slot(_leaf(return_type), unchanged=_unchanged_type(return_type), pure=True)
        if isinstance(return_type, GraphQLList):
            item = self._slot(return_type.of_type, field_details_list)
            return None if item is None else _Slot(_list(item), pure=item.pure)
        if isinstance(return_type, GraphQLObjectType):
            fields = self._object_fields(return_type, field_details_list)
            if fields is None:
                return None
            pure = all(isinstance(read, attrgetter | _Constant) and slot.pure for _, read, slot in fields)
            complete = _object(return_type, fields)
            if pure and not rows:
                objects = _Completed()
                self._completed.append(objects)
                complete = _once_per_list(complete, objects)
            return _Slot(complete, pure=pure)
        return None  # interfaces and unions: the general path resolves the runtime type

    def _object_fields(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> list[_Field] | None:
        grouped, deferred, _ = self.collect_subfields(object_type, field_details_list)
        if deferred:
            return None
        fields: list[_Field] = []
        for key, sub_details in grouped.items():
            node = sub_details[0].node
            name = node.name.value
            if name == "__typename":
                fields.append((key, _Constant(object_type.name), _Slot(_identity, required=True, pure=True)))
                continue
            field_def = self.schema.get_field(object_type, name)
            read = None if field_def is None or node.arguments else _plain_read(field_def)
            slot = None if read is None or field_def is None else self._slot(field_def.type, sub_details)
            if read is None or slot is None:
                return None
            fields.append((key, read, slot))
        return fields


def _plain_read(field_def: GraphQLField) -> Callable[[Any], Any] | None:
    """How to read this field of an object when that is plain (see the module docstring), else None."""
    definition = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or definition.extensions:
        return None
    if definition.is_basic_field:
        return attrgetter(definition.python_name) if getattr(field_def.resolve, "_is_default", False) else None
    resolver = definition.base_resolver
    if (
        resolver is None
        or resolver.is_async
        or resolver.arguments
        or resolver.info_parameter is not None
        or resolver.root_parameter is not None
        or resolver.self_parameter is None
        or not callable(resolver.wrapped_func)
    ):
        return None
    read: Callable[[Any], Any] = resolver.wrapped_func
    return read


def _identity(value: Any) -> Any:
    return value


class _Constant:
    """Reads the same value from every object (`__typename`)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, _source: Any) -> Any:
        return self.value


def _leaf(leaf_type: GraphQLLeafType) -> Complete:
    """The type's own serializer, after shortcuts for the values whose result is known. Its errors (and a
    None result) reach `complete_iterable_value`, which then hands the list to the general path."""
    coerce = leaf_type.coerce_output_value
    passes = _in_range(leaf_type)
    names = _enum_names(leaf_type)

    def leaf(value: Any) -> Any:
        if passes(value):
            return value
        if names is not None and isinstance(value, Enum):
            name = names.get(value)
            if name is not None:
                return name
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise NotPlain
        return coerced

    return leaf


def _unchanged_type(leaf_type: GraphQLLeafType) -> type | None:
    """The Python type whose values this built-in scalar returns unchanged, whatever the value."""
    if leaf_type is GraphQLString or leaf_type is GraphQLID:
        return str
    if leaf_type is GraphQLBoolean:
        return bool
    return None


def _in_range(leaf_type: GraphQLLeafType) -> Callable[[Any], bool]:
    """Numbers the built-in Int or Float serializer returns unchanged: exact types (never a bool as an
    int) within its range. Strings and booleans are caught earlier, by `_unchanged_type`."""
    if leaf_type is GraphQLInt:
        return lambda value: type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT
    if leaf_type is GraphQLFloat:
        return lambda value: type(value) is float and isfinite(value)
    return lambda _value: False


def _enum_names(leaf_type: GraphQLLeafType) -> dict[Enum, str] | None:
    """A Strawberry enum's members by their GraphQL names (its serializer searches them one by one)."""
    if not isinstance(leaf_type, CustomGraphQLEnumType):
        return None
    names: dict[Enum, str] = {}
    members: Iterable[Enum] = leaf_type.wrapped_cls
    for member in members:
        try:
            names[member] = leaf_type.coerce_output_value(member)
        except Exception:
            continue
    return names


def _list(item: _Slot) -> Complete:
    complete, required, unchanged = item.complete, item.required, item.unchanged

    def items(value: Any) -> list[Any]:
        if not is_iterable(value):
            raise NotPlain
        completed: list[Any] = []
        append = completed.append
        for v in value:
            if v is None:
                if required:
                    raise NotPlain
                append(None)
            elif type(v) is unchanged:
                append(v)
            else:
                append(complete(v))
        return completed

    return items


def _object(object_type: GraphQLObjectType, fields: list[_Field]) -> Complete:
    is_type_of = object_type.is_type_of
    plan = [(key, read, slot.complete, slot.required, slot.unchanged) for key, read, slot in fields]

    def obj(value: Any) -> dict[str, Any]:
        if is_type_of is not None and not is_type_of(value, None):  # type: ignore[arg-type]
            raise NotPlain
        completed: dict[str, Any] = {}
        for key, read, complete, required, unchanged in plan:
            v = read(value)
            if v is None:
                if required:
                    raise NotPlain
                completed[key] = None
            elif type(v) is unchanged:
                completed[key] = v
            else:
                completed[key] = complete(v)
        return completed

    return obj


def _once_per_list(complete: Complete, objects: _Completed) -> Complete:
    """`complete`, run once per object while `objects` is kept (the completion of one list)."""
    results, kept = objects.results, objects.kept
    found_for = results.get

    def once(value: Any) -> Any:
        found = found_for(id(value))
        if found is None:
            found = results[id(value)] = complete(value)
            kept.append(value)
        return found

    return once
