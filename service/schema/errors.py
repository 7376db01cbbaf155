"""Errors at the GraphQL edge: `UserError` for expected failures in payloads, `ClientError` for
client faults that must surface as top-level errors. Anything else is masked: a database that does
not answer as `SERVICE_UNAVAILABLE`, the rest as `INTERNAL_SERVER_ERROR`, both with the request id.

Logging (`log_errors`): client faults at INFO by code and path only (their messages can quote the
input, intelligence included); passing failures (the database away, a deadline) at WARNING; crashes at
ERROR with the stack, never a message or a value (see `service.observability.logs`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import strawberry
from graphql import GraphQLError

from service.graph.availability import RETRY_AFTER_SECONDS, is_unavailability
from service.observability.context import current_request, request_id
from service.rules.enums import ErrorCode
from service.rules.validation import Problem

logger = logging.getLogger("powermap.graphql")

SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
PASSING = frozenset({SERVICE_UNAVAILABLE, "ANALYTICS_TIMEOUT", "OUTCOME_UNKNOWN"})
"""Codes of failures that are nobody's fault and pass: worth a retry after a while."""

strawberry.enum(ErrorCode, name="UserErrorCode")


@strawberry.type
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the offending input field, e.g. ["input", "stakeholders", "3", "influence"].'
    )
    message: str
    code: ErrorCode


def user_errors(problems: Sequence[Problem], prefix: Sequence[str] = ("input",)) -> list[UserError]:
    return [UserError(field=[*prefix, *p.path], message=p.message, code=p.code) for p in problems]


class ClientError(GraphQLError):
    """A fault in the request itself (bad id, out-of-range argument): shown to the client as is."""

    def __init__(self, message: str, *, code: str = "BAD_REQUEST", field: str | None = None) -> None:
        extensions: dict[str, object] = {"code": code}
        if field is not None:
            extensions["field"] = field
        super().__init__(message, extensions=extensions)


def is_client_fault(error: GraphQLError) -> bool:
    """Parse, validation, variable coercion and our own client errors pass through; the rest is masked."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


def should_mask(error: GraphQLError) -> bool:
    """Mask anything that is not the client's fault."""
    return not is_client_fault(error)


def error_code(error: GraphQLError) -> str:
    """The code a response's error carries, or would carry once masked."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if error.original_error is not None and not isinstance(error.original_error, GraphQLError):
        return SERVICE_UNAVAILABLE if is_unavailability(error.original_error) else INTERNAL_SERVER_ERROR
    if error.path is None:
        return "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else "GRAPHQL_VALIDATION_FAILED"
    return "BAD_REQUEST"


def log_errors(errors: Sequence[GraphQLError]) -> None:
    """Log each error by its code and path (never its message: it can quote the input), and note the
    codes on the request (metrics, the access log, `Retry-After`)."""
    info = current_request()
    for error in errors:
        code = error_code(error)
        path = ".".join(str(key) for key in error.path) if error.path else None
        if info is not None:
            info.error_codes.append(code)
            if code in PASSING:
                info.retry_after_seconds = RETRY_AFTER_SECONDS
        fields = {"code": code, "path": path}
        if code in PASSING:
            original = error.original_error
            if original is not None and not isinstance(original, GraphQLError):
                fields["errorType"] = type(original).__name__
                cause = original.__cause__
                if cause is not None:
                    fields["causeType"] = type(cause).__name__
            logger.warning("request failed for a passing reason", extra=fields)
        elif code == INTERNAL_SERVER_ERROR:
            original = error.original_error
            assert original is not None
            logger.error("unexpected error", extra=fields, exc_info=(type(original), original, original.__traceback__))
        else:
            logger.info("client error", extra=fields)


def masked(error: GraphQLError) -> GraphQLError:
    """`error` as the client sees it when it is not its fault: a message by kind, the code, the request id."""
    code = error_code(error)
    message = (
        "The database is not answering; nothing was read, and a write's outcome is unknown. Try again shortly."
        if code == SERVICE_UNAVAILABLE
        else "Unexpected error."
    )
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={"code": code, "requestId": request_id()},
    )


def mask_all(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Every error that is not the client's fault masked (one already masked is left as it is)."""
    return [masked(error) if should_mask(error) else error for error in errors]
