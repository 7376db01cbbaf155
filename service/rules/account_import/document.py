"""A whole-account document, as the import receives it: keys are the source system's external ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from service.rules.deals.document import DealSection
from service.rules.enums import (
    AccountTier,
    Adaptability,
    BuyerType,
    BuyingRole,
    ContactTier,
    ImportMode,
    InfluenceKind,
    InteractionType,
    OrgLevel,
    Personality,
    PortfolioClass,
    RelationshipType,
    Stance,
    TeamRole,
    TieKind,
)


@dataclass(frozen=True, slots=True)
class AccountDoc:
    external_id: str
    name: str
    industry: str | None = None
    tier: AccountTier | None = None
    portfolio_class: PortfolioClass | None = None


@dataclass(frozen=True, slots=True)
class StakeholderDoc:
    external_id: str
    name: str
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phone: str | None = None
    level: OrgLevel | None = None
    reports_to: str | None = None
    stance: Stance | None = None
    influence: int | None = None
    buying_roles: tuple[BuyingRole, ...] | None = None
    buyer_types: tuple[BuyerType, ...] | None = None
    adaptability: Adaptability | None = None
    personality: Personality | None = None
    contact_tier: ContactTier | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class CircleMemberDoc:
    stakeholder: str
    core: bool = False


@dataclass(frozen=True, slots=True)
class CircleDoc:
    key: str
    name: str
    color: str | None = None
    business_value: str | None = None
    track_record: str | None = None
    partisans_and_allies: str | None = None
    philosophy_and_policy: str | None = None
    members: tuple[CircleMemberDoc, ...] = ()
    rivals: tuple[str, ...] = ()
    allies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InfluenceDoc:
    source: str
    target: str
    strength: int
    kind: InfluenceKind | None = None
    topic: str | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class TieDoc:
    kind: TieKind
    a: str
    b: str
    strength: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TeamMemberDoc:
    external_id: str
    name: str
    role: TeamRole
    email: str | None = None


@dataclass(frozen=True, slots=True)
class CoverageDoc:
    team_member: str
    stakeholder: str
    relationship_step: int | None = None
    relationship_type: RelationshipType | None = None


@dataclass(frozen=True, slots=True)
class InteractionDoc:
    external_id: str
    at: datetime
    type: InteractionType
    stakeholders: tuple[str, ...]
    team_member: str | None = None
    summary: str | None = None
    next_step: str | None = None


@dataclass(frozen=True, slots=True)
class AccountDocument:
    source: str
    account: AccountDoc
    stakeholders: tuple[StakeholderDoc, ...]
    circles: tuple[CircleDoc, ...] = ()
    influences: tuple[InfluenceDoc, ...] = ()
    ties: tuple[TieDoc, ...] = ()
    team: tuple[TeamMemberDoc, ...] = ()
    coverage: tuple[CoverageDoc, ...] = ()
    interactions: tuple[InteractionDoc, ...] = field(default=())
    mode: ImportMode = ImportMode.MERGE
    deals: DealSection = DealSection()
    """Competitors, their reps, contacts, favours and opportunities (`service.rules.deals.DealSection`)."""
    effective_at: datetime | None = None
    """When the document's facts became true (DOMAIN.md rule 18): its changes are logged at that instant
    instead of now, so that a team can backfill its map's past. None: now."""
