"""Stored property maps of relationships, from their domain objects: the `before` side of a diff."""

from __future__ import annotations

from enum import Enum
from typing import Any

from service.rules.models import Coverage, InfluenceLink, Tie

Props = dict[str, Any]


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def influence_props(link: InfluenceLink) -> Props:
    return {
        "strength": link.strength,
        "kind": _value(link.kind),
        "topic": link.topic,
        "confidence": link.confidence,
    }


def tie_props(tie: Tie) -> Props:
    """Without `kind`: it identifies the tie and never changes."""
    return {"strength": tie.strength, "note": tie.note}


def coverage_props(coverage: Coverage) -> Props:
    return {"relationshipStep": coverage.relationship_step, "relationshipType": _value(coverage.relationship_type)}


def coverage_id(team_member_id: str, stakeholder_id: str) -> str:
    """The entity id of a coverage in history rows, as the import writes it."""
    return f"{team_member_id}:{stakeholder_id}"
