"""The real app served in-process for the benchmarks: built as `powermap serve` builds it (`served_app`), its
rate limit lifted (a benchmark sends thousands of requests a minute with one key), started, and reached
through httpx's ASGI transport by clients holding keys of their own (JSON in and out, as over HTTP)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI

from service.entrypoints.app import served_app
from service.rules.access import Role
from service.settings import Settings
from service.usecases.identity import provision_key
from service.usecases.services import Services

NO_RATE_LIMIT = "100000000/minute"


@dataclass(frozen=True)
class Served:
    app: FastAPI
    services: Services
    workspace: str

    @asynccontextmanager
    async def client(self, role: Role, label: str) -> AsyncIterator[httpx.AsyncClient]:
        """A client like any other, with a new key of `role` in the workspace (provisioned now, so after
        whatever the benchmark cleared or seeded before)."""
        key = await provision_key(self.services, self.workspace, role, label)
        transport = httpx.ASGITransport(app=self.app)
        headers = {"authorization": f"Bearer {key.secret}"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=120, headers=headers
        ) as http:
            yield http


@asynccontextmanager
async def served_in_process(uri: str, user: str, password: str, workspace: str) -> AsyncIterator[Served]:
    settings = Settings(
        neo4j_uri=uri, neo4j_user=user, neo4j_password=password, workspace_id=workspace, load_demo=False,
        rate_limit=NO_RATE_LIMIT,
    )  # fmt: skip
    app = served_app(settings)
    async with app.router.lifespan_context(app):
        yield Served(app, app.state.services, workspace)
