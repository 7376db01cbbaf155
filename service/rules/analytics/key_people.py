"""Item 6: who counts as a key person, and whether our coverage of them has gone stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.rules.account_graph import Person
from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.describe import rating
from service.rules.analytics.policy import (
    KEY_PERSON_BUYER_TYPES,
    KEY_PERSON_CONTACT_TIERS,
    KEY_PERSON_MIN_INFLUENCE,
    KEY_PERSON_ROLES,
)
from service.rules.analytics.weights import influence_of
from service.rules.enums import BuyerType, BuyingRole

_KEY_ROLES = tuple(role for role in BuyingRole if role in KEY_PERSON_ROLES)
_KEY_BUYER_TYPES = tuple(kind for kind in BuyerType if kind in KEY_PERSON_BUYER_TYPES)
"""In declaration order, like the grounds they name."""


def key_person_grounds(view: ActiveView, person: Person) -> list[str]:
    """Why `person` is a key person, in words; empty when they are not one (or outside the view's
    key-person scope)."""
    if view.key_person_scope is not None and person.id not in view.key_person_scope:
        return []
    roles, types = person.buying_roles, person.buyer_types
    grounds = [role.value for role in _KEY_ROLES if role in roles] if roles else []
    if types:
        grounds += [f"{kind.value} buyer" for kind in _KEY_BUYER_TYPES if kind in types]
    if influence_of(person) >= KEY_PERSON_MIN_INFLUENCE:
        grounds.append(f"influence {rating(influence_of(person))}")
    memberships = view.memberships_of.get(person.id)
    if memberships:
        grounds += [f"core of {name}" for name in sorted(view.circles[m.circle].name for m in memberships if m.core)]
    if person.contact_tier in KEY_PERSON_CONTACT_TIERS:
        grounds.append(f"{person.contact_tier.value} contact tier")
    return grounds


def is_stale(person: Person, as_of: datetime, stale_after_days: int) -> bool:
    """No interaction within `stale_after_days` before `as_of` (naive datetimes are taken as UTC)."""
    if person.last_contact_at is None:
        return True
    return as_utc(person.last_contact_at) < as_utc(as_of) - timedelta(days=stale_after_days)


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
