"""Running our own GraphQL operations in-process: the demo loader and the command line use the API's
exact code path (validation, use cases, user errors) without HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from service.graph.availability import RETRY_AFTER_SECONDS
from service.rules.access import Principal
from service.schema.context import Context
from service.schema.errors import PASSING
from service.usecases.services import Services

PASSING_RETRIES = 5
"""How many times a command-line job sends again a call that failed for a passing reason (SERVICE_UNAVAILABLE)."""
RETRY_WAIT_SECONDS: float = RETRY_AFTER_SECONDS
"""The wait before sending it again: the `Retry-After` the API gives such a failure."""

IMPORT_MUTATION = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) {
    account { id name }
    created updated unchanged archived removed
    userErrors { field message code }
  }
}
"""


class OperationError(RuntimeError):
    """The operation itself failed (not a user error): the message lists the GraphQL errors, `codes` their codes."""

    def __init__(self, message: str, codes: frozenset[str] = frozenset()) -> None:
        super().__init__(message)
        self.codes = codes

    @property
    def passing(self) -> bool:
        """Every error is one that passes (the database away, a deadline): the same call may succeed later."""
        return bool(self.codes) and self.codes <= PASSING


async def execute_operation(
    services: Services, principal: Principal, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    from service.schema import schema

    result = await schema.execute(query, variable_values=variables, context_value=Context(services, principal))
    if result.errors:
        codes = frozenset(str((error.extensions or {}).get("code", "")) for error in result.errors)
        raise OperationError("; ".join(error.message for error in result.errors), codes)
    assert result.data is not None
    return result.data


async def execute_until_confirmed(
    send: Callable[[], Awaitable[dict[str, Any]]], waiting: Callable[[int], object] = lambda attempt: None
) -> dict[str, Any]:
    """`send()`'s data; sent again after `RETRY_WAIT_SECONDS` while it fails for a passing reason, at most
    `PASSING_RETRIES` times (then its error is raised). For calls that may be sent twice: reads, and writes
    whose replay changes nothing (a sync batch, an account document). `waiting(attempt)` hears of each wait."""
    for attempt in range(1, PASSING_RETRIES + 1):
        try:
            return await send()
        except OperationError as error:
            if not error.passing:
                raise
            waiting(attempt)
            await asyncio.sleep(RETRY_WAIT_SECONDS)
    return await send()
