"""What a use case knows of the request it serves, without any transport: set by the edge, read here.

`request_id` is the id the edge gives each request (the operations work of issue 13 sets it; the audit log
records it); `operation` is the name of the mutation being run (the GraphQL layer sets it), recorded with
each write in the audit log. Both are None outside a request (a command-line job, the demo loader).
"""

from __future__ import annotations

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("powermap_request_id", default=None)
operation: ContextVar[str | None] = ContextVar("powermap_operation", default=None)
