"""Running a write use case: authorize, then one managed transaction through `Database.write` (or, for a write
that is one query, `Database.write_one_query`), audited."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Concatenate, ParamSpec, TypeVar

from service.graph.database import OneQuery, Write
from service.rules.access import Permission, Principal
from service.rules.entity_changes.rejected import Rejected
from service.usecases.auditing import audited_scope, record_refusal
from service.usecases.authorization import require
from service.usecases.services import Services

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")


async def write(
    services: Services,
    principal: Principal,
    permission: Permission,
    work: Callable[Concatenate[Write, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """`work` in one write transaction of the principal's workspace, recorded as theirs and in the audit
    log. `work` raises `Rejected` to refuse the input: the transaction rolls back, nothing is written, and
    the refusal is audited."""
    operation = work.__name__.strip("_")
    async with _authorized(services, principal, permission, operation):
        return await services.db.write(audited_scope(principal, operation), work, *args, **kwargs)


async def write_one_query(
    services: Services,
    principal: Principal,
    permission: Permission,
    operation: str,
    one: OneQuery[R],
    conclude: Callable[[R], T | None],
) -> T | None:
    """`write` for a write that is one query (`Database.write_one_query`), audited as `operation`: `conclude`
    judges what the query did inside its transaction, raising `Rejected` to refuse (as `write`'s work does) or
    returning None to roll back (then nothing is written or audited, and this returns None)."""
    async with _authorized(services, principal, permission, operation):
        return await services.db.write_one_query(audited_scope(principal, operation), one, conclude)


@asynccontextmanager
async def _authorized(
    services: Services, principal: Principal, permission: Permission, operation: str
) -> AsyncIterator[None]:
    """Refuse a principal without `permission`; audit every refusal of `operation`."""
    try:
        require(principal, permission)
        yield
    except Rejected as rejected:
        await record_refusal(services, principal, operation, rejected.problems)
        raise
