"""The buying centre's people as the deal rules speak of them."""

from __future__ import annotations

from collections.abc import Iterable

from service.rules.analytics.describe import label
from service.rules.analytics.policy import HOSTILE_STANCES
from service.rules.deals.context import DealContext


def who(context: DealContext, person_id: str) -> str:
    """`周敏 (财务总监)`."""
    return label(context.view, person_id)


def names(context: DealContext, person_ids: Iterable[str]) -> str:
    return ", ".join(who(context, person_id) for person_id in person_ids)


def role_holders(context: DealContext) -> list[str]:
    """Members holding a buying role in this deal (the decision chain), by name."""
    people = context.view.people
    return [p for p in context.sorted_members() if people[p].buying_roles]


def opposing_members(context: DealContext) -> tuple[str, ...]:
    """Decision-chain members whose stance is ENEMY or OPPONENT, by name."""
    people = context.view.people
    return tuple(p for p in role_holders(context) if people[p].stance in HOSTILE_STANCES)
