"""Closing the analytics workers stops the work still under way in them before their databases close.
Such work is a snapshot that a request began to read, often for a request that has answered since (one
field failed while a sibling's snapshot was loading). Left behind a stopped event loop, it held its
connection half made until the garbage collector found it, and whoever waited for it waited for ever."""

from __future__ import annotations

import asyncio
import threading

import pytest

from service.graph.database import Database
from service.graph.driver import create_driver
from service.graph.snapshots import SnapshotCache
from service.usecases.analytics import AnalyticsWorkers
from tests.conftest import Neo4jServer


async def test_closing_stops_the_work_still_under_way(neo4j_server: Neo4jServer) -> None:
    async def open_database() -> Database:
        return Database(create_driver(neo4j_server.uri, neo4j_server.user, neo4j_server.password), "neo4j")

    workers = AnalyticsWorkers(open_database, SnapshotCache(), count=1)
    await workers.start()
    began = threading.Event()
    ended: list[str] = []

    async def under_way(db: Database) -> None:
        try:
            async with db.driver.session(database="neo4j") as session:
                await (await session.run("RETURN 1")).consume()
                began.set()
                await asyncio.Event().wait()  # as long as it takes: until stopped
        except asyncio.CancelledError:
            ended.append("stopped")
            raise

    waiting = asyncio.create_task(workers.run("probe", "account", under_way))
    await asyncio.to_thread(began.wait, 60)
    await workers.close()
    assert ended == ["stopped"]
    with pytest.raises(asyncio.CancelledError):
        await waiting  # and whoever waited for it hears so, instead of waiting for ever
