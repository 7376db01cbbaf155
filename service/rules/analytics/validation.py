"""Checks on analytic arguments; each failure raises `AnalyticsInputError` naming the argument."""

from __future__ import annotations

from service.rules.analytics.errors import AnalyticsInputError
from service.rules.analytics.policy import MAX_HOPS_LIMIT, MIN_HOPS


def validate_max_hops(value: int, field: str = "maxHops") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_HOPS <= value <= MAX_HOPS_LIMIT:
        raise AnalyticsInputError(field, f"must be an integer from {MIN_HOPS} to {MAX_HOPS_LIMIT}, got {value!r}")
    return value


def validate_stale_after_days(value: int, field: str = "staleAfterDays") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AnalyticsInputError(field, f"must be a whole number of days >= 0, got {value!r}")
    return value
