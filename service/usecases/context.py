"""What a use case knows of the request it serves, without any transport: set by the GraphQL layer, read here.

`operation` is the name of the mutation being run, recorded with each write in the audit log; None outside a
request (a command-line job, the demo loader). The request id the audit log records comes from the request
context the HTTP edge opens (`service.observability.context.request_id`).
"""

from __future__ import annotations

from contextvars import ContextVar

operation: ContextVar[str | None] = ContextVar("powermap_operation", default=None)
