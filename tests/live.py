"""The service over real HTTP, in the test's own event loop (uvicorn on a free loopback port), for the
tests that need a socket: the GraphQL-over-HTTP audit, body limits as a client sends them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from powermap_devtools.local_neo4j import free_port

from service.entrypoints.app import create_app
from service.rules.access import Role
from service.settings import Settings
from service.usecases.identity import provision_key


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[tuple[str, str]]:
    """The app for `settings` listening on 127.0.0.1; yields its base URL and an admin key of the workspace."""
    port = free_port()
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        key = await provision_key(app.state.services, settings.workspace_id, Role.ADMIN, "live test")
        yield f"http://127.0.0.1:{port}", key.secret
    finally:
        server.should_exit = True
        await task
