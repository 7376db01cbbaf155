"""The change feed's rules: positions and their opaque cursors, retention, pages, and what a role sees.

A position is (commit number, seq): the number the write took from its workspace's change sequence as its
last step (so numbers follow commit order, see `service.graph.database.FINISH_WRITE`) and the change's
order within that write. A page holds the entries after a position, in position order; a cursor names a
position and when it was handed out, so that it can expire (`retention`) without any state kept per client.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_FEED_PAGE = 1_000
DEFAULT_FEED_PAGE = 100
MAX_ENTITY_TYPES = 50
DEFAULT_RETENTION = timedelta(days=30)
CURSOR_VERSION = "f1"
LARGEST = 2**62
"""Numbers in a cursor stay below it (a database integer)."""


@dataclass(frozen=True, slots=True, order=True)
class FeedPosition:
    """A place in the feed: entries at (number, seq) greater than it come after it."""

    number: int
    seq: int


START = FeedPosition(0, -1)
"""Before every entry (commit numbers start at 1)."""


def after_commit(number: int) -> FeedPosition:
    """After every entry of commit `number` (and before those of the next)."""
    return FeedPosition(number + 1, -1)


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position as handed to a client, with the time it was handed out."""

    position: FeedPosition
    issued: datetime


def encode_cursor(cursor: Cursor) -> str:
    return cursor_encoder(cursor.issued)(cursor.position)


def cursor_encoder(issued: datetime) -> Callable[[FeedPosition], str]:
    """Encodes positions as cursors handed out at `issued` (a page's cursors share it: worked out once)."""
    suffix = f":{int(issued.timestamp())}"

    def encode(position: FeedPosition) -> str:
        text = f"{CURSOR_VERSION}:{position.number}:{position.seq}{suffix}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    return encode


def decode_cursor(text: str) -> Cursor | None:
    """The cursor `text` encodes, or None when it is not one of ours."""
    try:
        padded = text + "=" * (-len(text) % 4)
        version, number, seq, seconds = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
        position = FeedPosition(int(number), int(seq))
        issued = datetime.fromtimestamp(int(seconds), UTC)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError, OSError):
        return None
    if version != CURSOR_VERSION or not (0 <= position.number < LARGEST and -1 <= position.seq < LARGEST):
        return None
    return Cursor(position, issued)


def expired(cursor: Cursor, now: datetime, retention: timedelta) -> bool:
    """A cursor is good for `retention` after it was handed out (the history behind it is kept that long)."""
    return now - cursor.issued > retention


# --- what an integration key sees -------------------------------------------------------------------

BASIC_FIELDS: Mapping[str, frozenset[str]] = {
    "Account": frozenset({"name", "industry", "tier", "archived"}),
    "Stakeholder": frozenset(
        {"name", "title", "department", "email", "phone", "level", "archived", "accountId", "reportsTo"}
    ),
    "TeamMember": frozenset({"name", "role", "email"}),
    "TeamAssignment": frozenset({"teamMemberId", "accountId"}),
}
"""The stored fields of each kind of entity that hold no intelligence (the read policy's BASICS: accounts,
contacts, team members); every other kind (links, ties, circles, coverage, interactions, deals...) and
every other field (stance, influence, roles, notes, an account's strategic classification...) is
intelligence. An allow-list: a kind or field added later stays hidden until it is classified here."""

NOTHING: frozenset[str] = frozenset()


def feed_entities(requested: Sequence[str] | None, intelligence: bool) -> list[str] | None:
    """The kinds of entity a page may show: those requested (None: any), and without the permission to
    read intelligence only the basic ones."""
    if intelligence:
        return None if requested is None else sorted(set(requested))
    basic = set(BASIC_FIELDS)
    return sorted(basic if requested is None else basic & set(requested))


# --- pages ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldChange:
    name: str
    old: str
    """JSON."""
    new: str
    """JSON."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    position: FeedPosition
    entity: str
    entity_id: str
    op: str
    account_id: str | None
    at: datetime
    fields: tuple[FieldChange, ...]
    external_ids: tuple[tuple[str, str], ...]
    """(source, external id) of the entity, as stored now (none once it is deleted)."""


@dataclass(frozen=True, slots=True)
class FeedPage:
    entries: tuple[FeedEntry, ...]
    end: FeedPosition
    """Where the next page starts: after the last entry read, or after everything settled when none is left."""
    has_more: bool


@dataclass(frozen=True, slots=True)
class Window:
    """How far a read looked: commits up to `last` (None: there is none yet), of those up to `settled`."""

    last: int | None
    settled: int | None


def page_of(found: Sequence[FeedEntry], after: FeedPosition, first: int, window: Window) -> FeedPage:
    """A page from up to `first + 1` entries found after `after` in the commits up to `window.last`: when
    there are more than `first`, the page ends at its last entry; otherwise every commit up to `last` was
    read, the next page starts after them (never before `after`), and there is more when `last` is not the
    newest settled commit."""
    if len(found) > first:
        entries = tuple(found[:first])
        end = entries[-1].position if entries else after
        return FeedPage(entries, end, True)
    if window.last is None or window.settled is None:
        return FeedPage(tuple(found), after, False)
    end = max(after, after_commit(window.last))
    return FeedPage(tuple(found), end, window.last < window.settled)


def readable(page: FeedPage, intelligence: bool) -> FeedPage:
    """`page` with only the fields the reader may see; an entry left with none is left out (the page's
    end stays where it was, so the next page does not read it again)."""
    if intelligence:
        return page
    shown = []
    for entry in page.entries:
        basic = BASIC_FIELDS.get(entry.entity, NOTHING)
        fields = tuple(field for field in entry.fields if field.name in basic)
        if len(fields) == len(entry.fields):
            if fields:
                shown.append(entry)
        elif fields:
            shown.append(_with_fields(entry, fields))
    return FeedPage(tuple(shown), page.end, page.has_more)


def _with_fields(entry: FeedEntry, fields: tuple[FieldChange, ...]) -> FeedEntry:
    """`entry` with only `fields` (what `dataclasses.replace` does, at less than half its cost)."""
    return FeedEntry(
        entry.position, entry.entity, entry.entity_id, entry.op, entry.account_id, entry.at, fields, entry.external_ids
    )
