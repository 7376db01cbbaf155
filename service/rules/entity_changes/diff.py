"""Diffs of hand-made writes and the changes they log (`service.rules.changes.EntityChange`): values as
stored, None when created or removed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.rules.account_import.plan import merged
from service.rules.changes import ChangeOp, EntityChange
from service.rules.enums import ErrorCode, ImportMode
from service.rules.validation import Problem

Props = dict[str, Any]
Changed = dict[str, tuple[Any, Any]]

BOOKKEEPING = frozenset({"workspaceId", "id", "accountId", "version", "createdAt", "updatedAt", "clock"})
"""Stored properties that are not facts about the entity: never logged."""


def created(given: Mapping[str, Any]) -> tuple[Props, Changed]:
    """The stored properties of something new (None left out), and each of them as a change from None."""
    return merged(None, dict(given), ImportMode.MERGE)


def updated(stored: Mapping[str, Any], given: Mapping[str, Any]) -> Changed:
    """What setting `given` on `stored` changes, name -> (old, new). None clears: the stance to UNKNOWN,
    role and type lists to [], anything else to absent."""
    return merged(dict(stored), dict(given), ImportMode.REPLACE)[1]


def assigned(given: Mapping[str, Any]) -> Props:
    """The value each field of `given` is set to, as stored and as `updated` compares it (None: absent)."""
    return merged({}, dict(given), ImportMode.REPLACE)[0]


def new_values(changed: Changed) -> Props:
    """The properties to SET for `changed` (None removes a property)."""
    return {name: new for name, (_, new) in changed.items()}


def logged(changed: Mapping[str, tuple[Any, Any]]) -> Changed:
    return {name: values for name, values in changed.items() if name not in BOOKKEEPING}


def change(
    entity: str,
    entity_id: str,
    op: ChangeOp,
    changed: Mapping[str, tuple[Any, Any]],
    account_id: str | None,
    about: Sequence[str] = (),
) -> EntityChange:
    return EntityChange(entity, entity_id, op, logged(changed), account_id, tuple(about))


def creation(
    entity: str, entity_id: str, props: Mapping[str, Any], account_id: str | None, about: Sequence[str] = ()
) -> EntityChange:
    """Every stored value of something new, as a change from None."""
    changed = {name: (None, value) for name, value in sorted(props.items()) if value is not None}
    return change(entity, entity_id, ChangeOp.CREATED, changed, account_id, about)


def removal(
    entity: str, entity_id: str, props: Mapping[str, Any], account_id: str | None, about: Sequence[str] = ()
) -> EntityChange:
    """Every stored value of something removed, as a change to None."""
    changed = {name: (value, None) for name, value in sorted(props.items()) if value is not None}
    return change(entity, entity_id, ChangeOp.DELETED, changed, account_id, about)


def stakeholder_change(stakeholder_id: str, account_id: str, changed: Changed) -> EntityChange:
    """A person's own fields (an archive or restore is named as such); `about` is the person."""
    archived = changed.get("archived")
    op = ChangeOp.UPDATED
    if archived is not None:
        op = ChangeOp.ARCHIVED if archived[1] else ChangeOp.RESTORED
    return change("Stakeholder", stakeholder_id, op, changed, account_id, [stakeholder_id])


def stale(expected: int | None, stored: int) -> list[Problem]:
    """STALE when the client's expected version is not the stored one (no expectation: never stale)."""
    if expected is None or expected == stored:
        return []
    message = f"the stakeholder was changed meanwhile: version {stored}, not {expected}; reload and retry."
    return [Problem(("version",), message, ErrorCode.STALE)]
