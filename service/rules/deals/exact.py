"""Weights as the decimals people write them, so that weighted totals come out exact (4.35, not
4.3500000000000005)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


def as_written(weight: float) -> Decimal:
    """The shortest decimal that reads back as `weight`: 0.1 -> Decimal("0.1")."""
    return Decimal(repr(weight))


def weighted_sum(terms: Iterable[tuple[float, int]]) -> float:
    """Sum of weight x score, computed on the written decimals and rounded once at the end."""
    return float(sum((as_written(weight) * score for weight, score in terms), Decimal(0)))
