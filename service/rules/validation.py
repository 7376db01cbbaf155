"""Input validation as data: each check returns the problems it found, never raises.

Text limits live here once (`TEXT_RULES`), by entity and stored field name, and every path that writes
text uses them: the hand-made mutations (`entity_changes/fields.py`), the whole-account import
(`account_import/validate.py`) and contact sync (`contacts.py`). A required text (a name, a key) must
show something: whitespace, zero-width and other invisible format characters and control characters
alone do not count. Control characters (other than tab, line feed and carriage return in long texts)
are refused in every text field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from service.rules.enums import ErrorCode

STRENGTH_RANGE = range(1, 6)
INFLUENCE_RANGE = range(1, 6)
RELATIONSHIP_STEP_RANGE = range(1, 6)
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 10_000
MAX_SOURCE_LENGTH = 100

_INVISIBLE = "\\s\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufff8"
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")
"""A character that shows: not whitespace, not a control or format character, not a zero-width one."""
_CONTROL_LINE = re.compile("[\\x00-\\x1f\\x7f-\\x9f]")
_CONTROL_TEXT = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, where: `path` is relative to the mutation's input."""

    path: tuple[str, ...]
    message: str
    code: ErrorCode = ErrorCode.INVALID

    def under(self, *prefix: str) -> Problem:
        return Problem((*prefix, *self.path), self.message, self.code)


@dataclass(frozen=True, slots=True)
class TextRule:
    """One text field: at most `limit` characters; `required` ones must show something; `multiline`
    ones may hold tabs and line breaks."""

    limit: int = MAX_NAME_LENGTH
    required: bool = False
    multiline: bool = False


NAME = TextRule(MAX_NAME_LENGTH, required=True)
SHORT = TextRule(MAX_NAME_LENGTH)
LONG = TextRule(MAX_TEXT_LENGTH, multiline=True)
KEY = TextRule(MAX_NAME_LENGTH, required=True)
SOURCE = TextRule(MAX_SOURCE_LENGTH, required=True)

TEXT_RULES: Mapping[str, Mapping[str, TextRule]] = {
    "Account": {"name": NAME, "industry": SHORT},
    "Stakeholder": {
        "name": NAME,
        "title": SHORT,
        "department": SHORT,
        "email": SHORT,
        "phone": SHORT,
        "notes": LONG,
    },
    "Circle": {
        "key": KEY,
        "name": NAME,
        "color": SHORT,
        "businessValue": LONG,
        "trackRecord": LONG,
        "partisansAndAllies": LONG,
        "philosophyAndPolicy": LONG,
    },
    "TeamMember": {"name": NAME, "email": SHORT},
    "InfluenceLink": {"topic": SHORT},
    "Tie": {"note": LONG},
    "Interaction": {"summary": LONG, "nextStep": LONG},
    "ExternalId": {"source": SOURCE, "externalId": KEY, "reportsTo": SHORT},
}
"""Every text field that a client can write, by entity and stored name: the one table of limits."""


def in_range(value: int | None, allowed: range, path: Sequence[str], what: str) -> list[Problem]:
    if value is None or value in allowed:
        return []
    return [Problem(tuple(path), f"{what} must be between {allowed[0]} and {allowed[-1]}, got {value}.")]


def shows_something(value: str) -> bool:
    """Whether the text has a visible character (not only spaces, zero-width or control characters)."""
    return _VISIBLE.search(value) is not None


def plain_line(value: str) -> bool:
    """Whether a one-line text is free of control characters (the fast path of bulk checks)."""
    return _CONTROL_LINE.search(value) is None


def check_text(value: str | None, rule: TextRule, path: Sequence[str], what: str) -> list[Problem]:
    """The problems of one text value under `rule` (None is only a problem when the text is required)."""
    if value is None or (rule.required and not shows_something(value)):
        if rule.required:
            return [Problem(tuple(path), f"{what} must not be empty.")]
        return []
    if len(value) > rule.limit:
        return [Problem(tuple(path), f"{what} must be at most {rule.limit} characters.")]
    control = _CONTROL_TEXT if rule.multiline else _CONTROL_LINE
    if control.search(value) is not None:
        return [Problem(tuple(path), f"{what} must not contain control characters.")]
    return []


def text_problems(entity: str, values: Mapping[str, Any], path: Sequence[str] = ()) -> list[Problem]:
    """The text problems of the given `values` (stored names) of `entity`; fields left out are not checked."""
    rules = TEXT_RULES[entity]
    return [
        problem
        for name, rule in rules.items()
        if name in values
        for problem in check_text(values[name], rule, (*path, name), name)
    ]


def required_text(value: str | None, path: Sequence[str], what: str, limit: int = MAX_NAME_LENGTH) -> list[Problem]:
    return check_text(value, TextRule(limit, required=True), path, what)


def optional_text(value: str | None, path: Sequence[str], what: str, limit: int = MAX_TEXT_LENGTH) -> list[Problem]:
    return check_text(value, TextRule(limit, multiline=limit >= MAX_TEXT_LENGTH), path, what)


def confidence_in_range(value: float | None, path: Sequence[str]) -> list[Problem]:
    if value is None or 0.0 <= value <= 1.0:
        return []
    return [Problem(tuple(path), f"confidence must be between 0 and 1, got {value}.")]


def not_self(a: str, b: str, path: Sequence[str], what: str) -> list[Problem]:
    if a != b:
        return []
    return [Problem(tuple(path), f"{what} cannot link a stakeholder to themselves.")]
