"""Reading the change feed: what changed in the workspace, in commit order, for integration jobs to poll.

Every reader of the workspace may read it; a reader without the permission to read intelligence (an
integration key) sees only the basic kinds of entity and their basic fields (`rules.change_feed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from service.graph import change_feed
from service.rules.access import Permission, Principal
from service.rules.change_feed import BASIC_FIELDS, START, Cursor, FeedPage, expired, feed_entities, page_of, readable
from service.usecases.authorization import require
from service.usecases.services import Services


class CursorExpired(Exception):
    """The cursor is older than the feed's retention: entries after it may be gone."""

    def __init__(self, retention_days: float) -> None:
        super().__init__(
            f"this cursor is older than the change feed's retention ({retention_days:g} days): read the current "
            "state again (a full sync), then follow the feed from a fresh cursor (`changes` without `after`)."
        )


@dataclass(frozen=True, slots=True)
class FeedRequest:
    first: int
    after: Cursor | None = None
    entity_types: Sequence[str] | None = None
    account_id: str | None = None


async def read_changes(services: Services, principal: Principal, request: FeedRequest) -> tuple[FeedPage, datetime]:
    """A page of the feed after `request.after` (from the start without), and when it was read (the time
    its cursors are handed out at); `CursorExpired` for a cursor past the retention."""
    require(principal, Permission.READ)
    now = datetime.now(UTC)
    retention = services.change_retention
    if request.after is not None and expired(request.after, now, retention):
        raise CursorExpired(retention.total_seconds() / 86_400)
    after = START if request.after is None else request.after.position
    intelligence = principal.can(Permission.READ_INTELLIGENCE)
    entities = feed_entities(request.entity_types, intelligence)
    shown = None if intelligence else BASIC_FIELDS
    found, window = await services.db.read(
        change_feed.feed_read, principal.workspace_id, after, request.first + 1, entities, request.account_id, shown
    )
    return readable(page_of(found, after, request.first, window), intelligence), now
