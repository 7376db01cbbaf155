"""An account's visit cadence (DOMAIN.md rule 14). Analytics v2 states the same rule; to be unified."""

from __future__ import annotations

from service.rules.deals.policy import (
    CADENCE_DAYS,
    DOG_MIN_CADENCE_DAYS,
    UNTIERED_CADENCE_DAYS,
    VOLCANO_MAX_CADENCE_DAYS,
)
from service.rules.enums import AccountTier, PortfolioClass


def cadence_days(tier: AccountTier | None, portfolio_class: PortfolioClass | None) -> int:
    """Tier A 15, B 30, C 60, none 60; VOLCANO at most 30, DOG at least 60."""
    days = UNTIERED_CADENCE_DAYS if tier is None else CADENCE_DAYS[tier]
    if portfolio_class is PortfolioClass.VOLCANO:
        return min(days, VOLCANO_MAX_CADENCE_DAYS)
    if portfolio_class is PortfolioClass.DOG:
        return max(days, DOG_MIN_CADENCE_DAYS)
    return days
