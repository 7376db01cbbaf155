"""Opening the database for any entry point: one driver, the schema migrations, and the `Services`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.graph.database import Database
from service.graph.driver import create_driver
from service.graph.migrations import apply_migrations
from service.rules.imports import LEASE_SECONDS
from service.settings import Settings
from service.usecases.imports import recover_abandoned_imports
from service.usecases.services import Services

logger = logging.getLogger("powermap.imports")


@asynccontextmanager
async def open_database(settings: Settings, migrate: bool = True) -> AsyncIterator[Services]:
    """The services over the configured Neo4j, migrated (unless `migrate` is false: another process did),
    with every import that a dead process left half-written rolled back; closed on exit. The URI must be
    set (the command line starts a local Neo4j first when it is not)."""
    if settings.neo4j_uri is None:
        raise ValueError("POWERMAP_NEO4J_URI is not set; the run command starts a local Neo4j for you")
    driver = create_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password.get_secret_value())
    services = Services(Database(driver, settings.neo4j_database))
    try:
        await driver.verify_connectivity()
        if migrate:
            await apply_migrations(driver, settings.neo4j_database)
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
