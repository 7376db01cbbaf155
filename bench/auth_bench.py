"""What authentication costs per request: p50 and p90 of one small query through the whole app.

The app runs in-process (httpx's ASGI transport: JSON in and out, the edge, GraphQL, one read); the same
query is asked with no authentication at all (the edge's identity step answered by a stub that returns
a fixed principal), with an API key (as a process sees it: cached after its first lookup), with an API
key looked up in the database every time (the cache off: what each process pays once per key every
`POWERMAP_API_KEY_CACHE_SECONDS`), and with an RS256 JWT (verified on every request; the provider's keys
from a local JWKS endpoint, fetched once). Modes take turns, so that each ratio compares figures taken
under the same conditions.

    .venv/bin/python bench/auth_bench.py [--requests 400] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from powermap_devtools.local_neo4j import env_or_local_neo4j

from service.entrypoints.app import create_app
from service.rules.access import Principal, Role
from service.settings import Settings
from service.usecases.identity import Authenticator, provision_key

WORKSPACE = "bench-auth"
QUERY = "query($id: ID!) { account(id: $id) { id name } }"
SETUP = "MERGE (a:Account {workspaceId: $ws, id: 'acc'}) SET a.name = 'Bench Account', a.clock = randomUUID()"
ACCOUNT_ID = "QWNjb3VudDphY2M"  # encode_id("Account", "acc")


class NoAuthentication:
    """The edge's identity step, answered without looking at anything: the floor."""

    principal = Principal(workspace_id=WORKSPACE, role=Role.ADMIN, id="bench")

    async def authenticate(self, authorization: str | None) -> Principal:
        return self.principal


@contextmanager
def jwks_server(key: rsa.RSAPrivateKey) -> Iterator[str]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "bench", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


def token(key: rsa.RSAPrivateKey) -> str:
    now = datetime.now(UTC)
    claims = {
        "iss": "https://login.bench/",
        "aud": "powermap",
        "sub": "bench-user",
        "exp": now + timedelta(hours=1),
        "powermap_workspace": WORKSPACE,
        "powermap_role": "viewer",
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"})


async def timed(http: httpx.AsyncClient, authorization: str, requests: int) -> list[float]:
    times = []
    body = {"query": QUERY, "variables": {"id": ACCOUNT_ID}}
    headers = {"authorization": authorization}
    for _ in range(requests):
        start = time.perf_counter()
        response = await http.post("/graphql", json=body, headers=headers)
        times.append(time.perf_counter() - start)
        if response.status_code != 200 or response.json()["data"]["account"] is None:
            raise RuntimeError(response.text)
    return times


async def run(uri: str, user: str, password: str, requests: int, rounds: int) -> None:
    signing = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with jwks_server(signing) as jwks_url:
        settings = Settings(
            neo4j_uri=uri,
            neo4j_user=user,
            neo4j_password=password,
            load_demo=False,
            rate_limit="10000000/minute",
            jwt_issuer="https://login.bench/",
            jwt_audience="powermap",
            jwt_jwks_url=jwks_url,
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            services = app.state.services
            await services.db.driver.execute_query(SETUP, ws=WORKSPACE)
            key = (await provision_key(services, WORKSPACE, Role.VIEWER, "bench")).secret
            authenticator = app.state.authenticator
            uncached = Authenticator(services, replace(authenticator.config, key_cache_seconds=0.0))
            modes = {
                "no authentication": (NoAuthentication(), "Bearer nothing"),
                "API key": (authenticator, f"Bearer {key}"),
                "API key, no cache": (uncached, f"Bearer {key}"),
                "JWT (RS256)": (authenticator, f"Bearer {token(signing)}"),
            }
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                figures: dict[str, list[float]] = {mode: [] for mode in modes}
                for round_ in range(rounds + 1):  # round 0 warms up
                    order = list(modes) if round_ % 2 == 0 else list(reversed(modes))
                    for mode in order:
                        stub, authorization = modes[mode]
                        app.state.authenticator = stub
                        times = await timed(http, authorization, requests)
                        if round_:
                            figures[mode] += times
                app.state.authenticator = authenticator
            await services.db.driver.execute_query("MATCH (n {workspaceId: $ws}) DETACH DELETE n", ws=WORKSPACE)

    floor = statistics.median(figures["no authentication"])
    print(f"{requests} requests x {rounds} rounds per mode: {QUERY}")
    print(f"{'':20}{'p50 ms':>9}{'p90 ms':>9}{'auth p50 ms':>13}{'ratio':>8}")
    for mode, times in figures.items():
        p50 = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[8]
        print(f"{mode:20}{1000 * p50:>9.2f}{1000 * p90:>9.2f}{1000 * (p50 - floor):>13.2f}{p50 / floor:>8.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with env_or_local_neo4j() as (uri, user, password):
        asyncio.run(run(uri, user, password, args.requests, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
