"""An account's map as entities and their stored values, and the change log undone onto it.

The state has the change log's own shape: (entity kind, entity id) -> {field: value}, values as the
log holds them (decoded from JSON). A creation lists every stored value and a deletion every stored
value (`service.rules.changes`), so undoing a change needs nothing but the change itself: a creation
is removed, a deletion put back with its old values, anything else gets its old values back (None:
absent). Undoing every change recorded after an instant, newest first, leaves the state that held then.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

EntityKey = tuple[str, str]
"""(entity kind, entity id), as the change log names them: ("Stakeholder", id), ("Coverage", "member:person")."""

MapState = dict[EntityKey, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class FirstChange:
    """One entity's changes after an instant, reduced to what undoing them all needs: the operation of
    the earliest, and each changed field's value before its earliest change (None: absent). The log
    lists every stored value on a creation and a deletion, so this is the entity as it was then."""

    entity: str
    entity_id: str
    op: str
    before: Mapping[str, Any]


LogRow = tuple[str, str, str, Sequence[str], Sequence[Any]]
"""One change as the log holds it: entity, entity id, operation, field names, old values (encoded)."""


def first_changes(
    in_commit_order: Iterable[LogRow], decode_all: Callable[[list[Any]], Sequence[Any]]
) -> list[FirstChange]:
    """Each entity's changes reduced to its `FirstChange`; only the values kept are decoded, all in one call of
    `decode_all` (aligned)."""
    firsts: dict[EntityKey, tuple[str, dict[str, Any]]] = {}
    for entity, entity_id, op, fields, old in in_commit_order:
        found = firsts.get((entity, entity_id))
        if found is None:
            found = firsts[(entity, entity_id)] = (op, {})
        before = found[1]
        for name, value in zip(fields, old, strict=True):
            if name not in before:
                before[name] = value
    decoded = iter(decode_all([value for _, before in firsts.values() for value in before.values()]))
    return [
        FirstChange(entity, entity_id, op, {name: next(decoded) for name in before})
        for (entity, entity_id), (op, before) in firsts.items()
    ]


def restore(state: MapState, changed: Iterable[FirstChange]) -> MapState:
    """`state` (the present) with every change after an instant undone (DOMAIN.md rule 18), in place
    (entries are replaced, never changed, so a shallow copy of a state can be restored on its own):
    an entity first created after it did not exist; one first deleted after it had the values its
    deletion lists; any other gets back each field's value from before its first change."""
    for change in changed:
        key = (change.entity, change.entity_id)
        if change.op == "CREATED":
            state.pop(key, None)
        elif change.op == "DELETED":
            state[key] = {name: value for name, value in change.before.items() if value is not None}
        else:
            values = dict(state.get(key, {}))  # a copy: states of several instants share their values
            for name, value in change.before.items():
                if value is None:
                    values.pop(name, None)
                else:
                    values[name] = value
            state[key] = values
    return state


@dataclass(frozen=True, slots=True)
class LoggedChange:
    """One `Change` node as read back: one entity's changed fields with their old and new values (the
    step-by-step form of the log, which `undo` replays; `restore` is its reduced equivalent)."""

    at: datetime
    entity: str
    entity_id: str
    op: str
    fields: tuple[str, ...]
    old: tuple[Any, ...]
    new: tuple[Any, ...]


def undo(state: MapState, newest_first: Iterable[LoggedChange]) -> MapState:
    """Undo `newest_first` (in reverse commit order: at, transaction, sequence) on `state`, in place."""
    for change in newest_first:
        key = (change.entity, change.entity_id)
        if change.op == "CREATED":
            state.pop(key, None)
        elif change.op == "DELETED":
            state[key] = {name: old for name, old in zip(change.fields, change.old, strict=True) if old is not None}
        else:
            values = state.setdefault(key, {})
            for name, old in zip(change.fields, change.old, strict=True):
                if old is None:
                    values.pop(name, None)
                else:
                    values[name] = old
    return state


def encode_state(state: MapState) -> str:
    """`state` as JSON text, entities in the state's order (so `decode_state` gives back an equal state that
    iterates alike): what a stored checkpoint of the map holds."""
    return json.dumps([[kind, key, values] for (kind, key), values in state.items()], ensure_ascii=False)


def decode_state(text: str) -> MapState:
    """The state that `encode_state` wrote."""
    return {(kind, key): values for kind, key, values in json.loads(text)}
