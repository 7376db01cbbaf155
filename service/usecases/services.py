"""What the use cases need of the process: the database and the per-process state, caches and workers beside it."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from service.graph.database import Database
from service.graph.page_cache import AccountPageCache, StakeholderDetailCache
from service.graph.snapshots import SnapshotCache
from service.rules.change_feed import DEFAULT_RETENTION
from service.rules.imports import ImportProgress, Owner

if TYPE_CHECKING:
    from service.usecases.analytics import AnalyticsWorkers
    from service.usecases.checkpoints import Checkpointer


def this_process() -> Owner:
    return Owner(instance=uuid.uuid4().hex, host=socket.gethostname(), pid=os.getpid())


@dataclass
class Services:
    db: Database
    snapshots: SnapshotCache = field(default_factory=SnapshotCache)
    pages: AccountPageCache = field(default_factory=AccountPageCache)
    details: StakeholderDetailCache = field(default_factory=StakeholderDetailCache)
    owner: Owner = field(default_factory=this_process)
    """Who runs this process's import jobs."""
    running_imports: set[str] = field(default_factory=set)
    """Ids of the import jobs this process is running now."""
    import_listeners: list[Callable[[ImportProgress], None]] = field(default_factory=list)
    """Told of every batch of every import this process runs (the command line shows a progress bar)."""
    analytics: AnalyticsWorkers | None = None
    """Where snapshots are read and analytics computed; None: inline, on the caller's loop (tools, benchmarks)."""
    change_retention: timedelta = DEFAULT_RETENTION
    """How long a change feed cursor stays good after it was handed out."""
    checkpoints: Checkpointer | None = None
    """Stores checkpoints of the accounts' maps after writes (`usecases.checkpoints.start_checkpoints`); None: none."""

    async def close(self) -> None:
        if self.checkpoints is not None:
            await self.checkpoints.close()
        if self.analytics is not None:
            await self.analytics.close()
        await self.db.close()
