"""Relay connection arguments -> keyset page requests, opaque cursors, and the cap on every `first`."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from service.rules.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, HistoryPosition, PageRequest, SortKey
from service.schema.errors import ClientError


def encode_cursor(key: SortKey) -> str:
    raw = json.dumps([key.name, key.id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, argument: str) -> SortKey:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, raw_id = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(name, str) or not isinstance(raw_id, str):
            raise TypeError
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise ClientError(f"`{argument}` is not a valid cursor.", code="INVALID_CURSOR", field=argument) from None
    return SortKey(name=name, id=raw_id)


def bounded_first(value: int | None, default: int, argument: str = "first", maximum: int = MAX_PAGE_SIZE) -> int:
    """How many rows a list returns: `value` (null means `default`), from 0 to `maximum` (100 unless a list
    says otherwise); anything else is the client's fault, and the error names the argument."""
    if value is None:
        return default
    if not 0 <= value <= maximum:
        raise ClientError(
            f"`{argument}` must be between 0 and {maximum}, got {value}.",
            code="LIMIT_EXCEEDED",
            field=argument,
        )
    return value


def encode_history_cursor(position: HistoryPosition) -> str:
    raw = json.dumps([position.at.isoformat(), position.change_id, position.index], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_history_cursor(cursor: str, argument: str) -> HistoryPosition:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, change_id, index = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        position = HistoryPosition(datetime.fromisoformat(at), str(change_id), int(index))
        if position.at.tzinfo is None:
            raise ValueError
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise ClientError(f"`{argument}` is not a valid cursor.", code="INVALID_CURSOR", field=argument) from None
    return position


def page_request(first: int | None, after: str | None, last: int | None, before: str | None) -> PageRequest:
    """Forward with `first`/`after`, or backward with `last`/`before`; at most 100 a page."""
    if (first is not None or after is not None) and (last is not None or before is not None):
        raise ClientError(
            "Page forward (`first`, `after`) or backward (`last`, `before`), not both.",
            code="INVALID_ARGUMENT",
            field="last" if last is not None else "before",
        )
    forward = bounded_first(first, DEFAULT_PAGE_SIZE)
    backward = bounded_first(last, DEFAULT_PAGE_SIZE, "last")
    if last is not None or before is not None:
        return PageRequest(limit=backward, forward=False, before=decode_cursor(before, "before") if before else None)
    return PageRequest(limit=forward, after=decode_cursor(after, "after") if after else None)
