"""An analytic's full ordered answer, built only as far as it is read (DOMAIN.md, "Bounded answers").

Clients read the first rows of an answer and its length. Ordering needs only a sort key per row,
while a row's path and reason cost far more, and some answers (every unlinked pair of hundreds of
supporters) are too long to build at all: a `Ranked` knows its length up front and builds rows when
a slice first reaches them, then keeps them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")
K = TypeVar("K")

Build = Callable[[int, int], Iterable[T]]
"""`build(start, stop)`: the rows at positions `start` to `stop - 1` of the full list."""


class Ranked(Sequence[T]):
    """A read-only sequence: `len(ranked)` is the full length, `ranked[:first]` a list of the first rows."""

    __slots__ = ("_length", "_build", "_rows")

    def __init__(self, length: int, build: Build[T]) -> None:
        self._length = length
        self._build = build
        self._rows: list[T] = []

    @classmethod
    def of(cls, ordered: Sequence[K], row: Callable[[K], T]) -> Ranked[T]:
        """The rows `row(item)` of items already in their final order."""
        return cls(len(ordered), lambda start, stop: map(row, ordered[start:stop]))

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            positions = range(*index.indices(self._length))
            if not positions:
                return []
            self._build_to(max(positions[0], positions[-1]) + 1)
            rows = self._rows
            return rows[positions.start : positions.stop] if positions.step == 1 else [rows[i] for i in positions]
        position = index + self._length if index < 0 else index
        if not 0 <= position < self._length:
            raise IndexError("Ranked index out of range")
        self._build_to(position + 1)
        return self._rows[position]

    def __iter__(self) -> Iterator[T]:
        self._build_to(self._length)
        return iter(list(self._rows))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ranked):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Ranked(length={self._length}, built={len(self._rows)})"

    def _build_to(self, stop: int) -> None:
        built = len(self._rows)
        if stop > built:
            self._rows.extend(self._build(built, stop))
