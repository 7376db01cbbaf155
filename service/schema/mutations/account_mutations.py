"""accountCreate, accountUpdate, accountDelete."""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.enums import AccountTier, PortfolioClass, RelationshipStage
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import ExternalIdInput, external_ref, given_fields, id_arg, perform
from service.schema.types.account import Account
from service.usecases.accounts import create_account, delete_account, update_account

ACCOUNT_FIELDS = {
    "name": "name",
    "industry": "industry",
    "tier": "tier",
    "portfolio_class": "portfolioClass",
    "relationship_stage": "relationshipStage",
}


@strawberry.input
class AccountCreateInput:
    name: str
    industry: str | None = None
    tier: AccountTier | None = None
    portfolio_class: PortfolioClass | None = None
    relationship_stage: RelationshipStage | None = None
    external_id: ExternalIdInput | None = None


@strawberry.input(description="Fields left out keep their value; an explicit null clears them.")
class AccountUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    tier: AccountTier | None = strawberry.UNSET
    portfolio_class: PortfolioClass | None = strawberry.UNSET
    relationship_stage: RelationshipStage | None = strawberry.UNSET


@strawberry.input
class AccountDeleteInput:
    id: strawberry.ID


@strawberry.type
class AccountCreatePayload:
    account: Account | None
    user_errors: list[UserError]


@strawberry.type
class AccountUpdatePayload:
    account: Account | None
    user_errors: list[UserError]


@strawberry.type
class AccountDeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def account_create(info: strawberry.Info[Context], input: AccountCreateInput) -> AccountCreatePayload:
    values = given_fields(input, ACCOUNT_FIELDS)
    ctx = info.context
    account, errors = await perform(
        ctx, create_account(ctx.services, ctx.principal, values, external_ref(input.external_id))
    )
    return AccountCreatePayload(account=None if account is None else Account.from_domain(account), user_errors=errors)


async def account_update(info: strawberry.Info[Context], input: AccountUpdateInput) -> AccountUpdatePayload:
    target = id_arg(input.id, "Account", "id")
    ctx = info.context
    values = given_fields(input, ACCOUNT_FIELDS)
    account, errors = await perform(ctx, update_account(ctx.services, ctx.principal, target, values))
    return AccountUpdatePayload(account=None if account is None else Account.from_domain(account), user_errors=errors)


async def account_delete(info: strawberry.Info[Context], input: AccountDeleteInput) -> AccountDeletePayload:
    ctx = info.context
    target = id_arg(input.id, "Account", "id")
    deleted, errors = await perform(ctx, delete_account(ctx.services, ctx.principal, target))
    return AccountDeletePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id("Account", deleted)), user_errors=errors
    )
