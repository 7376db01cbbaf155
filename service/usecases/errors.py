"""Failures of a use case that are not the input's fault and that the caller must be told about."""

from __future__ import annotations


class OutcomeUnknown(Exception):
    """The database did not confirm a write: it may or may not have been committed. Idempotent writes
    (the upserts) say so, and the caller replays them."""

    message = (
        "The database did not confirm this batch (the connection was lost, or the database stayed unavailable "
        "or busy), so its outcome is unknown: the batch is one transaction, committed whole or not at all. "
        "Replay the same batch: upserts are idempotent, so a replay converges with nothing lost and nothing "
        "duplicated."
    )


class DatabaseUnavailable(Exception):
    """The database did not answer a read; nothing was written."""

    message = "The database is unavailable; nothing was written (this was a dry run). Try again later."


class ImportTakenOver(Exception):
    """A batched import lost its lease (it showed no sign of life for too long) and another process is
    rolling it back; nothing of it stays."""
