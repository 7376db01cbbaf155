"""Workspaces, API keys and the audit log as plain domain objects (no secrets: a key is never stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.rules.access import Role

AUDIT_ENTITY_IDS = 100
"""At most this many entity ids are kept on one audit entry (an import may change thousands); the
entry keeps the full count beside them."""


@dataclass(frozen=True, slots=True)
class Workspace:
    id: str
    name: str
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key as stored: everything but the key itself."""

    id: str
    workspace_id: str
    name: str
    role: Role
    created_at: datetime
    created_by: str
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def principal_id(self) -> str:
        return f"key:{self.id}"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One mutation: who, when, which operation, how it ended, which entities; never a value."""

    id: str
    at: datetime
    principal_id: str
    role: Role | None
    operation: str
    outcome: str
    """OK, or the codes of the refusal (e.g. FORBIDDEN, NOT_FOUND), comma-separated."""
    entity_ids: tuple[str, ...]
    entity_count: int
    request_id: str | None


@dataclass(frozen=True, slots=True)
class AuditNote:
    """What a write records about itself in the audit log, besides the entities it changed."""

    operation: str
    role: Role | None
    request_id: str | None
    outcome: str = "OK"
