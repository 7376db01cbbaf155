"""The ASGI application: GraphQL at /graphql, the map page at /map, liveness at /healthz, readiness at /readyz."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from service.gc_tuning import tune_garbage_collection
from service.graph.driver import Database, create_driver
from service.graph.migrations import apply_migrations
from service.map_page import mount_map_page
from service.schema import schema
from service.schema.context import get_context
from service.schema.ide import PowermapGraphQLRouter, mount_graphiql_assets
from service.settings import Settings

logger = logging.getLogger("powermap")


def create_app(settings: Settings) -> FastAPI:
    """The app for `settings`; the database named there must already be running."""
    if settings.neo4j_uri is None:
        raise ValueError("POWERMAP_NEO4J_URI is not set; the run command starts a local Neo4j for you")
    uri = settings.neo4j_uri

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        driver = create_driver(uri, settings.neo4j_user, settings.neo4j_password.get_secret_value())
        db = Database(driver, settings.neo4j_database)
        try:
            await driver.verify_connectivity()
            await apply_migrations(driver, settings.neo4j_database)
            app.state.db = db
            if settings.load_demo:
                from service.demo import load_demo_accounts

                await load_demo_accounts(db, settings.workspace_id)
            tune_garbage_collection()
            yield
        finally:
            await db.close()

    app = FastAPI(title="Powermap", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.include_router(PowermapGraphQLRouter(schema, context_getter=get_context), prefix="/graphql")
    mount_graphiql_assets(app)
    mount_map_page(app)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        try:
            await asyncio.wait_for(app.state.db.ping(), timeout=settings.readiness_timeout_seconds)
        except Exception as error:
            logger.warning("readiness check failed: %r", error)
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    return app
