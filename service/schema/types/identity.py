"""Who is calling (`me`), the workspace's API keys and its audit log (the last two for admins only)."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

import strawberry

from service.rules.access import Role
from service.rules.identity import ApiKey as DomainKey
from service.rules.identity import AuditEntry as DomainEntry
from service.schema.context import Context
from service.schema.errors import ClientError
from service.schema.ids import encode_id
from service.schema.types.common import PageInfo
from service.usecases.identity import current_workspace

strawberry.enum(Role, name="Role", description="What a principal may do: read, write intelligence, sync, administer.")


@strawberry.type(description="A selling company's workspace: its data is invisible to every other workspace.")
class Workspace:
    id: strawberry.ID
    name: str


@strawberry.type(description="The caller, as the API sees them: an API key or a signed-in user.")
class Me:
    id: strawberry.ID = strawberry.field(description='"key:<key id>" for an API key, "user:<subject>" for a token.')
    name: str | None
    role: Role

    @strawberry.field
    async def workspace(self, info: strawberry.Info[Context]) -> Workspace:
        found = await current_workspace(info.context.services, info.context.principal)
        return Workspace(id=strawberry.ID(found.id), name=found.name)


def encode_position(at: datetime, raw_id: str) -> str:
    raw = json.dumps([at.isoformat(), raw_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_position(cursor: str, argument: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, raw_id = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        position = (datetime.fromisoformat(at), str(raw_id))
        if position[0].tzinfo is None:
            raise ValueError
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise ClientError(f"`{argument}` is not a valid cursor.", code="INVALID_CURSOR", field=argument) from None
    return position


@strawberry.type(description="An API key: everything but the key itself, which is shown once, when it is created.")
class ApiKey:
    id: strawberry.ID
    name: str
    role: Role
    created_at: datetime
    created_by: str
    last_used_at: datetime | None = strawberry.field(description="Written at most once a minute.")
    revoked_at: datetime | None

    @classmethod
    def from_domain(cls, key: DomainKey) -> ApiKey:
        return cls(
            id=strawberry.ID(encode_id("ApiKey", key.id)),
            name=key.name,
            role=key.role,
            created_at=key.created_at,
            created_by=key.created_by,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )


@strawberry.type
class ApiKeyEdge:
    cursor: str
    node: ApiKey


@strawberry.type
class ApiKeyConnection:
    edges: list[ApiKeyEdge]
    nodes: list[ApiKey]
    page_info: PageInfo
    total_count: int


def key_connection(keys: tuple[DomainKey, ...], has_next: bool, after: object, total: int) -> ApiKeyConnection:
    edges = [ApiKeyEdge(cursor=encode_position(k.created_at, k.id), node=ApiKey.from_domain(k)) for k in keys]
    return ApiKeyConnection(
        edges=edges,
        nodes=[edge.node for edge in edges],
        page_info=_page_info([edge.cursor for edge in edges], has_next, after is not None),
        total_count=total,
    )


def _page_info(cursors: list[str], has_next: bool, has_previous: bool) -> PageInfo:
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


@strawberry.type(description="One mutation: who ran it, when, how it ended and which entities it named; never a value.")
class AuditEntry:
    at: datetime
    principal: str = strawberry.field(description="Who: a key (key:<id>), a user (user:<subject>) or an operator.")
    role: Role | None
    operation: str = strawberry.field(description="The mutation, e.g. stakeholderUpdate.")
    outcome: str = strawberry.field(description="OK, or the codes it was refused with (e.g. FORBIDDEN).")
    entity_ids: list[str] = strawberry.field(description="Internal ids of what it changed (at most 100).")
    entity_count: int = strawberry.field(description="How many entities it changed in all.")
    request_id: str | None

    @classmethod
    def from_domain(cls, entry: DomainEntry) -> AuditEntry:
        return cls(
            at=entry.at,
            principal=entry.principal_id,
            role=entry.role,
            operation=entry.operation,
            outcome=entry.outcome,
            entity_ids=list(entry.entity_ids),
            entity_count=entry.entity_count,
            request_id=entry.request_id,
        )


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type
class AuditEntryConnection:
    edges: list[AuditEntryEdge]
    nodes: list[AuditEntry]
    page_info: PageInfo
    total_count: int


def audit_connection(
    entries: tuple[DomainEntry, ...], has_next: bool, after: object, total: int
) -> AuditEntryConnection:
    edges = [AuditEntryEdge(cursor=encode_position(e.at, e.id), node=AuditEntry.from_domain(e)) for e in entries]
    return AuditEntryConnection(
        edges=edges,
        nodes=[edge.node for edge in edges],
        page_info=_page_info([edge.cursor for edge in edges], has_next, after is not None),
        total_count=total,
    )
