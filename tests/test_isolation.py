"""Isolation, generated from the schema: our key, their ids, every root field and every mutation.

Two workspaces hold the same account document with the same external ids; the other one's names and
texts carry a marker. For every root field and mutation the API offers (read from its introspection),
and for every ID slot in its arguments, its input and the fields it returns, the call is made with our
key and the other workspace's id in that slot (our own ids in the others, so the call goes as deep as it
can), and once with their ids everywhere. Nothing of theirs may show: no marker and no id of theirs in
any answer, their ids are NOT_FOUND (never FORBIDDEN), their graph is exactly as it was, and no
relationship joins the two workspaces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import GraphQLSchema

from service.graph.database import Database
from service.rules.access import Role
from service.settings import Settings
from tests.conftest import ClientFactory, GraphQLClient
from tests.generated_calls import Call, IdChoice, Slot, build, root_fields, variants
from tests.isolation_support import (
    ID_TYPES,
    MARKER,
    WorkspaceIds,
    canon_document,
    collect_ids,
    crossing_relationships,
    introspected_schema,
    load,
    marked,
    workspace_snapshot,
)

DESTRUCTIVE = ("Delete", "Remove", "Merge", "Archive", "Revoke", "Unassign")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Generated selections take everything a field returns, three levels down: past the usual limits."""
    return settings.model_copy(
        update={
            "max_fields": 100_000,
            "max_query_cost": 10_000_000,
            "max_aliases": 1_000,
            "max_query_depth": 20,
            "max_tokens": 1_000_000,
            "rate_limit": "100000/minute",
        }
    )


@dataclass
class Attack(IdChoice):
    """Slot `target` (or every slot, when None) gets their id of `type_name`; the others get ours."""

    ours: WorkspaceIds
    theirs: WorkspaceIds
    type_name: str
    target: int | None

    def pick(self, slot: Slot, index: int) -> str:
        own_type = next(iter(slot.types)) if len(slot.types) == 1 else self.type_name
        if self.target is None or index == self.target:
            return self.theirs.first(self.type_name if index == self.target else own_type)
        return self.ours.first(own_type)


def attacks(slots: list[Slot], ours: WorkspaceIds, theirs: WorkspaceIds, first: int = 0) -> Iterator[Attack]:
    """Their id in each slot from `first` on, of each type it may name; and, for a call's own arguments
    (`first` 0), their ids in every slot at once."""
    for index, slot in enumerate(slots[first:], start=first):
        for type_name in sorted(slot.types) or ID_TYPES:
            yield Attack(ours, theirs, type_name, index)
    if first == 0:
        for type_name in ID_TYPES:
            yield Attack(ours, theirs, type_name, None)


def without_user_errors(value: Any) -> Any:
    """The answer less its user errors, whose messages may repeat the ids the call sent."""
    if isinstance(value, dict):
        return {k: without_user_errors(v) for k, v in value.items() if k != "userErrors"}
    if isinstance(value, list):
        return [without_user_errors(v) for v in value]
    return value


def leaks(body: Mapping[str, Any], theirs: WorkspaceIds) -> list[str]:
    """What of theirs an answer shows: a marked name or text anywhere, an id of theirs in its data."""
    found = []
    if MARKER in json.dumps(body, ensure_ascii=False):
        found.append("a name or text of the other workspace")
    data = json.dumps(without_user_errors(body.get("data")), ensure_ascii=False)
    found += [f"their id {i}" for i in theirs.all | theirs.raw if i in data]
    return found


def user_errors(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "userErrors" and isinstance(inner, list):
                yield from inner
            else:
                yield from user_errors(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from user_errors(inner)


def refusals(body: Mapping[str, Any], call: Call, attack: Attack) -> list[str]:
    """Their ids are NOT_FOUND where an input names them (or INVALID, for what the ids alone tell, such as
    a link from someone to themselves), and nothing is ever FORBIDDEN to an admin."""
    wrong = []
    foreign = {("input", *slot.path[1:]) for i, slot in enumerate(call.slots) if attack.target in (None, i)}
    for error in user_errors(body.get("data")):
        at_foreign = tuple(error["field"] or ()) in foreign
        if error["code"] == "FORBIDDEN" or (at_foreign and error["code"] not in {"NOT_FOUND", "INVALID"}):
            wrong.append(f"{error['field']}: {error['code']} {error['message']}")
    for error in body.get("errors") or []:
        if (error.get("extensions") or {}).get("code") == "FORBIDDEN" or error["message"] == "Unexpected error.":
            wrong.append(f"{error.get('path')}: {error['message']}")  # refused, or crashed: neither may happen
    return wrong


def ordered_mutations(schema: GraphQLSchema) -> list[str]:
    """Mutations that take things away run last, so that the others find our own objects in place."""
    names = list(root_fields(schema, "mutation"))
    return sorted(names, key=lambda name: any(word in name for word in DESTRUCTIVE))


@pytest.mark.slow
async def test_no_root_field_or_mutation_reaches_another_workspace(
    clients: ClientFactory, workspace: str, db: Database
) -> None:
    other = f"{workspace}-other"
    ours_client: GraphQLClient = await clients(Role.ADMIN)
    theirs_client = await clients(Role.ADMIN, other)
    await clients(Role.VIEWER)  # our newest key: the one generated calls name as ours (and may revoke)
    document = canon_document()
    await load(ours_client, document)
    await load(theirs_client, marked(document))
    ours, theirs = await collect_ids(ours_client), await collect_ids(theirs_client)
    assert not ours.raw & theirs.raw
    schema = await introspected_schema(ours_client)
    strings = {"source": document["input"]["source"], "account": document["input"]["account"]["externalId"]}
    strings |= {"id": strings["account"], "externalId": document["input"]["stakeholders"][0]["externalId"]}
    before = await workspace_snapshot(db, other)

    problems: list[str] = []
    calls = 0
    plan = [("query", name) for name in root_fields(schema, "query")] + [
        ("mutation", name) for name in ordered_mutations(schema)
    ]
    for operation, name in plan:
        ways = variants(schema, ID_TYPES, operation, name, strings)
        own = len(ways[0].slots)
        for way in ways:
            for attack in attacks(way.slots, ours, theirs, 0 if way.nested is None else own):
                call = build(schema, ID_TYPES, operation, name, attack, strings, way.nested, way.depth)
                body = await ours_client.execute(call.query, call.variables)
                calls += 1
                where = f"{operation} {name} [{way.nested or way.depth}] ({attack.type_name} in {attack.target})"
                problems += [f"{where}: {leak}" for leak in leaks(body, theirs)]
                problems += [f"{where}: {refusal}" for refusal in refusals(body, call, attack)]

    assert calls > 2 * len(plan)
    assert problems == []
    assert await workspace_snapshot(db, other) == before
    assert await crossing_relationships(db) == 0
