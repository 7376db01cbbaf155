"""How ratings turn into the numbers the analytics compute with (see `policy`)."""

from __future__ import annotations

from service.rules.account_graph import Coverage, Person, Tie
from service.rules.analytics.policy import (
    DEFAULT_RELATIONSHIP_STEP,
    DEFAULT_TIE_STRENGTH,
    STANCE_VALUES,
    STRENGTH_SCALE,
    UNRATED_INFLUENCE,
)
from service.rules.enums import Stance


def rating_weight(rating: int) -> float:
    """`rating / 5`, capped at 1 so that no walk gains strength by going round a cycle."""
    return min(rating, STRENGTH_SCALE) / STRENGTH_SCALE


def tie_rating(tie: Tie) -> int:
    return DEFAULT_TIE_STRENGTH if tie.strength is None else tie.strength


def step_rating(coverage: Coverage) -> int:
    return DEFAULT_RELATIONSHIP_STEP if coverage.relationship_step is None else coverage.relationship_step


def influence_of(person: Person) -> int:
    return UNRATED_INFLUENCE if person.influence is None else person.influence


def stance_value(stance: Stance) -> int | None:
    """-2..+2, or None for UNKNOWN (excluded from every average)."""
    return STANCE_VALUES.get(stance)
