"""Structured logs: one JSON object a line (or a plain line for people), with the request id.

What is never logged: request bodies, variables, query strings, headers, and the messages of errors.
An exception's message can quote stored values (a constraint error names the property value), so
an error is logged by its type, its Neo4j code if it has one, and the stack frames (file, line,
function: never local variables). Client errors are logged at INFO by code only (see
`service.schema.errors`).
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TextIO

from service.observability.context import request_id

_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime", "taskName"}
)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def error_fields(exc_info: ExcInfo, depth: int = 0) -> dict[str, Any]:
    """The exception's type, Neo4j code and frames, then its cause's; never a message (it may quote
    stored values)."""
    kind, error, tb = exc_info
    fields: dict[str, Any] = {"type": f"{kind.__module__}.{kind.__qualname__}"}
    code = getattr(error, "code", None)
    if isinstance(code, str):
        fields["code"] = code
    fields["stack"] = [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)]
    cause = (
        error.__cause__ if error.__cause__ is not None else None if error.__suppress_context__ else error.__context__
    )
    if cause is not None and depth < 4:
        fields["cause"] = error_fields((type(cause), cause, cause.__traceback__), depth + 1)
    return fields


def log_entry(record: logging.LogRecord) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname.lower(),
        "logger": record.name,
        "message": record.getMessage(),
    }
    rid = request_id()
    if rid is not None:
        entry["requestId"] = rid
    for key, value in record.__dict__.items():
        if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
            entry[key] = value
    if record.exc_info and record.exc_info[0] is not None:
        exc_type, exc, tb = record.exc_info
        assert exc is not None
        entry["error"] = error_fields((exc_type, exc, tb))
    return entry


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(log_entry(record), ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The same fields on one line, for a person at a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        entry = log_entry(record)
        head = f"{entry.pop('time')} {entry.pop('level').upper():8} {entry.pop('logger')}: {entry.pop('message')}"
        error = entry.pop("error", None)
        rest = " ".join(f"{key}={json.dumps(value, ensure_ascii=False, default=str)}" for key, value in entry.items())
        lines = [f"{head} {rest}".rstrip()]
        while error is not None:
            lines.append(f"  {error['type']}{' ' + error['code'] if 'code' in error else ''}")
            lines.extend(f"    {frame}" for frame in error["stack"])
            error = error.get("cause")
        return "\n".join(lines)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to the `sys.stderr` of the moment, not to the one it was made with: a command run in-process
    (by a test runner that captures and then closes each test's stderr) must not log into a closed file."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(level: str, log_format: str) -> None:
    """Route every logger (uvicorn's included) through one handler on stderr."""
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # The edge writes its own access line (with the request id and operation, never the query string).
    logging.getLogger("uvicorn.access").disabled = True
    quiet_libraries()


def quiet_libraries() -> None:
    """Libraries that quote data in their logs are held above that level: the driver's DEBUG output quotes
    the queries' parameters, and HTTP clients log URLs (query strings included) at INFO."""
    logging.getLogger("neo4j").setLevel(logging.INFO)
    for name in ("httpx", "httpcore", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)
