"""Errors at the GraphQL edge: `UserError` for expected failures in payloads, `ClientError` for
client faults that must surface as top-level errors. Anything else is masked."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import strawberry
from graphql import GraphQLError

from service.rules.enums import ErrorCode
from service.rules.validation import Problem

logger = logging.getLogger("powermap.graphql")

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
    """Mask anything that is not the client's fault, after logging it with its traceback."""
    if is_client_fault(error):
        return False
    logger.error("unexpected error at %s", error.path, exc_info=error.original_error)
    return True
