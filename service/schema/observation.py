"""Notes each GraphQL operation's name and type on the request being served (metrics, access log)."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from service.observability.context import current_request


class OperationObserver(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        info = current_request()
        if info is None:
            return
        context = self.execution_context
        info.operation = context.operation_name
        if context.graphql_document is not None:
            try:
                info.operation_type = context.operation_type.value
            except RuntimeError:  # no such operation in the document: a client error, already reported
                info.operation_type = None
