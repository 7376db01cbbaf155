"""The HTTP edge: nothing reaches the API without a valid identity, and each refusal is fast and says why.

`EdgeGuard` is a plain ASGI middleware in front of the app. Open to anyone: `/healthz`, `/readyz`,
`/metrics` and the static pages (the IDE page and its assets, `/map`). Everything else needs
`Authorization: Bearer <API key or JWT>`, which the identity use case verifies (401 when it does not).
`/graphql` takes one operation per request: a query as a GET (`query`, `variables`, `operationName` in
the URL, GraphQL over HTTP) or a JSON POST. A mutation over GET is 405 (the router refuses it once the
document is parsed), as is every other method; other content types of a POST (text/plain and form posts,
the CSRF shapes) are 415, and a JSON array (a batch) is 400. A GET goes through the same identity and
rate limits as a POST; only a browser's GET of the IDE page (no `query` in the URL) needs none. Each key
or user has a rate limit, and each client address a limit on refused credentials; past either, 429 with
`Retry-After`. Nothing here logs a credential.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from service.rules.access import Principal
from service.usecases.identity import Authenticator, IdentityUnavailable, Unauthenticated

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/map"})
OPEN_PREFIXES = ("/graphiql-static/", "/map/")
GRAPHQL_PATH = "/graphql"
WHITESPACE = b" \t\r\n"


@dataclass(frozen=True, slots=True)
class EdgeOptions:
    rate_limit: str = "600/minute"
    auth_failure_rate_limit: str = "30/minute"
    ide: bool = True
    """The GraphiQL page answers a browser's GET of /graphql (never in production)."""


class RateLimits:
    """Sliding-window counters per principal and, for refused credentials, per client address (in this
    process). The asyncio storage: the threaded one starts a timer thread for nearly every hit of a client
    that waits for each answer (about 0.5 ms of CPU a request), and a moving window keeps every hit."""

    def __init__(self, options: EdgeOptions) -> None:
        self.window = SlidingWindowCounterRateLimiter(MemoryStorage())
        self.requests: RateLimitItem = parse(options.rate_limit)
        self.failures: RateLimitItem = parse(options.auth_failure_rate_limit)

    async def retry_after(self, item: RateLimitItem, *identity: str) -> int | None:
        """None when this hit is within the limit; else the seconds until the window lets one more in."""
        if await self.window.hit(item, *identity):
            return None
        reset = (await self.window.get_window_stats(item, *identity)).reset_time
        return max(1, math.ceil(reset - time.time()))


def _error_body(message: str, code: str, **extensions: Any) -> bytes:
    return json.dumps({"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}).encode()


async def respond(send: Send, status: int, message: str, code: str, headers: dict[str, str], **extra: Any) -> None:
    body = _error_body(message, code, **extra)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(name.encode(), value.encode()) for name, value in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _media_type(scope: Scope) -> str:
    return (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


class EdgeGuard:
    def __init__(self, app: ASGIApp, authenticator: Callable[[], Authenticator], options: EdgeOptions) -> None:
        self.app = app
        self.authenticator = authenticator
        self.options = options
        self.limits = RateLimits(options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if scope["path"] == GRAPHQL_PATH:
            if method == "GET" and self._asks_for_the_ide(scope):
                await self.app(scope, receive, send)  # the IDE page; its queries are POSTs like any other
                return
            if method not in ("GET", "POST"):
                message = "Operations are accepted as a POST with a JSON body, or queries as a GET."
                await respond(send, 405, message, "METHOD_NOT_ALLOWED", {"allow": "GET, POST"})
                return
            if method == "POST" and _media_type(scope) != "application/json":
                message = "The body must be JSON (Content-Type: application/json); form and text posts are refused."
                await respond(send, 415, message, "UNSUPPORTED_MEDIA_TYPE", {})
                return
        principal = await self._identify(scope, send)
        if principal is None:
            return
        wait = await self.limits.retry_after(self.limits.requests, "principal", principal.id)
        if wait is not None:
            message = f"Rate limit of {self.options.rate_limit} (POWERMAP_RATE_LIMIT) reached; retry in {wait} s."
            await respond(send, 429, message, "RATE_LIMITED", {"retry-after": str(wait)}, limit="rateLimit")
            return
        scope.setdefault("state", {})["principal"] = principal
        if scope["path"] == GRAPHQL_PATH and method == "POST":
            replay = await self._refuse_batches(receive, send)
            if replay is None:
                return
            receive = replay
        await self.app(scope, receive, send)

    def _asks_for_the_ide(self, scope: Scope) -> bool:
        """A browser's GET of the IDE page: HTML accepted and no operation in the URL."""
        if not self.options.ide or "text/html" not in (_header(scope, b"accept") or ""):
            return False
        return "query" not in parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)

    async def _identify(self, scope: Scope, send: Send) -> Principal | None:
        try:
            return await self.authenticator().authenticate(_header(scope, b"authorization"))
        except IdentityUnavailable as unavailable:
            await respond(send, 503, str(unavailable), "SERVICE_UNAVAILABLE", {"retry-after": "5"})
            return None
        except Unauthenticated as refused:
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = await self.limits.retry_after(self.limits.failures, "failures", str(client))
            if wait is not None:
                message = (
                    f"Too many refused credentials from this address ({self.options.auth_failure_rate_limit}, "
                    f"POWERMAP_AUTH_FAILURE_RATE_LIMIT); retry in {wait} s."
                )
                await respond(send, 429, message, "RATE_LIMITED", {"retry-after": str(wait)}, limit="authFailures")
                return None
            reason = str(refused).replace('"', "'").encode("ascii", "replace").decode()
            challenge = f'Bearer realm="powermap", error="invalid_token", error_description="{reason}"'
            await respond(send, 401, str(refused), "UNAUTHENTICATED", {"www-authenticate": challenge})
            return None

    async def _refuse_batches(self, receive: Receive, send: Send) -> Receive | None:
        """Read up to the body's first significant byte: a JSON array is a batch, refused; otherwise the
        body is passed on untouched."""
        held: list[Message] = []
        while True:
            message = await receive()
            held.append(message)
            body = message.get("body", b"").lstrip(WHITESPACE)
            if body or message["type"] != "http.request" or not message.get("more_body", False):
                break
        if body.startswith(b"["):
            message_text = "Batched operations (a JSON array) are not accepted: send one operation per request."
            await respond(send, 400, message_text, "BATCH_REFUSED", {})
            return None

        async def replay() -> Message:
            return held.pop(0) if held else await receive()

        return replay
