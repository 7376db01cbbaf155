"""The account snapshot that every analytic reads: plain, immutable data loaded in one round trip.

`service.graph` builds it; `service.rules.analytics` computes over it. Ids are the internal ids of
the stored nodes. Archived stakeholders are normally left out by the loader; `Person.archived` lets
the rules drop any that slip in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from service.rules.enums import AccountTier, BuyerType, BuyingRole, ContactTier, PortfolioClass, Stance, TieKind
from service.rules.models import Stakeholder


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    title: str | None = None
    stance: Stance = Stance.UNKNOWN
    influence: int | None = None
    buying_roles: frozenset[BuyingRole] = frozenset()
    buyer_types: frozenset[BuyerType] = frozenset()
    contact_tier: ContactTier | None = None
    archived: bool = False
    last_contact_at: datetime | None = None
    """The latest interaction that met this person, by anyone on our team."""


Link = tuple[str, str, int]
"""A directed influence link `(source, target, strength)`, strength 1..5. A plain tuple: snapshots hold
100,000s of them, a tuple is built several times faster than an object, and Python's cyclic garbage
collector stops tracking a plain tuple of strings and numbers (not a named one), so its full passes do
not walk them. No id: the analytics name people, never links."""


class Tie(NamedTuple):
    """An undirected tie between two people; `strength` None counts as 3. A named tuple: far fewer than links."""

    kind: TieKind
    a: str
    b: str
    strength: int | None = None


@dataclass(frozen=True, slots=True)
class ReportingLine:
    person: str
    manager: str


@dataclass(frozen=True, slots=True)
class Circle:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Membership:
    person: str
    circle: str
    core: bool = False


@dataclass(frozen=True, slots=True)
class TeamMember:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """Team member `team_member` covers stakeholder `person`; step None counts as the default step."""

    team_member: str
    person: str
    relationship_step: int | None = None


@dataclass(frozen=True, slots=True)
class AccountGraph:
    account_id: str
    people: tuple[Person, ...] = ()
    links: tuple[Link, ...] = ()
    ties: tuple[Tie, ...] = ()
    reporting_lines: tuple[ReportingLine, ...] = ()
    circles: tuple[Circle, ...] = ()
    memberships: tuple[Membership, ...] = ()
    team: tuple[TeamMember, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    key_person_scope: frozenset[str] | None = None
    """Who may be a key person (DOMAIN.md item 6); None: anyone. A deal's view sets it to the
    opportunity's buying centre (`service.rules.deals.deal_view`)."""
    tier: AccountTier | None = None
    """The account's tier and portfolio class set its visit cadence (DOMAIN.md rule 14)."""
    portfolio_class: PortfolioClass | None = None
    records: Mapping[str, Stakeholder] = field(default_factory=dict, compare=False, repr=False)
    """The stored record of every person, read with them: what the answers show of the people they name.
    The analytics never read it (graphs built by hand may leave it empty)."""
    memo: dict[str, object] = field(default_factory=dict, init=False, compare=False, repr=False)
    """Derived structures computed once per snapshot (e.g. the analytics' active view), so that every
    analytic of one request shares them."""
