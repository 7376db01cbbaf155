"""When an account's map is checkpointed (DOMAIN.md rule 18): an as-of read starts from the nearest stored
state at or after its instant and undoes only the changes between, so the changes between two checkpoints
bound what a read undoes. Storing one costs about what reading the account costs, so the stretch grows
with the account: writes pay a small, constant share per change, reads undo at most that many changes."""

from __future__ import annotations

MIN_CHANGES_BETWEEN_CHECKPOINTS = 1_000
"""Fewer changes than this are undone faster than a checkpoint is read."""

CHANGES_PER_ENTITY = 1
"""The stretch between checkpoints, per entity the last checkpoint held. Loading a checkpoint and undoing a
change each cost less than reading an entity now, so an as-of read stays well within 2x a current read
(`bench/asof_bench.py`: 1.2-1.6x); twice the stretch measured 2.5x."""


def changes_between_checkpoints(entities: int | None) -> int:
    """How many changes after the last checkpoint (of `entities` entities; None: there is none) make the next
    one due."""
    return max(MIN_CHANGES_BETWEEN_CHECKPOINTS, CHANGES_PER_ENTITY * (entities or 0))
