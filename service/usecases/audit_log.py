"""Reading the audit log: admins only, newest first, at most 100 entries a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.graph import audit
from service.rules.access import Permission, Principal
from service.rules.identity import AuditEntry
from service.rules.paging import MAX_PAGE_SIZE
from service.usecases.authorization import require
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    has_next_page: bool


async def read_audit_log(
    services: Services, principal: Principal, first: int, after: tuple[datetime, str] | None = None
) -> AuditPage:
    require(principal, Permission.ADMINISTER)
    limit = min(max(first, 0), MAX_PAGE_SIZE)
    found = await services.db.read(audit.audit_page, principal.workspace_id, limit + 1, after)
    return AuditPage(tuple(found[:limit]), len(found) > limit)


async def count_audit_entries(services: Services, principal: Principal) -> int:
    require(principal, Permission.ADMINISTER)
    return await services.db.read(audit.audit_count, principal.workspace_id)
