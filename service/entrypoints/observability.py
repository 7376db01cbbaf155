"""The operator's endpoints beside the API: liveness, readiness and metrics."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from service.observability.metrics import render

logger = logging.getLogger("powermap")


def add_operator_routes(app: FastAPI, readiness_timeout_seconds: float) -> None:
    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process serves requests (its event loop is free)."""
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        """The database answers: at once 503 while it is known to be down, else one probe."""
        db = request.app.state.services.db
        try:
            if db.availability is not None:
                ready = await db.availability.check_now()
            else:
                await asyncio.wait_for(db.ping(), timeout=readiness_timeout_seconds)
                ready = True
        except Exception as error:
            logger.warning("readiness check failed", extra={"errorType": type(error).__name__})
            ready = False
        if not ready:
            return JSONResponse({"status": "unavailable"}, status_code=503, headers={"retry-after": "2"})
        return JSONResponse({"status": "ready"})

    @app.get("/metrics")
    async def metrics() -> Response:
        body, content_type = render()
        return Response(body, media_type=content_type)
