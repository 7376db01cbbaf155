"""Running our own GraphQL operations in-process: the demo loader and the command line use the API's
exact code path (validation, one transaction, user errors) without HTTP."""

from __future__ import annotations

from typing import Any

from service.graph.driver import Database
from service.schema.context import Context

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
    """The operation itself failed (not a user error): the message lists the GraphQL errors."""


async def execute_operation(
    db: Database, workspace_id: str, query: str, variables: dict[str, Any], actor: str = "cli"
) -> dict[str, Any]:
    from service.schema import schema

    result = await schema.execute(query, variable_values=variables, context_value=Context(db, workspace_id, actor))
    if result.errors:
        raise OperationError("; ".join(error.message for error in result.errors))
    assert result.data is not None
    return result.data
