"""The service as an operator runs it: `python -m service serve` in a process of its own, for the tests
that signal it, kill it, or measure it from outside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from powermap_devtools.local_neo4j import free_port

from service.usecases.identity import new_secret

STARTUP_SECONDS = 180.0
"""Starting includes a local Neo4j when no URI is given: tens of seconds on a busy machine."""


@dataclass
class ServiceProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path
    key: str
    """The admin key of `POWERMAP_WORKSPACE_ID` (the bootstrap key the service ensured at start-up)."""

    @property
    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.key}"}

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_service(env: dict[str, str], log: Path) -> ServiceProcess:
    """Start `powermap serve` with `env` over the current environment (POWERMAP_* variables of the caller
    dropped) and wait until /healthz answers. It runs in the log's folder (its kept bootstrap key and any
    `.env` are that folder's, never the checkout's) with a new bootstrap key in a new workspace of this run, unless `env` names them."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POWERMAP_")}
    full = {
        **clean,
        "POWERMAP_PORT": str(port),
        "POWERMAP_LOAD_DEMO": "false",
        "POWERMAP_LOG_FORMAT": "json",
        "POWERMAP_BOOTSTRAP_KEY": new_secret(),
        "POWERMAP_WORKSPACE_ID": f"{os.environ.get('POWERMAP_TEST_RUN', 'test-')}service-{uuid.uuid4().hex[:8]}",
        **env,
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve"],
            cwd=log.parent,
            env=full,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return ServiceProcess(process, base_url, log, full["POWERMAP_BOOTSTRAP_KEY"])
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the service did not start within {STARTUP_SECONDS:.0f} s:\n{log.read_text()[-3000:]}")


def stop_service(service: ServiceProcess, timeout: float = 90.0) -> int:
    """SIGTERM, and SIGKILL if it has not exited within `timeout`; returns the exit code."""
    if service.process.poll() is None:
        service.process.send_signal(signal.SIGTERM)
        try:
            service.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()
    return service.process.returncode


@contextmanager
def running_service(env: dict[str, str], log: Path) -> Iterator[ServiceProcess]:
    service = start_service(env, log)
    try:
        yield service
    finally:
        stop_service(service)
