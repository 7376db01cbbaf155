"""GraphiQL served from vendored assets, so the IDE works without internet access.

Strawberry's stock GraphiQL page loads React/GraphiQL from unpkg. ``PowermapGraphQL`` (the app's
GraphQL endpoint) serves the same page with every ``https://unpkg.com/<pkg>@<version>/`` prefix pointed
at ``GRAPHIQL_STATIC_PATH``, which ``mount_graphiql_assets`` mounts on the app. The files in
``service/static/graphiql`` are byte-identical to the npm releases, so strawberry's SRI
``integrity`` attributes keep working (see that directory's README for refreshing them).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.execution import ExecutionResult
from strawberry.types.unset import UNSET

from service.observability.context import current_request
from service.schema.http import (
    GRAPHQL_RESPONSE_JSON,
    decode_json_body,
    encode_json_answer,
    is_request_error,
    operation_type_refusal,
    response_media_type,
)

__all__ = [
    "GRAPHIQL_ASSETS_DIR",
    "GRAPHIQL_STATIC_PATH",
    "PowermapGraphQL",
    "mount_graphiql_assets",
    "rewrite_cdn_urls",
]

GRAPHIQL_STATIC_PATH = "/graphiql-static"
GRAPHIQL_ASSETS_DIR = Path(__file__).resolve().parent.parent / "static" / "graphiql"

# https://unpkg.com/react@18.2.0/...  or  https://unpkg.com/@graphiql/plugin-explorer@1.0.2/...
_UNPKG_PREFIX = re.compile(r"https://unpkg\.com/(?P<pkg>(?:@[\w.-]+/)?[\w.-]+)@[\w.+-]+/")
# Anything the browser would fetch from another origin: src/href attributes with a scheme.
_EXTERNAL_FETCH = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def rewrite_cdn_urls(html: str, static_path: str = GRAPHIQL_STATIC_PATH) -> str:
    """Point unpkg URLs at ``static_path``; fail if any other external fetch remains."""
    local = _UNPKG_PREFIX.sub(lambda m: f"{static_path}/{m['pkg']}/", html)
    leftover = _EXTERNAL_FETCH.search(local)
    if leftover is not None:
        # A strawberry upgrade changed the template: re-vendor (service/static/graphiql/README.md).
        raise RuntimeError(f"GraphiQL page still references an external URL near {leftover.group()!r}")
    return local


@cache
def _local_graphiql_html(template: str, static_path: str) -> str:
    return rewrite_cdn_urls(template, static_path)


_HEADERS_STATE = "React.useState(parameters.headers)"


def prefill_authorization(html: str, key: str) -> str:
    """The page with `Authorization: Bearer <key>` in GraphiQL's headers editor (a header given in the page's
    URL still wins); fail if the template no longer has the place to put it."""
    if _HEADERS_STATE not in html:
        raise RuntimeError("the GraphiQL page no longer keeps its headers where the bootstrap key goes")
    headers = json.dumps(json.dumps({"Authorization": f"Bearer {key}"}, indent=2)).replace("<", "\\u003c")
    return html.replace(_HEADERS_STATE, f"React.useState(parameters.headers || {headers})")


def is_local_browser(request: Request) -> bool:
    """A browser on this machine: the only one the bootstrap key is offered to."""
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


ContextGetter = Callable[[Request], Awaitable[Any]]


class PowermapGraphQL(GraphQL[Any, None]):
    """Strawberry's ASGI GraphQL endpoint, routed by the app at one path: a plain view, without the
    per-request dependency solving of a FastAPI router (measurable on a small write). Its GraphiQL
    page loads its assets from ``GRAPHIQL_STATIC_PATH``, its responses carry names as UTF-8 rather than
    ``\\u`` escapes (half the bytes for Chinese text), and it follows GraphQL over HTTP
    (``service.schema.http``): media types, status codes, JSON depth, and a 405 for a mutation over GET.
    `context_getter` makes each request's context from the request."""

    def __init__(self, *args: Any, context_getter: ContextGetter, max_json_depth: int = 64, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context_getter = context_getter
        self.max_json_depth = max_json_depth

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Any:
        if not isinstance(request, Request):
            raise HTTPException(400, "GraphQL over WebSocket is not served.")
        return await self.context_getter(request)

    def encode_json(self, data: object) -> bytes:
        return encode_json_answer(data)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json_body(data, self.max_json_depth)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if is_request_error(result) and response_media_type(request.headers.get("accept")) == GRAPHQL_RESPONSE_JSON:
            request.state.graphql_request_error = True
            response.pop("data", None)
        return response

    async def run(
        self,
        request: Request | WebSocket,
        context: Any = UNSET,
        root_value: None = UNSET,
    ) -> Any:
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as refused:
            if isinstance(request, Request) and isinstance(refused.__cause__, InvalidOperationTypeError):
                return operation_type_refusal(request.method)
            raise
        if isinstance(request, Request) and isinstance(response, Response):
            _follow_graphql_over_http(request, response)
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        if self.graphql_ide != "graphiql":
            # Apollo Sandbox / Pathfinder are not vendored: keep strawberry's behaviour.
            return await super().render_graphql_ide(request)
        root_path: str = request.scope.get("root_path", "")
        html = _local_graphiql_html(self.graphql_ide_html, root_path.rstrip("/") + GRAPHIQL_STATIC_PATH)
        key: str | None = getattr(request.app.state, "bootstrap_key", None)
        if key is not None and is_local_browser(request):
            html = prefill_authorization(html, key)
        return HTMLResponse(html, headers={"cache-control": "no-store"})


def _follow_graphql_over_http(request: Request, response: Response) -> None:
    """Media type and status of a GraphQL answer (not of the IDE page or a plain-text refusal)."""
    if response.media_type != "application/json":
        return
    media_type = response_media_type(request.headers.get("accept"))
    if media_type == GRAPHQL_RESPONSE_JSON:
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        if getattr(request.state, "graphql_request_error", False):
            response.status_code = 400
    info = current_request()
    if info is not None and info.retry_after_seconds is not None and "SERVICE_UNAVAILABLE" in info.error_codes:
        response.status_code = 503
        response.headers["retry-after"] = str(info.retry_after_seconds)


def mount_graphiql_assets(app: FastAPI) -> None:
    """Serve the vendored GraphiQL files at ``GRAPHIQL_STATIC_PATH``."""
    app.mount(
        GRAPHIQL_STATIC_PATH,
        StaticFiles(directory=GRAPHIQL_ASSETS_DIR),
        name="graphiql-static",
    )
