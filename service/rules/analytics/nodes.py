"""References to the two kinds of node a path can hold: customer stakeholders and our team members."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class NodeKind(Enum):
    STAKEHOLDER = "STAKEHOLDER"
    TEAM_MEMBER = "TEAM_MEMBER"


@dataclass(frozen=True, slots=True, order=True)
class NodeRef:
    kind: NodeKind
    id: str

    @staticmethod
    def stakeholder(person_id: str) -> NodeRef:
        return NodeRef(NodeKind.STAKEHOLDER, person_id)

    @staticmethod
    def team_member(member_id: str) -> NodeRef:
        return NodeRef(NodeKind.TEAM_MEMBER, member_id)
