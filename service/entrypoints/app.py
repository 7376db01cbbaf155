"""The ASGI application: GraphQL at /graphql, liveness at /healthz, readiness at /readyz."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from service.gc_tuning import tune_garbage_collection
from service.rules.access import Principal, Role
from service.runtime import open_database
from service.schema import schema
from service.schema.context import Context
from service.schema.ide import PowermapGraphQLRouter, mount_graphiql_assets
from service.settings import Settings
from service.usecases.services import Services

logger = logging.getLogger("powermap")


def create_app(settings: Settings, prepared: bool = False) -> FastAPI:
    """The app for `settings`; the database named there must already be running. `prepared`: another
    process has applied the migrations and loaded the demo (see `prepare`)."""
    if settings.neo4j_uri is None:
        raise ValueError("POWERMAP_NEO4J_URI is not set; the run command starts a local Neo4j for you")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_database(settings, migrate=not prepared) as services:
            app.state.services = services
            if not prepared:
                await _load_demo(services, settings)
            tune_garbage_collection()
            yield

    async def get_context(request: Request) -> Context:
        """Until authentication exists, every caller is an admin of the configured workspace."""
        principal = Principal(workspace_id=settings.workspace_id, role=Role.ADMIN, id="api")
        return Context(request.app.state.services, principal)

    app = FastAPI(title="Powermap", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.include_router(PowermapGraphQLRouter(schema, context_getter=get_context), prefix="/graphql")
    mount_graphiql_assets(app)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        try:
            await asyncio.wait_for(app.state.services.db.ping(), timeout=settings.readiness_timeout_seconds)
        except Exception as error:
            logger.warning("readiness check failed: %r", error)
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    return app


def worker_app() -> FastAPI:
    """The app of one of several worker processes (`POWERMAP_WORKERS`): its settings from the environment,
    the database prepared by the process that started the workers. Every cache a worker keeps is checked
    against the account's clock on each read, so a write through one worker shows in the next read
    through any other."""
    return create_app(Settings(), prepared=True)


async def prepare(settings: Settings) -> None:
    """Once, before worker processes start: the migrations, and the demo accounts when asked for."""
    async with open_database(settings) as services:
        await _load_demo(services, settings)


async def _load_demo(services: Services, settings: Settings) -> None:
    if settings.load_demo:
        from service.demo import load_demo_accounts

        await load_demo_accounts(services, settings.workspace_id)
