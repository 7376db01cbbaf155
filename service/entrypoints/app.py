"""The ASGI application: GraphQL at /graphql, liveness at /healthz, readiness at /readyz, /metrics."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from service.entrypoints.middleware import EdgeMiddleware
from service.entrypoints.observability import add_operator_routes
from service.rules.access import Principal, Role
from service.runtime import open_database
from service.schema import schema
from service.schema.context import Context
from service.schema.ide import PowermapGraphQLRouter, mount_graphiql_assets
from service.settings import Settings

logger = logging.getLogger("powermap")


def create_app(settings: Settings) -> FastAPI:
    """The app for `settings`; the database named there must already be running."""
    if settings.neo4j_uri is None:
        raise ValueError("POWERMAP_NEO4J_URI is not set; the run command starts a local Neo4j for you")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_database(settings) as services:
            app.state.services = services
            if settings.load_demo:
                from service.demo import load_demo_if_empty

                await load_demo_if_empty(services, settings.workspace_id)
            yield

    async def get_context(request: Request) -> Context:
        """Until authentication exists, every caller is an admin of the configured workspace."""
        principal = Principal(workspace_id=settings.workspace_id, role=Role.ADMIN, id="api")
        return Context(request.app.state.services, principal)

    app = FastAPI(title="Powermap", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.include_router(
        PowermapGraphQLRouter(schema, context_getter=get_context, max_json_depth=settings.max_json_depth),
        prefix="/graphql",
    )
    mount_graphiql_assets(app)
    add_operator_routes(app, settings.readiness_timeout_seconds)
    app.add_middleware(
        EdgeMiddleware,
        max_body_bytes=settings.max_body_bytes,
        request_timeout_seconds=settings.request_timeout_seconds,
    )
    return app
