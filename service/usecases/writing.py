"""Running a write use case: authorize, then one managed transaction through `Database.write`, audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from service.graph.database import Write
from service.rules.access import Permission, Principal
from service.rules.entity_changes.rejected import Rejected
from service.usecases.auditing import audited_scope, record_refusal
from service.usecases.authorization import require
from service.usecases.services import Services

P = ParamSpec("P")
T = TypeVar("T")


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
    try:
        require(principal, permission)
        return await services.db.write(audited_scope(principal, operation), work, *args, **kwargs)
    except Rejected as rejected:
        await record_refusal(services, principal, operation, rejected.problems)
        raise
