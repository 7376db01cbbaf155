"""Rule 14: how often we should see each stakeholder, and who is overdue.

The account's visit cadence comes from its tier, bounded by its portfolio class; a stakeholder's due
interval from the cadence and their planned contact tier. Last contacts are the latest interaction
that met the person, by anyone on our team. (`STALE_COVERAGE` keeps its own window.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from service.rules.account_graph import AccountGraph, Person
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import label
from service.rules.analytics.key_people import as_utc
from service.rules.analytics.leverage import leverage_in
from service.rules.analytics.memo import remembered
from service.rules.analytics.ordering import SortKey, person_key, tolerant_sorted
from service.rules.analytics.policy import (
    CLOSE_CONTACT_DIVISOR,
    CLOSE_CONTACT_TIERS,
    DEFAULT_MAX_HOPS,
    NO_CONTACT_TIERS,
    NO_TIER_CADENCE_DAYS,
    PORTFOLIO_MAX_CADENCE_DAYS,
    PORTFOLIO_MIN_CADENCE_DAYS,
    TIER_CADENCE_DAYS,
)
from service.rules.analytics.ranked import Ranked
from service.rules.enums import AccountTier, ContactTier, PortfolioClass


@dataclass(frozen=True, slots=True)
class ContactDue:
    stakeholder: str
    due_interval_days: int | None
    """None: planned not to be contacted (contact tier NONE), never due."""
    last_contact_at: datetime | None
    due_at: datetime | None
    """Last contact + the interval; None when never due, or never met (then due at once)."""


@dataclass(frozen=True, slots=True)
class OverdueContact:
    stakeholder: str
    due_interval_days: int
    last_contact_at: datetime | None
    """None: we have never met them."""
    days_overdue: int | None
    """Whole days since the contact fell due; None when we have never met them."""
    reason: str


def cadence_days(tier: AccountTier | None, portfolio_class: PortfolioClass | None) -> int:
    """The account's visit cadence: by tier, then capped (VOLCANO) or floored (DOG) by portfolio class."""
    days = NO_TIER_CADENCE_DAYS if tier is None else TIER_CADENCE_DAYS[tier]
    if portfolio_class is not None:
        days = min(days, PORTFOLIO_MAX_CADENCE_DAYS.get(portfolio_class, days))
        days = max(days, PORTFOLIO_MIN_CADENCE_DAYS.get(portfolio_class, days))
    return days


def due_interval_days(cadence: int, contact_tier: ContactTier | None) -> int | None:
    """Halved (rounded down) for close contacts, none for those not to be contacted, else the cadence."""
    if contact_tier in NO_CONTACT_TIERS:
        return None
    if contact_tier in CLOSE_CONTACT_TIERS:
        return cadence // CLOSE_CONTACT_DIVISOR
    return cadence


def contact_due_dates(graph: AccountGraph) -> dict[str, ContactDue]:
    """Active stakeholder id -> when they are next due for a contact (whatever the day today)."""
    return dict(_due_dates(active_view(graph), graph))


def overdue_contacts(graph: AccountGraph, as_of: datetime | None = None) -> Ranked[OverdueContact]:
    """Stakeholders with a due interval whose last contact is older than the interval before `as_of`
    (default now; naive is UTC), or who were never met: never met first, then most days overdue,
    then leverage desc, then name."""
    view = active_view(graph)
    moment = as_utc(as_of) if as_of is not None else datetime.now(UTC)
    leverage = leverage_in(view, DEFAULT_MAX_HOPS)
    overdue = [row for due in _due_dates(view, graph).values() if (row := _overdue(due, moment)) is not None]
    ranked = tolerant_sorted(overdue, key=lambda row: _rank(view.people[row.due.stakeholder], row.days, leverage))
    cadence = cadence_days(graph.tier, graph.portfolio_class)
    return Ranked.of(ranked, lambda row: _row(view, graph, cadence, row))


class _Overdue(NamedTuple):
    due: ContactDue
    interval: int
    days: int | None
    """Whole days since the contact fell due; None when never met."""


def _due_dates(view: ActiveView, graph: AccountGraph) -> dict[str, ContactDue]:
    """Computed once per view (shared, do not change it)."""

    def compute() -> dict[str, ContactDue]:
        cadence = cadence_days(graph.tier, graph.portfolio_class)
        return {person.id: _due(person, cadence) for person in view.people.values()}

    return remembered(view.memo, "cadence/due", compute)


def _due(person: Person, cadence: int) -> ContactDue:
    interval = due_interval_days(cadence, person.contact_tier)
    last = None if person.last_contact_at is None else as_utc(person.last_contact_at)
    due_at = None if interval is None or last is None else last + timedelta(days=interval)
    return ContactDue(person.id, interval, last, due_at)


def _overdue(due: ContactDue, as_of: datetime) -> _Overdue | None:
    """None unless due at all, and never met or due before `as_of`."""
    interval = due.due_interval_days
    if interval is None:
        return None
    if due.due_at is None:
        return _Overdue(due, interval, None)
    if due.due_at >= as_of:
        return None
    return _Overdue(due, interval, (as_of - due.due_at).days)


def _rank(person: Person, days: int | None, leverage: dict[str, float]) -> SortKey:
    never_met = days is None
    return (0 if never_met else 1, -(days or 0), -leverage[person.id], *person_key(person))


def _row(view: ActiveView, graph: AccountGraph, cadence: int, overdue: _Overdue) -> OverdueContact:
    due, interval, days = overdue
    person = view.people[due.stakeholder]
    if due.last_contact_at is None:
        when = "we have never met them"
    else:
        when = f"last contact {due.last_contact_at.date().isoformat()}, {days} day(s) overdue"
    return OverdueContact(
        stakeholder=person.id,
        due_interval_days=interval,
        last_contact_at=due.last_contact_at,
        days_overdue=days,
        reason=f"{label(view, person.id)} is due every {interval} days ({_why_interval(graph, cadence, person)}); {when}.",
    )


def _why_interval(graph: AccountGraph, cadence: int, person: Person) -> str:
    tier = f"tier {graph.tier.value} account" if graph.tier else "account without a tier"
    bounded = f", {graph.portfolio_class.value}" if graph.portfolio_class else ""
    if person.contact_tier in CLOSE_CONTACT_TIERS:
        return f"{tier}{bounded}: visit every {cadence} days, halved for a {person.contact_tier.value} contact"
    return f"{tier}{bounded}: visit every {cadence} days"
