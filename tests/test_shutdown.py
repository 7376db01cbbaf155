"""Graceful shutdown: on SIGTERM the server stops accepting, lets requests in flight finish for at most
`POWERMAP_SHUTDOWN_TIMEOUT_SECONDS`, then closes what is left and exits. A request is held in flight
by its client sending the body slowly; one finishes within the limit and gets its answer, one never
finishes and is cut at the limit."""

from __future__ import annotations

import json
import signal
import socket
import time
from pathlib import Path

from tests.conftest import Neo4jServer
from tests.report import Measured
from tests.service_process import start_service

LIMIT = 3


def begin_request(base_url: str, key: str, body: bytes) -> socket.socket:
    """Send the headers and all of the body but its last byte."""
    host, port = base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {key}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock.sendall(head + body[:-1])
    return sock


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_sigterm_drains_requests_in_flight_within_the_limit(
    neo4j_server: Neo4jServer, tmp_path: Path, measured: Measured
) -> None:
    env = {
        "POWERMAP_NEO4J_URI": neo4j_server.uri,
        "POWERMAP_NEO4J_USER": neo4j_server.user,
        "POWERMAP_NEO4J_PASSWORD": neo4j_server.password,
        "POWERMAP_SHUTDOWN_TIMEOUT_SECONDS": str(LIMIT),
    }
    service = start_service(env, tmp_path / "service.log")
    body = json.dumps({"query": "{ __typename }"}).encode()
    finishing = begin_request(service.base_url, service.key, body)
    stalled = begin_request(service.base_url, service.key, body)
    time.sleep(0.5)  # both are in flight: the app is reading their bodies
    began = time.monotonic()
    service.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    finishing.sendall(body[-1:])
    answer = read_all(finishing)
    cut = read_all(stalled)  # the server closes it at the limit
    code = service.process.wait(timeout=120)
    took = time.monotonic() - began
    measured(f"shutdown with a stalled request took {took:.1f} s (limit {LIMIT} s)")
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert answer.split(b"\r\n\r\n", 1)[1].startswith(b'{"data":{"__typename":"Query"}')
    assert not cut.startswith(b"HTTP/1.1 200")
    assert code == 0  # it exited by itself: without the limit it would wait for the stalled client forever
