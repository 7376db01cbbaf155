"""The load generator: `concurrency` closed-loop simulated users over HTTP keep-alive, for a fixed time.

Each user sends its next request when the previous answer has arrived, so `concurrency` requests are
in flight at any time. A request counts as failed when the status is not 200 or the body carries a
GraphQL `errors` entry (or does not match `must_match`, e.g. an empty `userErrors` for writes); bodies are
not parsed, which keeps the generator's own CPU per request small and the same for every server.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sidebyside.cpu import CpuMeter
from sidebyside.http import Client

ERRORS = b'"errors"'


@dataclass(frozen=True)
class Request:
    """What one server is asked for one screen: `body(n)` is the n-th request's JSON body."""

    path: str
    body: Callable[[int], bytes]
    headers: dict[str, str] = field(default_factory=dict)
    must_match: re.Pattern[bytes] | None = None


@dataclass
class Samples:
    """Latencies (ms), time, failures and CPU of one cell, accumulated over the rounds."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0
    server_cpu: float = 0.0
    database_cpu: float = 0.0
    client_cpu: float = 0.0
    first_failure: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile in ms; 0 with no samples."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        rank = max(1, -(-int(q * 1000) * len(ordered) // 1000))  # ceil(q * n) without float drift
        return ordered[min(rank, len(ordered)) - 1]

    def per_request_ms(self, cpu_seconds: float) -> float:
        return cpu_seconds * 1000 / self.requests if self.requests else 0.0


def failure_of(status: int, body: bytes, request: Request) -> str | None:
    """Why the answer is not a success, or None."""
    if status != 200:
        return f"HTTP {status}: {body[:300]!r}"
    if ERRORS in body:
        return f"GraphQL errors: {body[:300]!r}"
    if request.must_match is not None and request.must_match.search(body) is None:
        return f"no match for {request.must_match.pattern!r}: {body[:300]!r}"
    return None


async def measure(
    client: Client,
    request: Request,
    concurrency: int,
    seconds: float,
    counter: itertools.count[int],
    server_pids: Sequence[int],
    database_pids: Sequence[int],
    into: Samples,
) -> None:
    """One slice: a warm-up request, then `seconds` of closed-loop load; adds to `into`."""
    users = client.connections[:concurrency]

    async def send(user: int) -> tuple[float, str | None]:
        began = time.perf_counter()
        status, body = await users[user].post(request.path, request.body(next(counter)), request.headers)
        return (time.perf_counter() - began) * 1000, failure_of(status, body, request)

    await send(0)  # warm-up: the server's code paths and Neo4j's plan for this screen
    server, database = CpuMeter(server_pids), CpuMeter(database_pids)
    client_began = own_cpu()
    began = time.perf_counter()
    deadline = began + seconds

    async def user_loop(user: int) -> None:
        while time.perf_counter() < deadline:
            latency, failure = await send(user)
            into.latencies.append(latency)
            if failure is not None:
                into.failures += 1
                into.first_failure = into.first_failure or failure

    await asyncio.gather(*(user_loop(user) for user in range(concurrency)))
    into.seconds += time.perf_counter() - began
    into.server_cpu += server.seconds()
    into.database_cpu += database.seconds()
    into.client_cpu += own_cpu() - client_began


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system
