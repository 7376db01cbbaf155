"""Running our own GraphQL operations in-process: the demo loader and the command line use the API's
exact code path (validation, use cases, user errors) without HTTP."""

from __future__ import annotations

from typing import Any

from service.rules.access import Principal
from service.schema.context import Context
from service.schema.errors import PASSING
from service.usecases.services import Services

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
