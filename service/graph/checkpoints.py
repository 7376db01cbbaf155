"""Stored checkpoints of an account's map (DOMAIN.md rule 18): its state as of the latest change of its log
(`service.rules.history.encode_state`, the account's own entities; team members are the workspace's), so
that an as-of read undoes only the changes up to the nearest checkpoint after its instant
(`service.graph.as_of`), not every change since.

A checkpoint at instant `at` answers for every instant before it only while the log after `at` grows in
order of instant. So every write retires, when it commits, the checkpoints of each account it touches that
its changes could make wrong (`service.graph.database`, with the clocks): those at or after the write's
instant, and all of them when the account already logged a change after that instant (a backfill,
`effectiveAt`, or a writer whose clock is behind). Undoing from the present and from a checkpoint then give
the same answer on any log, backfilled or not.

A checkpoint is stored by a write of its own (`save_checkpoint`) under the account's lock, so no write to
the account commits between the state it reads and the instant it files it under; never while an import
holds the account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import LiteralString

from service.graph.database import Write
from service.graph.driver import fetch
from service.graph.map_state import ACCOUNT_STATE, current_state
from service.rules.history import LogSince, encode_state

CHECKPOINT_PROGRESS: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
WHERE a.importJob IS NULL
SET a._checkpointLock = true
REMOVE a._checkpointLock
WITH a
CALL (a) {
  OPTIONAL MATCH (k:Checkpoint {workspaceId: $ws, accountId: a.id})
  USING INDEX k:Checkpoint(workspaceId, accountId, at)
  WHERE k.at IS NOT NULL
  WITH k ORDER BY k.workspaceId DESC, k.accountId DESC, k.at DESC
  LIMIT 1
  RETURN k.at AS since, k.entities AS entities
}
CALL (a, since) {
  CALL (a, since) {
    MATCH (c:Change {workspaceId: $ws, accountId: a.id})
    WHERE since IS NULL AND c.at IS NOT NULL
    RETURN c.op AS op
    UNION ALL
    MATCH (c:Change {workspaceId: $ws, accountId: a.id})
    WHERE c.at > since
    RETURN c.op AS op
  }
  RETURN count(op) AS changes, count(CASE op WHEN 'CREATED' THEN 1 END) AS created,
         count(CASE op WHEN 'DELETED' THEN 1 END) AS deleted
}
RETURN entities, changes, created, deleted
"""
"""Takes the account's lock (held until the write ends), then: the size of its latest checkpoint and how many
changes it logged after it (all of them without one), creations and deletions apart. No row: no such account,
or an import holds it."""

SAVE_CHECKPOINT: LiteralString = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
CALL (a) {
  MATCH (c:Change {workspaceId: $ws, accountId: a.id})
  WHERE c.at IS NOT NULL
  RETURN c.at AS at
  ORDER BY c.workspaceId DESC, c.accountId DESC, c.at DESC
  LIMIT 1
}
CREATE (k:Checkpoint {workspaceId: $ws, accountId: a.id, at: at, entities: $entities, state: $state})
RETURN k.at AS at
"""
"""Files the state under the instant of the account's latest change, as stored (an instant written with a
zone and the same one written with an offset do not compare as equal)."""


async def log_since_checkpoint(w: Write, account_id: str) -> LogSince | None:
    """Lock the account for the rest of `w` and tell what it logged since its latest checkpoint; None for an
    unknown account or one that an import holds."""
    rows = await fetch(w.tx, CHECKPOINT_PROGRESS, ws=w.ws, accountId=account_id)
    if not rows:
        return None
    row = rows[0]
    return LogSince(row["changes"], row["created"], row["deleted"], row["entities"])


@dataclass(frozen=True, slots=True)
class Saved:
    """A checkpoint stored."""

    at: datetime
    entities: int


async def save_checkpoint(w: Write, account_id: str) -> Saved | None:
    """Store the account's present state as a checkpoint at its latest change, in `w`, which holds the account's
    lock (`log_since_checkpoint`); None when the account logged no change."""
    rows = await fetch(w.tx, ACCOUNT_STATE, ws=w.ws, accountId=account_id)
    if not rows:
        return None
    state, _ = current_state(rows[0], account_id)
    saved = await fetch(
        w.tx, SAVE_CHECKPOINT, ws=w.ws, accountId=account_id, entities=len(state), state=encode_state(state)
    )
    return None if not saved else Saved(saved[0]["at"].to_native(), len(state))
