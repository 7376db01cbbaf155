"""Influence-weighted mean stance: the shared measure of support (items 9 and 10)."""

from __future__ import annotations

from collections.abc import Iterable

from service.rules.account_graph import Person
from service.rules.analytics.weights import influence_of, stance_value


def weighted_stance(people: Iterable[Person]) -> float | None:
    """Mean stance value (-2..+2) weighted by influence; UNKNOWN left out; None if no stance is known."""
    total = weight = 0
    for person in people:
        value = stance_value(person.stance)
        if value is not None:
            total += influence_of(person) * value
            weight += influence_of(person)
    return total / weight if weight else None
