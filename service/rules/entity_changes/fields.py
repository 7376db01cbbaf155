"""Field checks of the entity inputs. Values are keyed by their stored names and hold only what the
client gave (an update leaves the rest out); paths are relative to the mutation's `input`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from service.rules.validation import (
    INFLUENCE_RANGE,
    RELATIONSHIP_STEP_RANGE,
    STRENGTH_RANGE,
    TEXT_RULES,
    Problem,
    check_text,
    confidence_in_range,
    in_range,
    text_problems,
)

Values = Mapping[str, Any]


def _email(values: Values) -> list[Problem]:
    email = values.get("email")
    if email is None or "@" in email:
        return []
    return [Problem(("email",), f"{email!r} is not an email address.")]


def _not_null(values: Values, names: Sequence[str]) -> list[Problem]:
    return [Problem((name,), f"{name} must not be null.") for name in names if name in values and values[name] is None]


def account_problems(values: Values) -> list[Problem]:
    return text_problems("Account", values)


def stakeholder_problems(values: Values) -> list[Problem]:
    return [
        *text_problems("Stakeholder", values),
        *_email(values),
        *in_range(values.get("influence"), INFLUENCE_RANGE, ("influence",), "influence"),
    ]


def circle_problems(values: Values) -> list[Problem]:
    return text_problems("Circle", values)


def team_member_problems(values: Values) -> list[Problem]:
    return [*text_problems("TeamMember", values), *_email(values), *_not_null(values, ("role",))]


def external_id_problems(source: str, external_id: str) -> list[Problem]:
    return [
        *check_text(source, TEXT_RULES["ExternalId"]["source"], ("externalId", "source"), "source"),
        *check_text(external_id, TEXT_RULES["ExternalId"]["externalId"], ("externalId", "id"), "id"),
    ]


def influence_problems(strength: int, confidence: float | None, topic: str | None) -> list[Problem]:
    return [
        *in_range(strength, STRENGTH_RANGE, ("strength",), "strength"),
        *confidence_in_range(confidence, ("confidence",)),
        *text_problems("InfluenceLink", {"topic": topic}),
    ]


def tie_problems(strength: int | None, note: str | None) -> list[Problem]:
    return [*in_range(strength, STRENGTH_RANGE, ("strength",), "strength"), *text_problems("Tie", {"note": note})]


def coverage_problems(step: int) -> list[Problem]:
    return in_range(step, RELATIONSHIP_STEP_RANGE, ("relationshipStep",), "relationshipStep")


def interaction_problems(at: datetime, met: int, summary: str | None, next_step: str | None) -> list[Problem]:
    problems = text_problems("Interaction", {"summary": summary, "nextStep": next_step})
    if at.tzinfo is None:
        problems.insert(0, Problem(("at",), "`at` needs a time zone offset."))
    if met == 0:
        problems.append(Problem(("stakeholders",), "an interaction meets at least one stakeholder."))
    return problems


def interaction_edit_problems(values: Values, met: int | None) -> list[Problem]:
    """An edit of an interaction: `values` holds only the fields given; `met` how many people it now
    meets (None: unchanged)."""
    problems = [
        Problem((name,), f"`{name}` cannot be cleared.")
        for name in ("at", "type")
        if name in values and values[name] is None
    ]
    at = values.get("at")
    if at is not None and at.tzinfo is None:
        problems.append(Problem(("at",), "`at` needs a time zone offset."))
    problems += text_problems("Interaction", values)
    if met == 0:
        problems.append(Problem(("stakeholders",), "an interaction meets at least one stakeholder."))
    return problems


def id_or_pair(has_id: bool, pair: Sequence[tuple[str, bool]]) -> list[Problem]:
    """A removal names its target either by `id` or by all of `pair` (field name, given), never both."""
    names = " and ".join(f"`{name}`" for name, _ in pair)
    given = [given for _, given in pair]
    if has_id and not any(given):
        return []
    if not has_id and all(given):
        return []
    return [Problem(("id",), f"give either `id`, or {names}.")]


def reporting_problems(person_id: str, manager_id: str | None, cycle: bool) -> list[Problem]:
    """A new reporting line: never to oneself, never closing a cycle."""
    if manager_id == person_id:
        return [Problem(("reportsTo",), "a stakeholder cannot report to themselves.")]
    if cycle:
        return [Problem(("reportsTo",), "reporting lines would form a cycle.")]
    return []
