"""The stored entities as plain, immutable domain objects: what `service.graph` returns.

Ids are internal (uuid hex); the GraphQL layer turns them into opaque global ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.rules.enums import (
    AccountTier,
    Adaptability,
    BuyerType,
    BuyingRole,
    ContactTier,
    InfluenceKind,
    InteractionType,
    OrgLevel,
    Personality,
    PortfolioClass,
    RelationshipStage,
    RelationshipType,
    Stance,
    TeamRole,
    TieKind,
)


@dataclass(frozen=True, slots=True)
class ExternalId:
    source: str
    id: str


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str
    industry: str | None = None
    tier: AccountTier | None = None
    portfolio_class: PortfolioClass | None = None
    relationship_stage: RelationshipStage | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Stakeholder:
    id: str
    account_id: str
    name: str
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phone: str | None = None
    level: OrgLevel | None = None
    stance: Stance = Stance.UNKNOWN
    influence: int | None = None
    buying_roles: tuple[BuyingRole, ...] = ()
    buyer_types: tuple[BuyerType, ...] = ()
    adaptability: Adaptability | None = None
    personality: Personality | None = None
    contact_tier: ContactTier | None = None
    notes: str | None = None
    archived: bool = False
    version: int = 1
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Circle:
    id: str
    account_id: str
    name: str
    color: str | None = None
    business_value: str | None = None
    track_record: str | None = None
    partisans_and_allies: str | None = None
    philosophy_and_policy: str | None = None


@dataclass(frozen=True, slots=True)
class CircleMembership:
    stakeholder_id: str
    circle_id: str
    core: bool


@dataclass(frozen=True, slots=True)
class InfluenceLink:
    id: str
    from_id: str
    to_id: str
    strength: int
    kind: InfluenceKind | None = None
    topic: str | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Tie:
    id: str
    kind: TieKind
    a_id: str
    b_id: str
    strength: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TeamMember:
    id: str
    name: str
    role: TeamRole
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    team_member_id: str
    stakeholder_id: str
    relationship_step: int | None = None
    relationship_type: RelationshipType | None = None
    last_contact_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Interaction:
    id: str
    account_id: str
    at: datetime
    type: InteractionType
    team_member_id: str | None = None
    stakeholder_ids: tuple[str, ...] = ()
    summary: str | None = None
    next_step: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One changed value: `field` of `entity` went from `old` to `new` (JSON values), in the logged change
    `id` (its `index`-th field) of kind `op` (CREATED, UPDATED, ARCHIVED, RESTORED, DELETED)."""

    id: str
    at: datetime
    by: str
    entity: str
    entity_id: str
    field: str
    old: Any
    new: Any
    op: str = "UPDATED"
    index: int = 0


@dataclass(frozen=True, slots=True)
class Surroundings:
    """What a read loaded around one stakeholder, each list in the order its own field answers in; None:
    not asked for. `reports_to` holds the manager's id, if any (at most one)."""

    influences: tuple[InfluenceLink, ...] | None = None
    influenced_by: tuple[InfluenceLink, ...] | None = None
    ties: tuple[Tie, ...] | None = None
    memberships: tuple[CircleMembership, ...] | None = None
    coverage: tuple[Coverage, ...] | None = None
    reports_to: tuple[str, ...] | None = None
    direct_reports: tuple[str, ...] | None = None


NOTHING_AROUND = Surroundings()


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """Stakeholders read with their surroundings, and the records those name: the circles of the
    memberships, the team members of the coverage and the people: those read, and (when asked for) the
    others the links, ties and reporting lines lead to."""

    around: Mapping[str, Surroundings]
    circles: Mapping[str, Circle]
    team_members: Mapping[str, TeamMember]
    people: Mapping[str, Stakeholder]

    def of(self, stakeholder_id: str) -> Surroundings:
        return self.around.get(stakeholder_id, NOTHING_AROUND)

    def joined(self, other: Neighbourhood) -> Neighbourhood:
        return Neighbourhood(
            {**self.around, **other.around},
            {**self.circles, **other.circles},
            {**self.team_members, **other.team_members},
            {**self.people, **other.people},
        )


EMPTY_NEIGHBOURHOOD = Neighbourhood({}, {}, {}, {})
