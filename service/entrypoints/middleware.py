"""The HTTP edge, in front of every route: request ids, body limits, the request deadline, the access
log and the request metrics. A plain ASGI middleware (no buffering of responses).

- `X-Request-ID`: accepted from the client when it is a plain token (else generated), set in the
  request context (`service.observability.context`) and echoed on the response.
- Bodies larger than `max_body_bytes` get 413 before the application reads them (by Content-Length,
  or while they stream in).
- A request that takes longer than `request_timeout_seconds` is stopped and, if nothing was sent
  yet, answered with 503 and `Retry-After`.
- One access line per request at INFO: method, route (never the query string), status, duration,
  GraphQL operation and error codes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.observability.context import RequestInfo, accepted_request_id, serving
from service.observability.metrics import (
    GRAPHQL_ERRORS,
    GRAPHQL_SECONDS,
    HTTP_REQUESTS,
    HTTP_SECONDS,
    labelled,
    operation_label,
)
from service.observability.tracing import span

access_log = logging.getLogger("powermap.access")

KNOWN_ROUTES = ("/graphql", "/healthz", "/readyz", "/metrics")


class BodyTooLarge(Exception):
    pass


def _route(path: str) -> str:
    """A bounded label for the metrics: the known routes, the IDE's assets, or `other`."""
    if path in KNOWN_ROUTES:
        return path
    if path.startswith("/graphiql-static/"):
        return "/graphiql-static"
    return "other"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, request_timeout_seconds: float) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.request_timeout_seconds = request_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with serving(accepted_request_id(_header(scope, b"x-request-id"))) as info:
            await self._serve(scope, receive, send, info)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, info: RequestInfo) -> None:
        began = time.perf_counter()
        route = _route(scope.get("path", ""))
        id_header = (b"x-request-id", info.request_id.encode())
        status = 500
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), id_header]}
            await send(message)

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        declared = _header(scope, b"content-length")
        try:
            with span(f"{scope.get('method', 'GET')} {route}", **{"http.route": route}):
                if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
                    raise BodyTooLarge
                async with asyncio.timeout(self.request_timeout_seconds):
                    await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge:
            if not started:
                status = 413
                message = f"The request body is larger than {self.max_body_bytes} bytes."
                await _send_json(send, 413, {"errors": [{"message": message}]}, [id_header])
        except TimeoutError:
            access_log.warning("request stopped at its deadline", extra={"seconds": self.request_timeout_seconds})
            if not started:
                status = 503
                message = f"The request took longer than {self.request_timeout_seconds:g} s."
                body = {
                    "errors": [
                        {"message": message, "extensions": {"code": "REQUEST_TIMEOUT", "requestId": info.request_id}}
                    ]
                }
                await _send_json(send, 503, body, [id_header, (b"retry-after", b"2")])
        finally:
            self._record(scope, route, status, time.perf_counter() - began, info)

    @staticmethod
    def _record(scope: Scope, route: str, status: int, seconds: float, info: RequestInfo) -> None:
        labelled(HTTP_REQUESTS, route, str(status)).inc()
        labelled(HTTP_SECONDS, route).observe(seconds)
        fields: dict[str, Any] = {
            "method": scope.get("method"),
            "route": scope.get("path") if route != "other" else "other",
            "status": status,
            "durationMs": round(seconds * 1000, 1),
        }
        if route == "/graphql" and (info.operation_type is not None or info.error_codes):
            operation = operation_label(info.operation)
            labelled(GRAPHQL_SECONDS, operation, info.operation_type or "none").observe(seconds)
            for code in info.error_codes:
                labelled(GRAPHQL_ERRORS, code).inc()
            fields["operation"] = operation
            if info.error_codes:
                fields["errors"] = info.error_codes
        quiet = route in ("/healthz", "/metrics", "/graphiql-static") or (route == "/readyz" and status == 200)
        if not quiet:
            access_log.info("request", extra=fields)
