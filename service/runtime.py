"""Opening the database for any entry point: one driver, the schema migrations, and the `Services`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.graph.database import Database
from service.graph.driver import create_driver
from service.graph.migrations import apply_migrations
from service.settings import Settings
from service.usecases.services import Services


@asynccontextmanager
async def open_database(settings: Settings, migrate: bool = True) -> AsyncIterator[Services]:
    """The services over the configured Neo4j, migrated (unless `migrate` is false: another process did);
    closed on exit. The URI must be set (the command line starts a local Neo4j first when it is not)."""
    if settings.neo4j_uri is None:
        raise ValueError("POWERMAP_NEO4J_URI is not set; the run command starts a local Neo4j for you")
    driver = create_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password.get_secret_value())
    services = Services(Database(driver, settings.neo4j_database))
    try:
        await driver.verify_connectivity()
        if migrate:
            await apply_migrations(driver, settings.neo4j_database)
        yield services
    finally:
        await services.close()
