"""Walking the fields a document selects, with the type each is selected on, before it runs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
)

Parent = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
Fragments = Mapping[str, FragmentDefinitionNode]


def fragments_of(document: DocumentNode) -> Fragments:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def fields_below(
    schema: GraphQLSchema,
    fragments: Fragments,
    parent: Parent,
    selections: SelectionSetNode,
    spreading: frozenset[str] = frozenset(),
) -> Iterator[tuple[Parent, FieldNode]]:
    """(type, field) for each field selected on `parent` and below, each before those below it; fragments
    are followed once per path (a cycle is the validator's to report). Meta fields (`__typename`) and
    fields unknown to the schema (the validator's too) are left out."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            if name.startswith("__") or isinstance(parent, GraphQLUnionType):
                continue
            field = parent.fields.get(name)
            if field is None:
                continue
            yield parent, selection
            child = get_named_type(field.type)
            if selection.selection_set is not None and isinstance(child, Parent):
                yield from fields_below(schema, fragments, child, selection.selection_set, spreading)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = parent if condition is None else schema.get_type(condition.name.value)
            if isinstance(target, Parent):
                yield from fields_below(schema, fragments, target, selection.selection_set, spreading)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in spreading:
                continue
            target = schema.get_type(fragment.type_condition.name.value)
            if isinstance(target, Parent):
                yield from fields_below(schema, fragments, target, fragment.selection_set, spreading | {name})
