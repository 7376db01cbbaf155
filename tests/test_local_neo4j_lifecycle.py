"""The local Neo4j never outlives its owner, and a stale one never blocks the next start.

The service runs as `powermap serve` with its own local Neo4j (no URI) in a throw-away data folder:
1. kill -9 the service in the middle of an import: the Neo4j stops by itself (the watchdog), the next
   start is clean, and the account is fully as before or fully as imported (one transaction);
2. kill -9 the service and the watchdog too, so that the Neo4j is left running: the next start stops
   it (pid file) and starts cleanly on the same folder and port.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from powermap_devtools.local_neo4j import PID_FILE, free_port

from service.usecases.identity import new_secret
from tests.report import Measured
from tests.service_process import ServiceProcess, start_service, stop_service

OLD_PEOPLE = 10
NEW_PEOPLE = 3_000
IMPORT = """
mutation Import($input: AccountGraphInput!) { accountGraphImport(input: $input) { created userErrors { code } } }
"""
STATE = """
query { accountByExternalId(source: "crm", id: "acc-kill") {
  stakeholders(first: 100) { totalCount nodes { name title } } } }
"""


def document(people: int, title: str) -> dict[str, Any]:
    return {
        "input": {
            "source": "crm",
            "account": {"externalId": "acc-kill", "name": "Kill test"},
            "stakeholders": [{"externalId": f"p{i}", "name": f"P{i:05d}", "title": title} for i in range(people)],
            "influences": [
                {"from": f"p{i}", "to": f"p{(i * 7 + 1) % people}", "strength": 1 + i % 5} for i in range(people)
            ],
        }
    }


def graphql(service: ServiceProcess, query: str, variables: dict[str, Any] | None = None, timeout: float = 300) -> Any:
    response = httpx.post(
        f"{service.base_url}/graphql",
        json={"query": query, "variables": variables},
        headers=service.headers,
        timeout=timeout,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def server_record(home: Path) -> dict[str, int]:
    record: dict[str, int] = json.loads((home / PID_FILE).read_text())
    return record


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a child of ours that exited is a zombie until reaped: count it as gone
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def gone_within(pid: int, seconds: float) -> float | None:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if not alive(pid):
            return time.monotonic() - began
        time.sleep(0.2)
    return None


@pytest.mark.slow
def test_killed_service_leaves_no_neo4j_and_a_stale_one_is_reclaimed(tmp_path: Path, measured: Measured) -> None:
    home = tmp_path / "neo4j-data"
    env = {
        "POWERMAP_LOCAL_NEO4J_DIR": str(home),
        "POWERMAP_LOCAL_NEO4J_PORT": str(free_port()),
        "POWERMAP_WORKSPACE_ID": "lifecycle",  # one workspace and key for the three starts
        "POWERMAP_BOOTSTRAP_KEY": new_secret(),
    }
    first = start_service(env, tmp_path / "first.log")
    try:
        assert graphql(first, IMPORT, document(OLD_PEOPLE, "old"))["accountGraphImport"]["userErrors"] == []
        server = server_record(home)["server"]
        importing = threading.Thread(target=_post_ignoring_errors, args=(first, document(NEW_PEOPLE, "new")))
        importing.start()
        time.sleep(2.0)  # the import is in its transaction now
    finally:
        first.process.send_signal(signal.SIGKILL)
        first.process.wait()
    importing.join()
    stopped_in = gone_within(server, 90)
    measured(f"Neo4j stopped {stopped_in} s after its owner was killed")
    assert stopped_in is not None

    second = start_service(env, tmp_path / "second.log")
    try:
        state = graphql(second, STATE)["accountByExternalId"]["stakeholders"]
        titles = {node["title"] for node in state["nodes"]}
        measured(f"after the kill the account holds {state['totalCount']} people titled {sorted(titles)}")
        assert (state["totalCount"], titles) in ((OLD_PEOPLE, {"old"}), (NEW_PEOPLE, {"new"}))
        record = server_record(home)
        os.kill(record["watchdog"], signal.SIGKILL)
    finally:
        second.process.send_signal(signal.SIGKILL)
        second.process.wait()
    time.sleep(3)
    assert alive(record["server"])  # left behind: its owner and its watchdog are gone

    third = start_service(env, tmp_path / "third.log")
    try:
        assert not alive(record["server"])
        assert graphql(third, STATE)["accountByExternalId"]["stakeholders"]["totalCount"] in (OLD_PEOPLE, NEW_PEOPLE)
        latest = server_record(home)["server"]
    finally:
        assert stop_service(third) == 0
    assert not alive(latest)  # a clean stop stops the Neo4j too


def _post_ignoring_errors(service: ServiceProcess, variables: dict[str, Any]) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the service is killed under it
        httpx.post(
            f"{service.base_url}/graphql",
            json={"query": IMPORT, "variables": variables},
            headers=service.headers,
            timeout=300,
        )
