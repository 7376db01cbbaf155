"""The serving process's own set-up: the start-up heap leaves the garbage collector's full passes, and worker
processes answer without Nagle's delay."""

from __future__ import annotations

import asyncio
import gc
import socket

import uvicorn

from service.entrypoints.serving import settle_heap
from service.settings import Settings


def test_the_start_up_heap_is_frozen_only_when_asked() -> None:
    gc.unfreeze()
    try:
        settle_heap(Settings(gc_freeze=False))
        assert gc.get_freeze_count() == 0
        settle_heap(Settings(gc_freeze=True))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


async def _nodelay_of_accepted_connection(listener: socket.socket) -> int:
    loop = asyncio.get_running_loop()
    seen: asyncio.Future[int] = loop.create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            accepted = transport.get_extra_info("socket")
            seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await loop.create_server(Probe, sock=listener)
    host, port = listener.getsockname()[:2]
    _, writer = await asyncio.open_connection(host, port)
    try:
        return await asyncio.wait_for(seen, timeout=10)
    finally:
        writer.close()
        server.close()
        await server.wait_closed()


def test_worker_processes_accept_connections_without_nagles_delay() -> None:
    """With `POWERMAP_WORKERS` > 1, uvicorn binds the socket its worker processes share. asyncio turns Nagle's
    algorithm off (TCP_NODELAY) on the connections it accepts only when that socket says it is TCP; uvicorn
    before 0.55 left it unsaid, and every keep-alive answer of a worker then waited about 40 ms for the
    client's delayed acknowledgement."""
    config = uvicorn.Config("service.entrypoints.app:worker_app", host="127.0.0.1", port=0, workers=2)
    listener = config.bind_socket()
    assert asyncio.run(_nodelay_of_accepted_connection(listener)) == 1
