"""What the use cases need of the process: the database and the per-process caches beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.graph.database import Database
from service.graph.snapshots import SnapshotCache


@dataclass
class Services:
    db: Database
    snapshots: SnapshotCache = field(default_factory=SnapshotCache)

    async def close(self) -> None:
        await self.db.close()
