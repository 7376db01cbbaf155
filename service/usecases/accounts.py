"""Accounts by hand: create (optionally under a source's external id), update, delete."""

from __future__ import annotations

from typing import Any

from service.graph import records
from service.graph.database import Write
from service.graph.writes import accounts
from service.graph.writes.lookup import lock_and_read
from service.rules import models
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp
from service.rules.entity_changes.diff import change, created, creation, new_values, removal, updated
from service.rules.entity_changes.fields import account_problems, external_id_problems
from service.rules.entity_changes.refs import IdArg, unknown
from service.rules.entity_changes.rejected import reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write

ExternalRef = tuple[str, str]


async def create_account(
    services: Services, principal: Principal, values: dict[str, Any], ref: ExternalRef | None
) -> models.Account:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _create, values, ref)


async def update_account(
    services: Services, principal: Principal, account: IdArg, values: dict[str, Any]
) -> models.Account:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _update, account, values)


async def delete_account(services: Services, principal: Principal, account: IdArg) -> str:
    """CONFLICT while the account has stakeholders that are not archived."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _delete, account)


async def _create(w: Write, values: dict[str, Any], ref: ExternalRef | None) -> models.Account:
    problems = account_problems(values)
    if ref is not None:
        ref_problems = external_id_problems(*ref)
        if not ref_problems and not await accounts.claim_account_ref(w.tx, w.ws, *ref):
            message = f"an account with id {ref[1]!r} of source {ref[0]!r} already exists."
            ref_problems = [Problem(("externalId",), message, ErrorCode.CONFLICT)]
        problems += ref_problems
    reject_if(problems)
    props, _ = created(values)
    account = await accounts.create_account(w.tx, w.ws, new_id(), props, ref, w.now)
    w.record([creation("Account", account.id, props, account.id)])
    return account


async def _update(w: Write, account: IdArg, values: dict[str, Any]) -> models.Account:
    refs = await lock_and_read(w.tx, w.ws, [account])
    reject_if([*unknown([account], refs), *account_problems(values)])
    found = refs.get(account)
    assert found is not None
    changed = updated(found.props, values)
    if not changed:
        return records.account_from(found.props)
    w.record([change("Account", found.id, ChangeOp.UPDATED, changed, found.id)])
    return await accounts.update_account(w.tx, w.ws, found.id, new_values(changed), w.now)


async def _delete(w: Write, account: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [account])
    reject_if(unknown([account], refs))
    found = refs.get(account)
    assert found is not None
    active = await accounts.active_stakeholders(w.tx, w.ws, found.id)
    if active:
        message = f"the account still has {active} stakeholder(s) that are not archived; archive or move them first."
        reject_if([Problem(("id",), message, ErrorCode.CONFLICT)])
    await accounts.delete_account(w.tx, w.ws, found.id)
    w.record([removal("Account", found.id, found.props, found.id)])
    return found.id
