"""Batched imports as policy and data: batch sizes, the lease, who may roll back whose job, progress.

A whole-account import writes in batches of at most `BATCH_ROWS` rows, each its own bounded
transaction, under a lease on the account held by an `ImportJob`: while the job runs, every other write
to the account is refused (CONFLICT) and its clock stands unset (nothing is cached from a half-written
account). Each batch stores its own inverse; a job that fails is undone batch by batch, so the account
ends fully old or fully new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.rules.enums import ErrorCode
from service.rules.validation import Problem

BATCH_ROWS = 5_000
"""Rows (records written, inverses and change-log entries) per transaction: bounds its memory in the
database well within Neo4j's defaults (see `bench/import_bench.py`)."""
LEASE_SECONDS = 120
"""A job that has shown no sign of life (a batch, a heartbeat) this long is abandoned: any process may
roll it back. Batches take a second or two; planning a 10,000-person account a few seconds."""


def account_busy() -> Problem:
    return Problem(
        (),
        "this account is being imported; try again when the import has finished.",
        ErrorCode.CONFLICT,
    )


@dataclass(frozen=True, slots=True)
class Owner:
    """The process that runs a job: `instance` is new at every start, `host` and `pid` find it."""

    instance: str
    host: str
    pid: int


@dataclass(frozen=True, slots=True)
class ImportJob:
    id: str
    source: str
    external_id: str
    account_id: str | None
    owner: Owner
    heartbeat: datetime


def abandoned(job: ImportJob, me: Owner, now: datetime, owner_alive: bool, running_here: bool) -> bool:
    """Whether nobody runs `job` any more, so that `me` may roll it back. `owner_alive`: the job's pid
    is a live process on this host (meaningless on another host); `running_here`: this process runs it."""
    if job.owner.instance == me.instance:
        return not running_here
    if job.owner.host == me.host and (job.owner.pid == me.pid or not owner_alive):
        return True
    return now - job.heartbeat > timedelta(seconds=LEASE_SECONDS)


@dataclass(frozen=True, slots=True)
class Slice:
    """Rows `start:end` of step `step`."""

    step: int
    start: int
    end: int


def pack(sizes: Sequence[int], limit: int = BATCH_ROWS) -> list[list[Slice]]:
    """Steps of the given row counts, in order, cut into batches of at most `limit` rows each; a batch
    may hold the end of one step and the start of the next. Every row is in exactly one batch."""
    batches: list[list[Slice]] = []
    current: list[Slice] = []
    room = limit
    for step, size in enumerate(sizes):
        start = 0
        while start < size:
            take = min(room, size - start)
            current.append(Slice(step, start, start + take))
            start += take
            room -= take
            if room == 0:
                batches.append(current)
                current, room = [], limit
    if current:
        batches.append(current)
    return batches


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Where a running import is: `done` of `total` batches written (or undone, when rolling back)."""

    account: str
    phase: str
    """"writing", "rolling back", "done" or "rolled back"."""
    done: int
    total: int
    rows: int = 0
