"""DOMAIN.md rule 14's account cadence, as item 22 uses it."""

from __future__ import annotations

import pytest

from service.rules.deals import cadence_days
from service.rules.enums import AccountTier, PortfolioClass


@pytest.mark.parametrize(
    ("tier", "portfolio_class", "days"),
    [
        (AccountTier.A, None, 15),
        (AccountTier.B, None, 30),
        (AccountTier.C, None, 60),
        (None, None, 60),
        (AccountTier.C, PortfolioClass.VOLCANO, 30),
        (AccountTier.A, PortfolioClass.VOLCANO, 15),
        (AccountTier.A, PortfolioClass.DOG, 60),
        (None, PortfolioClass.DOG, 60),
        (AccountTier.B, PortfolioClass.COW, 30),
        (AccountTier.B, PortfolioClass.STAR, 30),
    ],
)
def test_cadence(tier: AccountTier | None, portfolio_class: PortfolioClass | None, days: int) -> None:
    assert cadence_days(tier, portfolio_class) == days
