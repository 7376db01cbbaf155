"""When an account's map is checkpointed (DOMAIN.md rule 18): an as-of read starts from the nearest stored
state at or after its instant (or the present) and undoes the changes in between. Loading a state and undoing
a change each cost less than reading an entity now, so a read stays within 2x a current read as long as it
undoes no more changes than the map holds entities. A map that only grew never needs a checkpoint (its
changes are no more than its entities); one whose history outgrew it gets one, at a cost of about a current
read, once per as many changes as it holds entities. One that is due waits for its account to be quiet
(`Deferral`)."""

from __future__ import annotations

from dataclasses import dataclass

MIN_CHANGES_BETWEEN_CHECKPOINTS = 1_000
"""Fewer changes than this are undone faster than a checkpoint is stored and read."""

CHANGES_PER_ENTITY = 1
"""How many changes since the last checkpoint, per entity of the map now, make the next one due
(`bench/asof_bench.py` measures reads of 1.2-1.6x a current read; twice the stretch measured 2.5x)."""


@dataclass(frozen=True, slots=True)
class LogSince:
    """What an account logged since its last checkpoint (since it began, without one)."""

    changes: int
    created: int
    """Of them, creations of an entity."""
    deleted: int
    """Of them, deletions of an entity."""
    entities_then: int | None
    """How many entities the last checkpoint holds; None: there is none."""


def checkpoint_threshold(log: LogSince) -> int:
    """More changes since the last checkpoint than this make the next one due: as many as the map holds
    entities now (at least `MIN_CHANGES_BETWEEN_CHECKPOINTS`)."""
    entities_now = (log.entities_then or 0) + log.created - log.deleted
    return max(MIN_CHANGES_BETWEEN_CHECKPOINTS, CHANGES_PER_ENTITY * entities_now)


def checkpoint_due(log: LogSince) -> bool:
    return log.changes > checkpoint_threshold(log)


def changes_before_looking_again(log: LogSince) -> int:
    """How many more changes may make a checkpoint due (at least a quarter of those logged already: while a map
    only grows, creations raise the threshold as fast as the count, so looking is spaced out geometrically)."""
    return max(checkpoint_threshold(log) - log.changes + 1, log.changes // 4)


@dataclass(frozen=True, slots=True)
class Deferral:
    """When a checkpoint that is due is stored: once its account has had no write for `quiet` seconds, and at the
    latest `longest` seconds after it became due. Storing one reads the whole map under the account's lock, so in
    the middle of a bulk load it makes the load's next batch wait, and the load soon outgrows it; a stream of
    writes that never pauses still gets one every `longest` seconds."""

    quiet: float = 2.0
    longest: float = 30.0

    def wait(self, now: float, last_write: float, due_since: float) -> float:
        """Seconds from `now` until the checkpoint due since `due_since` is stored, the account's latest write
        at `last_write` (0: now)."""
        return max(0.0, min(last_write + self.quiet, due_since + self.longest) - now)
