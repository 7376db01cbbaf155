"""How fast the edge refuses: graphql-cop's probes and OWASP's denial-of-service shapes, timed.

Each refusal is a full request through the app in-process (httpx's ASGI transport): the edge, the
limits measured before validation, the read policy. Every probe is sent `--requests` times; the first
send (no cache warm) and the p50 and worst of the rest are printed against the bar (250 ms). A probe
that is not refused is reported as such. The probes are those of `tests/test_edge.py`.

    .venv/bin/python bench/edge_bench.py [--requests 50]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from powermap_devtools.local_neo4j import env_or_local_neo4j

from service.entrypoints.app import create_app
from service.rules.access import Role
from service.settings import Settings
from service.usecases.identity import provision_key
from tests.test_edge import DOS_SHAPES

BAR_MS = 250.0
Probe = Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]


def graphql(query: str) -> Probe:
    async def send(http: httpx.AsyncClient, key: str) -> httpx.Response:
        return await http.post("/graphql", json={"query": query}, headers={"authorization": f"Bearer {key}"})

    return send


async def batch(http: httpx.AsyncClient, key: str) -> httpx.Response:
    body = [{"query": "query { __typename }"}] * 11
    return await http.post("/graphql", json=body, headers={"authorization": f"Bearer {key}"})


async def get_query(http: httpx.AsyncClient, key: str) -> httpx.Response:
    return await http.get(
        "/graphql", params={"query": "mutation { __typename }"}, headers={"authorization": f"Bearer {key}"}
    )


async def form_post(http: httpx.AsyncClient, key: str) -> httpx.Response:
    return await http.post(
        "/graphql", data={"query": "query { __typename }"}, headers={"authorization": f"Bearer {key}"}
    )


async def no_identity(http: httpx.AsyncClient, key: str) -> httpx.Response:
    return await http.post("/graphql", json={"query": "{ __typename }"})


async def forged_key(http: httpx.AsyncClient, key: str) -> httpx.Response:
    forged = key[:-1] + ("A" if key[-1] != "A" else "B")
    return await http.post("/graphql", json={"query": "{ __typename }"}, headers={"authorization": f"Bearer {forged}"})


async def integration_reads_stance(http: httpx.AsyncClient, key: str) -> httpx.Response:
    query = '{ stakeholder(id: "U3Rha2Vob2xkZXI6eA") { name stance notes } }'
    return await http.post("/graphql", json={"query": query}, headers={"authorization": f"Bearer {key}"})


PROBES: dict[str, Probe] = {
    **{shape: graphql(query) for shape, query in DOS_SHAPES.items()},
    "batch of 11": batch,
    "GET mutation": get_query,
    "form POST": form_post,
    "no identity": no_identity,
    "forged key": forged_key,
    "integration reads stance": integration_reads_stance,
}
INTEGRATION_PROBES = frozenset({"integration reads stance"})


def refused(response: httpx.Response) -> bool:
    return response.status_code != 200 or response.json().get("data") is None


async def run(uri: str, user: str, password: str, requests: int) -> None:
    settings = Settings(
        neo4j_uri=uri,
        neo4j_user=user,
        neo4j_password=password,
        load_demo=False,
        rate_limit="10000000/minute",
        auth_failure_rate_limit="10000000/minute",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        admin = (await provision_key(app.state.services, "bench-edge", Role.ADMIN, "bench")).secret
        integration = (await provision_key(app.state.services, "bench-edge", Role.INTEGRATION, "bench")).secret
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            print(f"{'probe':28}{'status':>7}{'first ms':>10}{'p50 ms':>9}{'max ms':>9}   bar {BAR_MS:.0f} ms")
            for name, probe in PROBES.items():
                key = integration if name in INTEGRATION_PROBES else admin
                times, responses = [], []
                for _ in range(requests):
                    start = time.perf_counter()
                    responses.append(await probe(http, key))
                    times.append(1000 * (time.perf_counter() - start))
                status = responses[0].status_code
                verdict = "refused" if all(refused(r) for r in responses) else "NOT REFUSED"
                worst = max(times)
                mark = "well under" if worst < BAR_MS / 5 else ("under" if worst < BAR_MS else "OVER")
                print(
                    f"{name:28}{status:>7}{times[0]:>10.2f}{statistics.median(times[1:]):>9.2f}{worst:>9.2f}"
                    f"   {verdict}, {mark}"
                )
        await app.state.services.db.driver.execute_query("MATCH (n {workspaceId: 'bench-edge'}) DETACH DELETE n")


def main() -> int:
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)  # each refusal is logged: not here
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with env_or_local_neo4j() as (uri, user, password):
        asyncio.run(run(uri, user, password, args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
