"""The ASGI application: GraphQL at /graphql, the map page at /map, liveness at /healthz, readiness at
/readyz, metrics at /metrics, behind the edge.

Every request but the open ones (`service.entrypoints.edge`) carries an identity; the GraphQL context
holds the principal the edge verified. Outside production, the app can ensure a bootstrap admin key of
the demo workspace (the run command's first-run key), which the IDE page offers to a local browser.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware

from service.entrypoints.credentials import identity_config
from service.entrypoints.edge import EdgeGuard, EdgeOptions
from service.entrypoints.map_page import mount_map_page
from service.entrypoints.middleware import EdgeMiddleware
from service.entrypoints.observability import add_operator_routes
from service.entrypoints.serving import settle_heap
from service.rules.access import Principal, Role
from service.runtime import open_database
from service.schema import SchemaOptions, build_schema
from service.schema.context import Context
from service.schema.ide import PowermapGraphQL, mount_graphiql_assets
from service.schema.limits import QueryLimits
from service.settings import Settings
from service.usecases.identity import Authenticator, ensure_bootstrap_key
from service.usecases.services import Services

logger = logging.getLogger("powermap")

NOBODY = Principal(workspace_id="", role=Role.VIEWER, id="nobody")
"""The context of the IDE page's GET: it renders a page and never runs an operation."""


def schema_options(settings: Settings) -> SchemaOptions:
    limits = QueryLimits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_fields=settings.max_fields,
        max_field_repeats=settings.max_field_repeats,
        max_directives=settings.max_directives,
        max_directives_per_location=settings.max_directives_per_location,
        max_cost=settings.max_query_cost,
        default_list_size=settings.cost_default_list_size,
    )
    return SchemaOptions(
        limits=limits,
        max_tokens=settings.max_tokens,
        production=settings.production,
        response_cache_values=settings.response_cache_values,
    )


def create_app(
    settings: Settings,
    on_bootstrap_key: Callable[[str], None] | None = None,
    prepared: bool = False,
    started: Callable[[], None] | None = None,
) -> FastAPI:
    """The app for `settings`; the database named there must already be running. `on_bootstrap_key` gets
    the bootstrap key once it is ensured (outside production, when `settings.bootstrap_key` is set).
    `prepared`: another process has applied the migrations, loaded the demo and ensured the bootstrap key
    (see `prepare`); `settings.bootstrap_key` is then the key it ensured. `started` runs once the app has
    started, before the first request (the server's own process set-up, see `serving`)."""
    if settings.neo4j_uri is None:
        raise ValueError("POWERMAP_NEO4J_URI is not set; the run command starts a local Neo4j for you")
    config = identity_config(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_database(settings, migrate=not prepared) as services:
            app.state.services = services
            app.state.authenticator = Authenticator(services, config)
            if prepared:
                app.state.bootstrap_key = _ensured_bootstrap_key(settings)
            else:
                app.state.bootstrap_key = await _prepare_data(services, settings, on_bootstrap_key)
            if started is not None:
                started()
            yield

    async def get_context(request: Request) -> Context:
        """The principal the edge verified (`EdgeGuard`). Only the IDE page (a GET without an operation
        in its URL, which renders a page and runs nothing) comes without one."""
        principal = getattr(request.state, "principal", None)
        if principal is None:
            if request.method != "GET" or "query" in request.query_params:
                raise HTTPException(status_code=401, detail="no identity")
            principal = NOBODY
        return Context(request.app.state.services, principal, request.app.state.authenticator)

    app = FastAPI(title="Powermap", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.bootstrap_key = None
    schema = build_schema(schema_options(settings))
    graphql = PowermapGraphQL(
        schema,
        context_getter=get_context,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
        max_json_depth=settings.max_json_depth,
    )
    # Starlette routes to an ASGI app given as the endpoint as it is (typed for request handlers only).
    app.add_route("/graphql", graphql, methods=["GET", "POST"])  # type: ignore[arg-type]
    if not settings.production:
        mount_graphiql_assets(app)
    mount_map_page(app)

    add_operator_routes(app, settings.readiness_timeout_seconds)

    options = EdgeOptions(settings.rate_limit, settings.auth_failure_rate_limit, ide=not settings.production)
    app.add_middleware(EdgeGuard, authenticator=lambda: app.state.authenticator, options=options)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(
        EdgeMiddleware,
        max_body_bytes=settings.max_body_bytes,
        request_timeout_seconds=settings.request_timeout_seconds,
    )
    return app


def served_app(
    settings: Settings, on_bootstrap_key: Callable[[str], None] | None = None, prepared: bool = False
) -> FastAPI:
    """The app as `powermap serve` runs it: `create_app`'s, with the serving process's own set-up once started
    (`serving.settle_heap`). Benchmarks that build the app in-process build it with this."""
    return create_app(settings, on_bootstrap_key, prepared, started=lambda: settle_heap(settings))


def worker_app() -> FastAPI:
    """The app of one of several worker processes (`POWERMAP_WORKERS`): its settings from the environment,
    the database prepared by the process that started the workers. The snapshot cache is checked against
    the account's clock on each read, so a write through one worker shows in the next read through any
    other; a revoked API key is refused by the other workers once their key cache lapses
    (`POWERMAP_API_KEY_CACHE_SECONDS`)."""
    return served_app(Settings(), prepared=True)


async def prepare(settings: Settings, on_bootstrap_key: Callable[[str], None] | None = None) -> str | None:
    """Once, before worker processes start: the migrations, the demo accounts when asked for, and the
    bootstrap key (returned, and handed to `on_bootstrap_key`) when one is configured."""
    async with open_database(settings) as services:
        return await _prepare_data(services, settings, on_bootstrap_key)


async def _prepare_data(
    services: Services, settings: Settings, on_bootstrap_key: Callable[[str], None] | None
) -> str | None:
    if settings.load_demo:
        from service.demo import load_demo_if_empty

        await load_demo_if_empty(services, settings.workspace_id)
    if settings.bootstrap_key is None or settings.production:
        return None
    key = await ensure_bootstrap_key(services, settings.workspace_id, settings.bootstrap_key.get_secret_value())
    if on_bootstrap_key is not None:
        on_bootstrap_key(key)
    return key


def _ensured_bootstrap_key(settings: Settings) -> str | None:
    if settings.bootstrap_key is None or settings.production:
        return None
    return settings.bootstrap_key.get_secret_value()
