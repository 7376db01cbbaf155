"""Running a write use case: authorize, then one managed transaction through `Database.write`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from service.graph.database import Scope, Write
from service.rules.access import Permission, Principal
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
    """`work` in one write transaction of the principal's workspace, recorded as theirs. `work` raises
    `Rejected` to refuse the input: the transaction rolls back and nothing is written."""
    require(principal, permission)
    scope = Scope(principal.workspace_id, principal.id)
    return await services.db.write(scope, work, *args, **kwargs)
