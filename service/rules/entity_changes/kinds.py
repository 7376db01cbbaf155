"""Closed value sets of the entity writes that the domain enums do not have."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class CircleRelationKind(Enum):
    RIVAL = "RIVAL"
    ALLY = "ALLY"


RELATION_TYPES: Mapping[CircleRelationKind, str] = {
    CircleRelationKind.RIVAL: "RIVAL_OF",
    CircleRelationKind.ALLY: "ALLIED_WITH",
}
