"""Files of interactions, team members and coverage for `powermap sync` (contacts: `service.rules.contacts`).

CSV with a header row, or JSON Lines, as for contacts: a column (key) left out keeps the stored values, an
empty cell (null) clears that field. Each readable row becomes the mutation's item (GraphQL variables);
what GraphQL would refuse for the whole call (a bad enum, a date without an offset, a step that is no
number) is caught here, per row, so that one bad row never stops a call. In CSV, an interaction's
stakeholders are one cell of external ids separated by `;`; in JSON Lines a list (or such a string).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.rules.entity_sync import INTERACTION_TYPES, RELATIONSHIP_TYPES, TEAM_ROLES
from service.rules.file_records import FileRecord, RowProblem, csv_records, jsonl_records


@dataclass(frozen=True, slots=True)
class ItemRow:
    line: int
    key: str | None
    """What the row is known by in messages and reports (an external id, or `member -> stakeholder`)."""
    variables: dict[str, Any] | None
    """The mutation's item; None when the row could not be read, and then `problems` says why."""
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemsFile:
    rows: list[ItemRow]
    problems: list[str]
    """Problems of the file as a whole (no usable header, unknown columns): nothing is sent."""


Values = Mapping[str, Any]
Convert = Callable[[Values], tuple[dict[str, Any], list[RowProblem]]]


@dataclass(frozen=True, slots=True)
class FileKind:
    columns: tuple[str, ...]
    required: tuple[str, ...]
    convert: Convert
    key: Callable[[Values], str | None]


def _text(values: Values, name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _blank(value: str | None) -> str | None:
    return None if value is None or not value.strip() else value


def _required(values: Values, names: Sequence[str]) -> list[RowProblem]:
    return [RowProblem(name, f"{name} must not be empty.") for name in names if not (_text(values, name) or "").strip()]


def _choice(values: Values, name: str, allowed: frozenset[str], out: dict[str, Any]) -> list[RowProblem]:
    """An enum column: upper-cased; empty clears it (None)."""
    if name not in values:
        return []
    given = _blank(_text(values, name))
    if given is None:
        out[name] = None
        return []
    normalized = given.strip().upper()
    if normalized not in allowed:
        return [RowProblem(name, f"{name} must be one of {', '.join(sorted(allowed))}, got {given!r}.")]
    out[name] = normalized
    return []


def _optional(values: Values, names: Sequence[str], out: dict[str, Any]) -> None:
    for name in names:
        if name in values:
            out[name] = _blank(_text(values, name))


def _interaction(values: Values) -> tuple[dict[str, Any], list[RowProblem]]:
    problems = _required(values, ("externalId", "at", "type", "stakeholders"))
    out: dict[str, Any] = {"externalId": _text(values, "externalId")}
    at = _blank(_text(values, "at"))
    if at is not None:
        try:
            parsed = datetime.fromisoformat(at.strip())
        except ValueError:
            problems.append(RowProblem("at", f"at must be an ISO 8601 date and time, got {at!r}."))
        else:
            if parsed.tzinfo is None:
                problems.append(RowProblem("at", "`at` needs a time zone offset."))
            out["at"] = parsed.isoformat()
    problems += _choice(values, "type", INTERACTION_TYPES, out)
    met = values.get("stakeholders")
    keys = met if isinstance(met, list) else (met or "").split(";")
    out["stakeholders"] = [str(key).strip() for key in keys if str(key).strip()]
    if "teamMember" in values:
        out["teamMember"] = _blank(_text(values, "teamMember"))
    _optional(values, ("summary", "nextStep"), out)
    return out, problems


def _team_member(values: Values) -> tuple[dict[str, Any], list[RowProblem]]:
    problems = _required(values, ("externalId", "name", "role"))
    out: dict[str, Any] = {"externalId": _text(values, "externalId"), "name": _text(values, "name")}
    problems += _choice(values, "role", TEAM_ROLES, out)
    _optional(values, ("email",), out)
    return out, problems


def _coverage(values: Values) -> tuple[dict[str, Any], list[RowProblem]]:
    problems = _required(values, ("teamMember", "stakeholder"))
    out: dict[str, Any] = {"teamMember": _text(values, "teamMember"), "stakeholder": _text(values, "stakeholder")}
    if "relationshipStep" in values:
        step = _blank(_text(values, "relationshipStep"))
        try:
            out["relationshipStep"] = None if step is None else int(step)
        except ValueError:
            problems.append(RowProblem("relationshipStep", f"relationshipStep must be a whole number, got {step!r}."))
    problems += _choice(values, "relationshipType", RELATIONSHIP_TYPES, out)
    return out, problems


def _coverage_key(values: Values) -> str | None:
    return f"{_text(values, 'teamMember') or ''} -> {_text(values, 'stakeholder') or ''}"


KINDS: Mapping[str, FileKind] = {
    "interactions": FileKind(
        ("externalId", "at", "type", "stakeholders", "teamMember", "summary", "nextStep"),
        ("externalId", "at", "type", "stakeholders"),
        _interaction,
        lambda values: _text(values, "externalId"),
    ),
    "team-members": FileKind(
        ("externalId", "name", "role", "email"),
        ("externalId", "name", "role"),
        _team_member,
        lambda values: _text(values, "externalId"),
    ),
    "coverage": FileKind(
        ("teamMember", "stakeholder", "relationshipStep", "relationshipType"),
        ("teamMember", "stakeholder"),
        _coverage,
        _coverage_key,
    ),
}
"""What `powermap sync --entity` reads besides contacts: columns, required columns, conversion, row key."""


def _row(kind: FileKind, values: Values, line: int) -> ItemRow:
    variables, problems = kind.convert(values)
    key = kind.key(values)
    return ItemRow(line, key, None if problems else variables, tuple(problems))


def parse_items_file(entity: str, name: str, text: str) -> ItemsFile:
    """CSV (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`, `.json`); otherwise guessed from the first character."""
    kind = KINDS[entity]
    lowered = name.lower()
    if not lowered.endswith(".csv") and (
        lowered.endswith((".jsonl", ".ndjson", ".json")) or text.lstrip().startswith("{")
    ):
        return _parse_jsonl(kind, text)
    return _parse_csv(kind, text)


def _parse_csv(kind: FileKind, text: str) -> ItemsFile:
    records, problems = csv_records(text, kind.columns, kind.required)
    if problems:
        return ItemsFile([], problems)
    return ItemsFile([_unread(r) if r.values is None else _row(kind, r.values, r.line) for r in records], [])


def _parse_jsonl(kind: FileKind, text: str) -> ItemsFile:
    rows: list[ItemRow] = []
    for record in jsonl_records(text):
        data = record.values
        if data is None:
            rows.append(_unread(record))
            continue
        unknown = [
            RowProblem(key, f"unknown field {key!r}; the fields are {', '.join(kind.columns)}.")
            for key in data
            if key not in kind.columns
        ]
        if unknown:
            rows.append(ItemRow(record.line, kind.key(data), None, tuple(unknown)))
            continue
        rows.append(_row(kind, data, record.line))
    return ItemsFile(rows, [])


def _unread(record: FileRecord) -> ItemRow:
    assert record.problem is not None
    return ItemRow(record.line, None, None, (record.problem,))
