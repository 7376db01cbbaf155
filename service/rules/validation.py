"""Input validation as data: each check returns the problems it found, never raises."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.rules.enums import ErrorCode

STRENGTH_RANGE = range(1, 6)
INFLUENCE_RANGE = range(1, 6)
RELATIONSHIP_STEP_RANGE = range(1, 6)
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 10_000


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, where: `path` is relative to the mutation's input."""

    path: tuple[str, ...]
    message: str
    code: ErrorCode = ErrorCode.INVALID

    def under(self, *prefix: str) -> Problem:
        return Problem((*prefix, *self.path), self.message, self.code)


def in_range(value: int | None, allowed: range, path: Sequence[str], what: str) -> list[Problem]:
    if value is None or value in allowed:
        return []
    return [Problem(tuple(path), f"{what} must be between {allowed[0]} and {allowed[-1]}, got {value}.")]


def required_text(value: str | None, path: Sequence[str], what: str, limit: int = MAX_NAME_LENGTH) -> list[Problem]:
    if value is None or not value.strip():
        return [Problem(tuple(path), f"{what} must not be empty.")]
    return optional_text(value, path, what, limit)


def optional_text(value: str | None, path: Sequence[str], what: str, limit: int = MAX_TEXT_LENGTH) -> list[Problem]:
    if value is not None and len(value) > limit:
        return [Problem(tuple(path), f"{what} must be at most {limit} characters.")]
    return []


def confidence_in_range(value: float | None, path: Sequence[str]) -> list[Problem]:
    if value is None or 0.0 <= value <= 1.0:
        return []
    return [Problem(tuple(path), f"confidence must be between 0 and 1, got {value}.")]


def not_self(a: str, b: str, path: Sequence[str], what: str) -> list[Problem]:
    if a != b:
        return []
    return [Problem(tuple(path), f"{what} cannot link a stakeholder to themselves.")]
