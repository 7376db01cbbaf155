"""Keyset pagination over (name, id): page requests and their windows, free of any storage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE_SIZE = 100
"""The most rows any list of the API returns at once: a connection's page, or an analytic's `first`."""
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class SortKey:
    name: str
    id: str


@dataclass(frozen=True, slots=True)
class HistoryPosition:
    """Where a page of history starts: after the row (at, change id, field index)."""

    at: datetime
    change_id: str
    index: int


@dataclass(frozen=True, slots=True)
class PageRequest:
    """`limit` rows after `after` (forward) or before `before` (backward), in (name, id) order."""

    limit: int
    forward: bool = True
    after: SortKey | None = None
    before: SortKey | None = None

    @property
    def boundary(self) -> SortKey | None:
        return self.after if self.forward else self.before


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    has_next_page: bool
    has_previous_page: bool


def cut_page(rows: list[T], request: PageRequest) -> Page[T]:
    """Rows come in query order and one more than the limit if there are more; return the page in
    ascending order with its neighbours known."""
    more = len(rows) > request.limit
    window = rows[: request.limit]
    if request.forward:
        return Page(tuple(window), has_next_page=more, has_previous_page=request.after is not None)
    window.reverse()
    return Page(tuple(window), has_next_page=request.before is not None, has_previous_page=more)


def page_in_memory(items: Sequence[T], key: Callable[[T], SortKey], request: PageRequest) -> Page[T]:
    """The page `request` asks for of `items` held in memory, sorted by `key` ascending: as a keyset
    query would cut it."""

    def position(item: T) -> tuple[str, str]:
        found = key(item)
        return found.name, found.id

    if request.forward:
        after = None if request.after is None else (request.after.name, request.after.id)
        rows = [item for item in items if after is None or position(item) > after]
    else:
        before = None if request.before is None else (request.before.name, request.before.id)
        rows = [item for item in reversed(items) if before is None or position(item) < before]
    return cut_page(rows[: request.limit + 1], request)
