"""The request being served, in one context variable that every layer can read.

The HTTP edge (`service.entrypoints.middleware`) opens it for each request with the request id it
accepted from `X-Request-ID` or generated; logs, masked errors, metrics and audit records read it
from here. Tasks and threads started for the request inherit it (asyncio copies the context into
new tasks, including those `run_coroutine_threadsafe` starts on another loop).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
"""A client's request id is echoed in headers and logs: only plain characters, and not too long."""


@dataclass(slots=True)
class RequestInfo:
    """What is known about the request in flight; filled in as it is served."""

    request_id: str
    operation: str | None = None
    """The GraphQL operation's name (see `metrics.operation_label` for its metric label)."""
    operation_type: str | None = None
    error_codes: list[str] = field(default_factory=list)
    """The code of every GraphQL error of the response, in order."""
    retry_after_seconds: int | None = None
    """Set when the answer failed for a passing reason (the database unavailable, overload)."""


_current: ContextVar[RequestInfo | None] = ContextVar("powermap_request", default=None)


def current_request() -> RequestInfo | None:
    return _current.get()


def request_id() -> str | None:
    info = _current.get()
    return None if info is None else info.request_id


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(header: str | None) -> str:
    """The client's `X-Request-ID` when it is a plain token, else a new id."""
    if header is not None and _ACCEPTED_ID.fullmatch(header):
        return header
    return new_request_id()


@contextmanager
def serving(request_id: str) -> Iterator[RequestInfo]:
    """The request context for the duration of the block."""
    info = RequestInfo(request_id)
    token = _current.set(info)
    try:
        yield info
    finally:
        _current.reset(token)
