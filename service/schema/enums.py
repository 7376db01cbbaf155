"""The GraphQL enums: the domain's own enums, registered with strawberry under the same names."""

from __future__ import annotations

import strawberry

from service.rules.enums import (
    AccountTier,
    Adaptability,
    BuyerType,
    BuyingRole,
    ContactTier,
    GapKind,
    ImportMode,
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
    UpsertStatus,
)

for _enum in (
    Stance,
    BuyingRole,
    BuyerType,
    Adaptability,
    Personality,
    OrgLevel,
    ContactTier,
    InfluenceKind,
    TieKind,
    RelationshipType,
    TeamRole,
    InteractionType,
    AccountTier,
    GapKind,
    ImportMode,
    UpsertStatus,
    PortfolioClass,
    RelationshipStage,
):
    strawberry.enum(_enum)

__all__ = [
    "Stance",
    "BuyingRole",
    "BuyerType",
    "Adaptability",
    "Personality",
    "OrgLevel",
    "ContactTier",
    "InfluenceKind",
    "TieKind",
    "RelationshipType",
    "TeamRole",
    "InteractionType",
    "AccountTier",
    "GapKind",
    "ImportMode",
    "UpsertStatus",
    "PortfolioClass",
    "RelationshipStage",
]
