"""Diffs of hand-made writes and the history rows they record (the import's change shape:
{entity, entityId, field, old, new, about}, values as stored, None when created or removed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.rules.account_import.plan import INTELLIGENCE_FIELDS, merged
from service.rules.enums import ErrorCode, ImportMode
from service.rules.validation import Problem

Props = dict[str, Any]
Changed = dict[str, tuple[Any, Any]]
ChangeRow = dict[str, Any]

STAKEHOLDER_HISTORY_FIELDS = (*INTELLIGENCE_FIELDS, "archived")


def created(given: Mapping[str, Any]) -> tuple[Props, Changed]:
    """The stored properties of something new (None left out), and each of them as a change from None."""
    return merged(None, dict(given), ImportMode.MERGE)


def updated(stored: Mapping[str, Any], given: Mapping[str, Any]) -> Changed:
    """What setting `given` on `stored` changes, name -> (old, new). None clears: the stance to UNKNOWN,
    role and type lists to [], anything else to absent."""
    return merged(dict(stored), dict(given), ImportMode.REPLACE)[1]


def new_values(changed: Changed) -> Props:
    """The properties to SET for `changed` (None removes a property)."""
    return {name: new for name, (_, new) in changed.items()}


def history(
    entity: str,
    entity_id: str,
    changed: Changed,
    about: Sequence[str],
    fields: Sequence[str] | None = None,
) -> list[ChangeRow]:
    """One row per changed value; with `fields`, only those, in that order."""
    names = list(changed) if fields is None else [name for name in fields if name in changed]
    return [
        {
            "entity": entity,
            "entityId": entity_id,
            "field": name,
            "old": changed[name][0],
            "new": changed[name][1],
            "about": list(about),
        }
        for name in names
    ]


def stakeholder_history(stakeholder_id: str, changed: Changed) -> list[ChangeRow]:
    """Stakeholders record their intelligence fields and `archived`, nothing else."""
    return history("Stakeholder", stakeholder_id, changed, [stakeholder_id], STAKEHOLDER_HISTORY_FIELDS)


def removal(entity: str, entity_id: str, props: Mapping[str, Any], about: Sequence[str]) -> list[ChangeRow]:
    """Each stored value of something removed, as a change to None."""
    changed = {name: (value, None) for name, value in sorted(props.items()) if value is not None}
    return history(entity, entity_id, changed, about)


def stale(expected: int | None, stored: int) -> list[Problem]:
    """STALE when the client's expected version is not the stored one (no expectation: never stale)."""
    if expected is None or expected == stored:
        return []
    message = f"the stakeholder was changed meanwhile: version {stored}, not {expected}; reload and retry."
    return [Problem(("version",), message, ErrorCode.STALE)]
