"""Checkpoints of the accounts' maps (DOMAIN.md rule 18, `service.graph.checkpoints`), stored in the background
after the writes that make them due, once the account is quiet (`service.rules.history.Deferral`), so that a read
of the map as of a date undoes at most the changes between two checkpoints (`service.rules.history.checkpoint_due`),
however long the history.
A checkpoint changes no map: its write ticks no clock and has no audit entry."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from service.graph.checkpoints import log_since_checkpoint, save_checkpoint
from service.graph.database import Committed, Database, Scope, Write
from service.rules.history import (
    MIN_CHANGES_BETWEEN_CHECKPOINTS,
    Deferral,
    LogSince,
    changes_before_looking_again,
    checkpoint_due,
)
from service.usecases.services import Services

logger = logging.getLogger("powermap.checkpoints")

CHECKPOINT_WRITER = "checkpoints"
"""Who the writes that store checkpoints are made by."""


@dataclass(frozen=True, slots=True)
class Checkpointed:
    """What `checkpoint_account` found and did."""

    saved: datetime | None
    """The instant of the checkpoint stored (the account's latest change); None: none was."""
    changes_to_go: int | None
    """How many more changes may make the next one due; None: unknown (no such account, or an import holds it)."""


async def _checkpoint(w: Write, account_id: str, force: bool) -> Checkpointed:
    log = await log_since_checkpoint(w, account_id)
    if log is None:
        return Checkpointed(None, None)
    if log.changes == 0 or not (force or checkpoint_due(log)):
        return Checkpointed(None, changes_before_looking_again(log))
    saved = await save_checkpoint(w, account_id)
    if saved is None:
        return Checkpointed(None, MIN_CHANGES_BETWEEN_CHECKPOINTS)
    return Checkpointed(saved.at, changes_before_looking_again(LogSince(0, 0, 0, saved.entities)))


async def checkpoint_account(db: Database, ws: str, account_id: str, *, force: bool = False) -> Checkpointed:
    """Store a checkpoint of the account if one is due (`force`: if it logged any change since the last)."""
    return await db.write(Scope(ws, CHECKPOINT_WRITER), _checkpoint, account_id, force)


Key = tuple[str, str]
"""(workspace, account)."""


@dataclass
class Checkpointer:
    """Stores checkpoints for the accounts this process writes, off the writers' path: counts each account's
    changes as writes commit (`note`, a `Database.committed` listener) and, once as many may have accrued as
    the account's next checkpoint needs and the account is quiet (`deferral`), checks its log and stores one if
    due, an account at a time. The counts only say when to look (the log decides), so with several processes
    writing one account each looks after its own share."""

    db: Database
    deferral: Deferral = field(default_factory=Deferral)
    _counted: dict[Key, int] = field(default_factory=dict, init=False)
    """Changes committed to each account since its log was last looked at."""
    _needed: dict[Key, int] = field(default_factory=dict, init=False)
    """How many make it worth looking again (0: the next write; absent: the least a checkpoint needs)."""
    _writes: dict[Key, int] = field(default_factory=dict, init=False)
    """Writes committed to each account so far."""
    _last_write: dict[Key, float] = field(default_factory=dict, init=False)
    """When each account's latest write committed (the event loop's clock)."""
    _due: dict[Key, float] = field(default_factory=dict, init=False)
    """The accounts to look at, each with when it became due."""
    _wake: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _settling: bool = field(default=False, init=False)
    _worker: asyncio.Task[None] | None = field(default=None, init=False)

    def note(self, committed: Committed) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        for account in committed.accounts:
            key = (committed.ws, account)
            self._writes[key] = self._writes.get(key, 0) + 1
            self._last_write[key] = now
            counted = self._counted[key] = self._counted.get(key, 0) + committed.changes
            if counted >= self._needed.get(key, MIN_CHANGES_BETWEEN_CHECKPOINTS) and key not in self._due:
                self._due[key] = now
                self._wake.set()
        if self._due and (self._worker is None or self._worker.done()):
            self._worker = loop.create_task(self._work())

    async def _work(self) -> None:
        while self._due:
            key, wait = self._next()
            if wait > 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
                continue
            del self._due[key]
            await self._look_at(key)

    def _next(self) -> tuple[Key, float]:
        """The due account to look at first, and how long to wait for it."""
        if self._settling:
            return next(iter(self._due)), 0.0
        now = asyncio.get_running_loop().time()
        waits = ((key, self.deferral.wait(now, self._last_write[key], since)) for key, since in self._due.items())
        return min(waits, key=lambda waiting: waiting[1])

    async def _look_at(self, key: Key) -> None:
        writes = self._writes[key]
        self._counted[key] = 0
        try:
            done = await checkpoint_account(self.db, *key)
        except Exception:  # a checkpoint only saves reads time: try again after more changes
            logger.warning("storing a checkpoint of account %s failed", key[1], exc_info=True)
            self._needed[key] = MIN_CHANGES_BETWEEN_CHECKPOINTS
            return
        if done.changes_to_go is not None:
            self._needed[key] = done.changes_to_go
        elif self._writes[key] != writes:  # an import held it, and may have let go meanwhile
            self._due[key] = asyncio.get_running_loop().time()
        else:  # an import holds it: look again when it lets go (a write of its own)
            self._needed[key] = 0

    async def settle(self) -> None:
        """Store every checkpoint due so far, without waiting for the accounts to be quiet."""
        self._settling = True
        self._wake.set()
        try:
            while self._worker is not None and not self._worker.done():
                await asyncio.shield(self._worker)
        finally:
            self._settling = False

    async def close(self) -> None:
        """Drop the checkpoint under way, if any: shutting down never waits for one (the account's later writes make
        it due again)."""
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker


def start_checkpoints(services: Services, deferral: Deferral | None = None) -> Checkpointer:
    """Have `services` store checkpoints after the writes through its database, until it closes."""
    checkpointer = Checkpointer(services.db, deferral or Deferral())
    services.db.committed.append(checkpointer.note)
    services.checkpoints = checkpointer
    return checkpointer
