"""Retrying one idempotent sync batch (contacts, interactions, team members, coverage) as a whole."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from neo4j.exceptions import ConstraintError, ServiceUnavailable, SessionExpired, TransientError

from service.usecases.errors import OutcomeUnknown

T = TypeVar("T")

ATTEMPTS = 3
"""Transactions per call: the driver retries a transaction for a short while (`SYNC_RETRY_SECONDS`), and a
uniqueness conflict (which the MERGE under the constraint should never let through) or a transient error
(a deadlock between concurrent jobs) that outlasts that runs the whole idempotent batch again."""

CONNECTION_LOST = (ServiceUnavailable, SessionExpired)
"""The database went away and the driver's retries are spent; `IncompleteCommit` (lost during COMMIT) is a
ServiceUnavailable. The batch may or may not be committed."""


async def with_batch_retries(commit: Callable[[], Awaitable[T]]) -> T:
    """`commit` (one transaction for the batch), run again up to `ATTEMPTS` times; `OutcomeUnknown` when the
    database may or may not have committed it, so that the client replays the batch."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await commit()
        except ConstraintError:
            if attempt == ATTEMPTS:
                raise  # a bug, not the client's fault: masked
        except TransientError as error:
            if attempt == ATTEMPTS:
                raise OutcomeUnknown() from error
        except CONNECTION_LOST as error:
            raise OutcomeUnknown() from error
    raise AssertionError("unreachable")
