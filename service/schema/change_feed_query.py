"""The root `changes` field: the workspace's change feed, for integration jobs to poll."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from service.rules.change_feed import DEFAULT_FEED_PAGE, MAX_ENTITY_TYPES, MAX_FEED_PAGE, Cursor, decode_cursor
from service.schema.context import Context
from service.schema.errors import ClientError
from service.schema.ids import require_raw_id
from service.schema.pagination import bounded_first
from service.schema.types.change_feed import ChangeFeedConnection
from service.usecases.authorization import Forbidden
from service.usecases.change_feed import CursorExpired, FeedRequest, read_changes


def _cursor(after: str | None) -> Cursor | None:
    if after is None:
        return None
    cursor = decode_cursor(after)
    if cursor is None:
        raise ClientError("`after` is not a change feed cursor.", code="INVALID_CURSOR", field="after")
    return cursor


def _entity_types(entity_types: Sequence[str] | None) -> list[str] | None:
    if entity_types is not None and len(entity_types) > MAX_ENTITY_TYPES:
        raise ClientError(
            f"`entityTypes` lists at most {MAX_ENTITY_TYPES} kinds, got {len(entity_types)}.",
            code="LIMIT_EXCEEDED",
            field="entityTypes",
        )
    return None if entity_types is None else list(entity_types)


@strawberry.type
class ChangeFeedQuery:
    @strawberry.field(
        description="What changed in the workspace, in commit order: created, updated, archived, restored and "
        "deleted entities, at most 1,000 a page. Without `after` it starts at the beginning; pass `endCursor` "
        "as `after` to read on (a cursor is good for the retention, 30 days unless configured: past it, "
        "CURSOR_EXPIRED asks for a full resync). A page may hold fewer than `first` entries when the caller "
        "may not see some (an integration key sees no intelligence); `hasMore` tells whether to read on now."
    )
    async def changes(
        self,
        info: strawberry.Info[Context],
        after: str | None = None,
        first: int = DEFAULT_FEED_PAGE,
        entity_types: list[str] | None = None,
        account_id: strawberry.ID | None = None,
    ) -> ChangeFeedConnection:
        limit = bounded_first(first, DEFAULT_FEED_PAGE, maximum=MAX_FEED_PAGE)
        cursor = _cursor(after)
        kinds = _entity_types(entity_types)
        account = None if account_id is None else require_raw_id(account_id, "Account", "accountId")
        ctx = info.context
        request = FeedRequest(limit, cursor, kinds, account)
        try:
            page, issued = await read_changes(ctx.services, ctx.principal, request)
        except Forbidden as refused:
            raise ClientError(refused.problems[0].message, code="FORBIDDEN") from None
        except CursorExpired as expired:
            raise ClientError(str(expired), code="CURSOR_EXPIRED", field="after") from None
        return ChangeFeedConnection.from_domain(page, issued)
