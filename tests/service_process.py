"""The service as an operator runs it: `python -m service serve` in a process of its own, for the tests
that signal it, kill it, or measure it from outside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from service.local_neo4j import PROJECT_ROOT, free_port

STARTUP_SECONDS = 180.0
"""Starting includes a local Neo4j when no URI is given: tens of seconds on a busy machine."""


@dataclass
class ServiceProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_service(env: dict[str, str], log: Path) -> ServiceProcess:
    """Start `powermap serve` with `env` over the current environment (POWERMAP_* variables of the caller
    dropped) and wait until /healthz answers."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POWERMAP_")}
    full = {
        **clean,
        "POWERMAP_PORT": str(port),
        "POWERMAP_LOAD_DEMO": "false",
        "POWERMAP_LOG_FORMAT": "json",
        **env,
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve"],
            cwd=PROJECT_ROOT,
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
                return ServiceProcess(process, base_url, log)
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
