"""Sorting with tolerant score comparison (DOMAIN.md: "ties in strength compare with a 1e-9 tolerance").

A sort key is a tuple; float components compare equal when within `TOLERANCE` (negate a float to
sort it descending), every other component compares as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cmp_to_key
from typing import TypeVar

from service.rules.account_graph import Person
from service.rules.analytics.policy import TOLERANCE

T = TypeVar("T")
KeyPart = float | int | str
SortKey = tuple[KeyPart, ...]


def compare_scores(a: float, b: float) -> int:
    """-1, 0 or 1 like a classic comparator, with `TOLERANCE` for equality."""
    if a < b - TOLERANCE:
        return -1
    if a > b + TOLERANCE:
        return 1
    return 0


def is_stronger(a: float, b: float) -> bool:
    return compare_scores(a, b) > 0


def is_positive(score: float) -> bool:
    return is_stronger(score, 0.0)


def _compare_parts(a: KeyPart, b: KeyPart) -> int:
    if isinstance(a, float) or isinstance(b, float):
        return compare_scores(float(a), float(b))
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    if isinstance(a, int) and isinstance(b, int):
        return (a > b) - (a < b)
    raise TypeError(f"sort keys mix {type(a).__name__} and {type(b).__name__}")


def compare_keys(a: SortKey, b: SortKey) -> int:
    for part_a, part_b in zip(a, b, strict=True):
        outcome = _compare_parts(part_a, part_b)
        if outcome:
            return outcome
    return 0


def tolerant_sorted(items: Iterable[T], key: Callable[[T], SortKey]) -> list[T]:
    def compare(a: T, b: T) -> int:
        return compare_keys(key(a), key(b))

    return sorted(items, key=cmp_to_key(compare))


def person_key(person: Person) -> tuple[str, str]:
    """Name, then id: the deterministic last word of every ordering."""
    return (person.name, person.id)
