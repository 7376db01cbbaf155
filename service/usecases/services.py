"""What the use cases need of the process: the database and the per-process caches and workers beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from service.graph.database import Database
from service.graph.snapshots import SnapshotCache

if TYPE_CHECKING:
    from service.usecases.analytics import AnalyticsWorkers


@dataclass
class Services:
    db: Database
    snapshots: SnapshotCache = field(default_factory=SnapshotCache)
    analytics: AnalyticsWorkers | None = None
    """Where snapshots are read and analytics computed; None: inline, on the caller's loop (tools, benchmarks)."""

    async def close(self) -> None:
        if self.analytics is not None:
            await self.analytics.close()
        await self.db.close()
