"""accountCreate, accountUpdate, accountDelete."""

from __future__ import annotations

from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph import records
from service.graph.entity_writes import accounts
from service.graph.entity_writes.lookup import lock_and_read
from service.rules import models
from service.rules.entity_changes.diff import created, new_values, updated
from service.rules.entity_changes.fields import account_problems, external_id_problems
from service.rules.entity_changes.refs import IdArg, unknown
from service.rules.entity_changes.rejected import reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.enums import AccountTier, PortfolioClass, RelationshipStage
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import (
    Call,
    ExternalIdInput,
    external_ref,
    given_fields,
    id_arg,
    new_id,
    run_write,
)
from service.schema.types.account import Account

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


async def create(tx: Tx, call: Call, values: dict[str, Any], ref: tuple[str, str] | None) -> models.Account:
    problems = account_problems(values)
    if ref is not None:
        ref_problems = external_id_problems(*ref)
        if not ref_problems and not await accounts.claim_account_ref(tx, call.ws, *ref):
            message = f"an account with id {ref[1]!r} of source {ref[0]!r} already exists."
            ref_problems = [Problem(("externalId",), message, ErrorCode.CONFLICT)]
        problems += ref_problems
    reject_if(problems)
    props, _ = created(values)
    return await accounts.create_account(tx, call.ws, new_id(), props, ref, call.now)


async def update(tx: Tx, call: Call, account: IdArg, values: dict[str, Any]) -> models.Account:
    refs = await lock_and_read(tx, call.ws, [account])
    reject_if([*unknown([account], refs), *account_problems(values)])
    found = refs.get(account)
    assert found is not None
    changed = updated(found.props, values)
    if not changed:
        return records.account_from(found.props)
    return await accounts.update_account(tx, call.ws, found.id, new_values(changed), call.now)


async def delete(tx: Tx, call: Call, account: IdArg) -> str:
    refs = await lock_and_read(tx, call.ws, [account])
    reject_if(unknown([account], refs))
    assert account.raw is not None
    active = await accounts.active_stakeholders(tx, call.ws, account.raw)
    if active:
        message = f"the account still has {active} stakeholder(s) that are not archived; archive or move them first."
        reject_if([Problem(("id",), message, ErrorCode.CONFLICT)])
    await accounts.delete_account(tx, call.ws, account.raw)
    return account.raw


async def account_create(info: strawberry.Info[Context], input: AccountCreateInput) -> AccountCreatePayload:
    values = given_fields(input, ACCOUNT_FIELDS)
    account, errors = await run_write(info.context, create, values, external_ref(input.external_id))
    return AccountCreatePayload(account=None if account is None else Account.from_domain(account), user_errors=errors)


async def account_update(info: strawberry.Info[Context], input: AccountUpdateInput) -> AccountUpdatePayload:
    target = id_arg(input.id, "Account", "id")
    account, errors = await run_write(info.context, update, target, given_fields(input, ACCOUNT_FIELDS))
    return AccountUpdatePayload(account=None if account is None else Account.from_domain(account), user_errors=errors)


async def account_delete(info: strawberry.Info[Context], input: AccountDeleteInput) -> AccountDeletePayload:
    deleted, errors = await run_write(info.context, delete, id_arg(input.id, "Account", "id"))
    return AccountDeletePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id("Account", deleted)), user_errors=errors
    )
