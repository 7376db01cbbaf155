"""Bounded lists (DOMAIN.md, "Bounded answers"): a list field takes `first` (0 to 100) and returns the first
rows of its full ordered list; a count field beside it gives the full length."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

import strawberry

from service.rules.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from service.schema.pagination import bounded_first

T = TypeVar("T")

DEFAULT_FIRST = DEFAULT_PAGE_SIZE
First = Annotated[int | None, strawberry.argument(description=f"How many rows, 0 to {MAX_PAGE_SIZE}.")]


def first_of(rows: Sequence[T], first: int | None) -> list[T]:
    """The first `first` rows (default 20); a `first` outside 0..100 is a client error naming it."""
    return list(rows[: bounded_first(first, DEFAULT_FIRST)])
