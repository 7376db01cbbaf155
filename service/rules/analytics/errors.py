"""The one exception the analytics raise: bad input the caller can fix."""

from __future__ import annotations


class AnalyticsInputError(ValueError):
    """`field` names the offending argument as the GraphQL layer spells it (e.g. "maxHops",
    "changes.2.stakeholder"); `message` says what is wrong in plain language."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
