"""Opening the database for any entry point: one driver, the schema migrations, and the `Services`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from neo4j import AsyncDriver

from service.graph.availability import Availability
from service.graph.database import Database, Limits
from service.graph.driver import create_driver
from service.graph.migrations import apply_migrations
from service.graph.page_cache import AccountPageCache, StakeholderDetailCache
from service.observability.metrics import DB_POOL_SIZE
from service.rules.imports import LEASE_SECONDS
from service.settings import Settings
from service.usecases.analytics import AnalyticsWorkers
from service.usecases.checkpoints import start_checkpoints
from service.usecases.imports import recover_abandoned_imports
from service.usecases.services import Services

logger = logging.getLogger("powermap.imports")

PROBE_POOL_SIZE = 2
ANALYTICS_POOL_SIZE = 8


def _driver(settings: Settings, pool_size: int, connect_within: float | None = None) -> AsyncDriver:
    """`connect_within`: how long getting a connection may take, opening one included (None: the acquisition
    timeout, of which at most 5 s to open one)."""
    assert settings.neo4j_uri is not None
    if connect_within is None:
        acquisition = settings.db_acquisition_timeout_seconds
        connection = min(5.0, acquisition)
    else:
        acquisition = connection = connect_within
    return create_driver(
        settings.neo4j_uri,
        settings.neo4j_user,
        settings.neo4j_password.get_secret_value(),
        pool_size=pool_size,
        acquisition_timeout=acquisition,
        connection_timeout=connection,
        retry_seconds=settings.db_transaction_timeout_seconds,
    )


def _probe_driver(settings: Settings) -> AsyncDriver:
    """The outage detector's driver. Opening a connection may take longer than a probe: a connection
    that is slow to open is then judged as a slow answer is (see `graph.availability`), not as a refusal."""
    return _driver(settings, PROBE_POOL_SIZE, connect_within=settings.readiness_timeout_seconds + 1)


def _limits(settings: Settings) -> Limits:
    return Limits(transaction_seconds=settings.db_transaction_timeout_seconds)


@asynccontextmanager
async def open_database(
    settings: Settings, *, migrate: bool = True, watch_availability: bool = True
) -> AsyncIterator[Services]:
    """The services over the configured Neo4j, migrated (unless `migrate` is false: another process did),
    with every import that a dead process left half-written rolled back; closed on exit. The URI must be
    set (the command line starts a local Neo4j first when it is not). `watch_availability` probes the
    database in the background, so that requests fail fast while it is away (see `graph.availability`)."""
    if settings.neo4j_uri is None:
        raise ValueError("POWERMAP_NEO4J_URI is not set; the run command starts a local Neo4j for you")
    availability = None
    if watch_availability:
        availability = Availability(
            lambda: _probe_driver(settings),
            settings.neo4j_database,
            interval=settings.db_probe_interval_seconds,
            timeout=settings.readiness_timeout_seconds,
        )
    driver = _driver(settings, settings.db_pool_size)
    DB_POOL_SIZE.labels("main").set(settings.db_pool_size)
    services = Services(
        Database(driver, settings.neo4j_database, limits=_limits(settings), availability=availability),
        pages=AccountPageCache(people=settings.screen_cache_people),
        details=StakeholderDetailCache(people=settings.screen_cache_people),
        change_retention=timedelta(days=settings.change_feed_retention_days),
    )

    async def analytics_database() -> Database:
        DB_POOL_SIZE.labels("analytics").set(ANALYTICS_POOL_SIZE)
        return Database(
            _driver(settings, ANALYTICS_POOL_SIZE),
            settings.neo4j_database,
            limits=_limits(settings),
            progress=None if availability is None else availability.note_progress,
            pool="analytics",
        )

    try:
        await driver.verify_connectivity()
        if migrate:
            await apply_migrations(driver, settings.neo4j_database)
        services.analytics = AnalyticsWorkers(
            analytics_database,
            services.snapshots,
            count=settings.analytics_workers,
            timeout_seconds=settings.analytics_timeout_seconds,
        )
        await services.analytics.start()
        start_checkpoints(services)
        if availability is not None:
            await availability.start()
        await recover_abandoned_imports(services)
        sweeper = asyncio.create_task(_sweep_abandoned_imports(services))
        try:
            yield services
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
    finally:
        await services.close()


async def _sweep_abandoned_imports(services: Services) -> None:
    """Now and then, roll back the import jobs whose process died elsewhere (their lease lapsed): an
    account is never left refusing writes for longer than the lease and one sweep."""
    while True:
        await asyncio.sleep(LEASE_SECONDS / 2)
        try:
            await recover_abandoned_imports(services)
        except Exception:  # the database may be away for a while: try again at the next sweep
            logger.warning("sweeping abandoned imports failed", exc_info=True)
