"""Signing the map page in as a given role: a key of each role in the test's workspace, issued the way an
operator issues one (`powermap keys create`). The page reads its role from `me` and hides every edit
control from a VIEWER (and INTEGRATION)."""

from __future__ import annotations

from service.graph.database import Database
from service.rules.access import Role
from service.usecases.identity import provision_key
from service.usecases.services import Services


async def issue_keys(db: Database, workspace: str) -> dict[Role, str]:
    """A new API key of every role in `workspace` (created when missing), by role."""
    services = Services(db)
    keys: dict[Role, str] = {}
    for role in Role:
        keys[role] = (await provision_key(services, workspace, role, f"map test {role.value}")).secret
    return keys
