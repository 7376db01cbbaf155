"""The read policy: what each principal may read. The GraphQL layer asks `may_read` before it runs a
query, for every field the query selects (see `service.schema.access`), and never decides by itself.

Integration jobs read accounts and contacts, nothing of the strategy: not stance, influence, roles,
buyer types, personality, notes, history, links, ties, circles, coverage, interactions or analytics.
"""

from __future__ import annotations

from enum import Enum

from service.rules.access import Permission, Principal
from service.usecases.authorization import Forbidden


class Reading(Enum):
    """What a field shows, by the permission it needs."""

    BASICS = Permission.READ
    """Accounts, contacts (name, title, department, email, phone, level, reporting line), team members,
    one's own identity."""
    INTELLIGENCE = Permission.READ_INTELLIGENCE
    """Stance, influence, roles, buyer types, personality, notes, history, links, ties, circles, coverage,
    interactions, the account's strategic classification, and every analytic."""
    ADMINISTRATION = Permission.ADMINISTER
    """API keys and the audit log."""


def may_read(principal: Principal, reading: Reading) -> bool:
    return principal.can(reading.value)


def require_read(principal: Principal, reading: Reading) -> None:
    if not may_read(principal, reading):
        raise Forbidden(reading.value)
