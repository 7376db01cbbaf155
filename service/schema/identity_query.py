"""Root query fields about identity: `me`, and for admins the workspace's API keys and audit log."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.errors import ClientError
from service.schema.pagination import bounded_first
from service.schema.types.identity import (
    ApiKeyConnection,
    AuditEntryConnection,
    Me,
    audit_connection,
    decode_position,
    key_connection,
)
from service.usecases.audit_log import count_audit_entries, read_audit_log
from service.usecases.authorization import Forbidden
from service.usecases.identity import count_keys, list_keys


def _forbidden(refused: Forbidden) -> ClientError:
    return ClientError(refused.problems[0].message, code="FORBIDDEN")


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="Who the request runs as: its principal, role and workspace.")
    def me(self, info: strawberry.Info[Context]) -> Me:
        principal = info.context.principal
        return Me(id=strawberry.ID(principal.id), name=principal.name, role=principal.role)

    @strawberry.field(description="The workspace's API keys, newest first, at most 100 a page (admins only).")
    async def api_keys(
        self,
        info: strawberry.Info[Context],
        first: int = 50,
        after: str | None = None,
        include_revoked: bool = False,
    ) -> ApiKeyConnection:
        limit = bounded_first(first, 50)
        position = None if after is None else decode_position(after, "after")
        ctx = info.context
        try:
            page = await list_keys(ctx.services, ctx.principal, limit, position, include_revoked)
            total = await count_keys(ctx.services, ctx.principal, include_revoked)
        except Forbidden as refused:
            raise _forbidden(refused) from None
        return key_connection(page.keys, page.has_next_page, position, total)

    @strawberry.field(description="Every mutation of the workspace, newest first, at most 100 a page (admins only).")
    async def audit_log(
        self, info: strawberry.Info[Context], first: int = 50, after: str | None = None
    ) -> AuditEntryConnection:
        limit = bounded_first(first, 50)
        position = None if after is None else decode_position(after, "after")
        ctx = info.context
        try:
            page = await read_audit_log(ctx.services, ctx.principal, limit, position)
            total = await count_audit_entries(ctx.services, ctx.principal)
        except Forbidden as refused:
            raise _forbidden(refused) from None
        return audit_connection(page.entries, page.has_next_page, position, total)
