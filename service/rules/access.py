"""Who is acting, and what each role may do: the authorization policy, as data (no I/O).

The use cases enforce it (`service.usecases.authorization`); the GraphQL layer only asks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    VIEWER = "viewer"
    STRATEGIST = "strategist"
    INTEGRATION = "integration"
    ADMIN = "admin"


class Permission(Enum):
    READ = "read"
    """Accounts, contacts (name, title, department, email, phone, level, reporting line), team members."""
    READ_INTELLIGENCE = "read intelligence"
    """Stance, influence, roles, links, ties, circles, coverage, interactions, history, analytics, deals."""
    WRITE_INTELLIGENCE = "write intelligence"
    """Every hand-made write of the account map: people, intelligence, links, circles, coverage, visits, deals."""
    SYNC = "sync"
    """Integration writes: account imports and bulk upserts from source systems."""
    ADMINISTER = "administer"
    """Keys, workspaces and the audit log."""


ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ, Permission.READ_INTELLIGENCE}),
    Role.STRATEGIST: frozenset({Permission.READ, Permission.READ_INTELLIGENCE, Permission.WRITE_INTELLIGENCE}),
    Role.INTEGRATION: frozenset({Permission.READ, Permission.SYNC}),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The verified caller: one workspace and one role. `id` names it in history and the audit log
    (e.g. "key:3f2a…", "user:alice@example.com", "cli")."""

    workspace_id: str
    role: Role
    id: str
    name: str | None = None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]
