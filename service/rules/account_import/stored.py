"""What is already stored for one document's account and source: the other side of the diff.

Property maps use the stored (camelCase) names, so a plan can hand them to the writer unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Props = dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredNode:
    id: str
    props: Props


@dataclass(frozen=True, slots=True)
class StoredStakeholder:
    id: str
    account_id: str
    props: Props
    manager_id: str | None
    archived: bool
    version: int


@dataclass(frozen=True, slots=True)
class StoredCircle:
    id: str
    props: Props
    members: dict[str, bool]
    """stakeholder id -> core"""
    rivals: frozenset[str]
    allies: frozenset[str]


@dataclass(frozen=True, slots=True)
class StoredLink:
    """An influence link, tie or coverage: its endpoints, properties and the source that wrote it."""

    id: str
    start: str
    end: str
    props: Props
    source: str | None


@dataclass(frozen=True, slots=True)
class StoredTeamMember:
    id: str
    props: Props
    assigned: bool


@dataclass(frozen=True, slots=True)
class StoredInteraction:
    id: str
    props: Props
    team_member_id: str | None
    stakeholder_ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class StoredAccountState:
    account: StoredNode | None = None
    stakeholders: dict[str, StoredStakeholder] = field(default_factory=dict)
    """By this source's external id, wherever they are."""
    source_stakeholders_in_account: dict[str, str] = field(default_factory=dict)
    """Internal id -> external id, for this account's stakeholders known to this source."""
    circles: dict[str, StoredCircle] = field(default_factory=dict)
    """By key, this account and source."""
    influences: dict[tuple[str, str], StoredLink] = field(default_factory=dict)
    ties: dict[tuple[str, str, str], StoredLink] = field(default_factory=dict)
    """By (kind, lower id, higher id)."""
    team: dict[str, StoredTeamMember] = field(default_factory=dict)
    coverage: dict[tuple[str, str], StoredLink] = field(default_factory=dict)
    """By (team member id, stakeholder id)."""
    interactions: dict[str, StoredInteraction] = field(default_factory=dict)
