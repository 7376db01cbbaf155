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

_SMALL = 8
"""Below this many items the comparator sort is cheaper than preparing plain keys."""


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
    """Sorted by `compare_keys`, stable.

    When the tolerance splits every float column into classes of equal scores (the usual case: scores
    are products of fifths, equal ones differ by rounding only, unequal ones by far more), each float
    is replaced by its class number and the sort runs on plain tuples, with the same outcome.
    """
    decorated = [(key(item), item) for item in items]
    if len(decorated) >= _SMALL:
        plain = _plain_keys([sort_key for sort_key, _ in decorated])
        if plain is not None:
            order = sorted(range(len(decorated)), key=plain.__getitem__)
            return [decorated[index][1] for index in order]

    def compare(a: tuple[SortKey, T], b: tuple[SortKey, T]) -> int:
        return compare_keys(a[0], b[0])

    decorated.sort(key=cmp_to_key(compare))
    return [item for _, item in decorated]


def _plain_keys(keys: list[SortKey]) -> list[SortKey] | None:
    """`keys` with each float replaced by its tolerance class; None when a column mixes types or its
    classes are not clean, where only the comparator itself gives the same order."""
    if len(set(map(len, keys))) != 1 or not keys[0]:
        return None
    columns: list[tuple[KeyPart, ...] | list[int]] = []
    for column in zip(*keys, strict=True):
        kinds = set(map(type, column))
        if kinds == {float}:
            classes = _tolerance_classes(sorted(set(column)))
            if classes is None:
                return None
            columns.append(list(map(classes.__getitem__, column)))
        elif kinds == {str} or kinds <= {int, bool}:
            columns.append(column)
        else:
            return None
    return list(zip(*columns, strict=True))


def _tolerance_classes(ordered: list[float]) -> dict[float, int] | None:
    """Number each value so that `compare_scores` agrees with comparing the numbers, for every pair of
    values, in both directions; None when the tolerance chains values together unevenly."""
    if any(value != value for value in ordered):
        return None
    classes = {ordered[0]: 0}
    index = 0
    first = ordered[0]
    for previous, value in zip(ordered, ordered[1:], strict=False):
        if compare_scores(previous, value) == -1 and compare_scores(value, previous) == 1:
            index += 1
            first = value
        elif compare_scores(first, value) or compare_scores(value, first):
            return None
        classes[value] = index
    return classes


def person_key(person: Person) -> tuple[str, str]:
    """Name, then id: the deterministic last word of every ordering."""
    return (person.name, person.id)
