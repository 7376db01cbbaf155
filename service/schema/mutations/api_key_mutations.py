"""apiKeyCreate and apiKeyRevoke: admins manage their workspace's keys. A new key is shown once."""

from __future__ import annotations

import strawberry

from service.rules.access import Role
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.ids import raw_id_of
from service.schema.mutations.support import perform
from service.schema.types.identity import ApiKey
from service.usecases.identity import create_key, revoke_key


@strawberry.input
class ApiKeyCreateInput:
    name: str = strawberry.field(description="What the key is for, e.g. 'CRM sync'.")
    role: Role


@strawberry.input
class ApiKeyRevokeInput:
    id: strawberry.ID


@strawberry.type
class ApiKeyCreatePayload:
    api_key: ApiKey | None
    key: str | None = strawberry.field(
        description="The key itself, to send as `Authorization: Bearer <key>`: shown this once, never again."
    )
    user_errors: list[UserError]


@strawberry.type
class ApiKeyRevokePayload:
    api_key: ApiKey | None
    user_errors: list[UserError]


async def api_key_create(info: strawberry.Info[Context], input: ApiKeyCreateInput) -> ApiKeyCreatePayload:
    ctx = info.context
    created, errors = await perform(ctx, create_key(ctx.services, ctx.principal, input.role, input.name))
    if created is None:
        return ApiKeyCreatePayload(api_key=None, key=None, user_errors=errors)
    return ApiKeyCreatePayload(api_key=ApiKey.from_domain(created.key), key=created.secret, user_errors=[])


async def api_key_revoke(info: strawberry.Info[Context], input: ApiKeyRevokeInput) -> ApiKeyRevokePayload:
    ctx = info.context
    key_id = raw_id_of(input.id, "ApiKey")
    revoked, errors = await perform(ctx, revoke_key(ctx.services, ctx.principal, key_id, ctx.authenticator))
    return ApiKeyRevokePayload(api_key=None if revoked is None else ApiKey.from_domain(revoked), user_errors=errors)


@strawberry.type
class ApiKeyMutations:
    api_key_create: ApiKeyCreatePayload = strawberry.mutation(
        resolver=api_key_create, description="Create an API key of this workspace (admins only); shown once."
    )
    api_key_revoke: ApiKeyRevokePayload = strawberry.mutation(
        resolver=api_key_revoke, description="Revoke an API key of this workspace (admins only); it stops at once."
    )
