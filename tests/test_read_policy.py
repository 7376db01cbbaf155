"""The read policy classifies the whole schema: every object type, and every field of the types that
show several kinds of information. A new type or field is refused to everyone until it is classified."""

from __future__ import annotations

import graphql
from graphql import GraphQLInterfaceType, GraphQLObjectType

from service.schema import schema
from service.schema.access import ARGUMENTS, FIELDS, WHOLE_TYPES, field_reading, is_structural
from service.usecases.reading import Reading

SCHEMA = graphql.build_schema(schema.as_str())


def object_types() -> dict[str, GraphQLObjectType | GraphQLInterfaceType]:
    return {
        name: type_
        for name, type_ in SCHEMA.type_map.items()
        if not name.startswith("__") and isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)
    }


def test_every_object_type_is_classified() -> None:
    unclassified = [
        name for name in object_types() if name not in WHOLE_TYPES and name not in FIELDS and not is_structural(name)
    ]
    assert unclassified == []


def test_every_field_of_a_mixed_type_is_listed_and_nothing_listed_is_gone() -> None:
    types = object_types()
    assert {name: sorted(set(types[name].fields) ^ set(listed)) for name, listed in FIELDS.items()} == {
        name: [] for name in FIELDS
    }
    assert set(WHOLE_TYPES) <= set(types)
    assert all(field in types[t].fields and argument in types[t].fields[field].args for t, field, argument in ARGUMENTS)


def test_an_unlisted_field_of_a_mixed_type_is_refused_until_classified() -> None:
    assert field_reading("Stakeholder", "someNewField") is Reading.INTELLIGENCE
    assert field_reading("StakeholderConnection", "nodes") is Reading.BASICS
