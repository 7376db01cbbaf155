"""The servers under test as real processes on loopback: Powermap (`python -m service serve`, one per
workspace and worker count), the floor (bench/floor_app.py) and the peer (bench/peer/server.mjs)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from powermap_devtools.local_neo4j import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BENCH = PROJECT_ROOT / "bench"
PEER_DIR = BENCH / "peer"
START_TIMEOUT_SECONDS = 180.0
# @neo4j/graphql 7 calls APOC functions (apoc.date.convertFormat for DateTime fields, among others):
# APOC core of Neo4j's 5.26 line on Maven Central (the latest there), with the classes it shares.
APOC_VERSION = "5.26.19"
APOC = tuple(f"org.neo4j.procedure:{name}:{APOC_VERSION}" for name in ("apoc-core", "apoc-common"))
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class Database:
    uri: str
    user: str
    password: str
    pids: tuple[int, ...]  # for CPU accounting; empty when the database is not ours


@dataclass
class Server:
    label: str
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pids(self) -> list[int]:
        return [self.process.pid]

    def stop(self) -> None:
        """SIGTERM to the server's own process group (it runs in a new session), SIGKILL after 20 s."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def ensure_apoc(neo4j_home: Path) -> None:
    """APOC core in the local Neo4j's plugins folder (which LocalNeo4j puts on the class path), fetched once
    with Maven."""
    plugins = neo4j_home / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    for artifact in APOC:
        _, name, version = artifact.split(":")
        if (plugins / f"{name}-{version}.jar").exists():
            continue
        command = [
            "mvn",
            "-B",
            "-q",
            f"{DEPENDENCY_PLUGIN}:copy",
            f"-Dartifact={artifact}",
            f"-DoutputDirectory={plugins}",
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise ServerError(f"Maven could not fetch {artifact}:\n{result.stdout}{result.stderr}")


def python() -> str:
    venv = PROJECT_ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _spawn(label: str, command: list[str], env: dict[str, str], cwd: Path, logs: Path, port: int) -> Server:
    log = logs / f"{label.replace(' ', '-').replace(',', '')}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(label, f"http://127.0.0.1:{port}", process, log)


def wait_until_ready(server: Server, method: str, path: str, body: bytes | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    headers = {"content-type": "application/json"}
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(f"{server.label} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            response = httpx.request(method, server.base_url + path, content=body, headers=headers, timeout=2)
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise ServerError(f"{server.label} was not ready within {START_TIMEOUT_SECONDS:.0f} s:\n{server.log_tail()}")


BENCH_RATE_LIMIT = "100000000/minute"


def powermap_env(db: Database, workspace: str, workers: int, port: int | None) -> dict[str, str]:
    """The environment of a Powermap process; `port` None for a command that serves nothing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POWERMAP_")}
    if port is not None:
        env["POWERMAP_PORT"] = str(port)
    return env | {
        "POWERMAP_NEO4J_URI": db.uri,
        "POWERMAP_NEO4J_USER": db.user,
        "POWERMAP_NEO4J_PASSWORD": db.password,
        "POWERMAP_LOAD_DEMO": "false",
        "POWERMAP_WORKSPACE_ID": workspace,
        "POWERMAP_WORKERS": str(workers),
        "POWERMAP_HOST": "127.0.0.1",
        "POWERMAP_LOG_LEVEL": "warning",
        # The benchmark's closed-loop clients are one key asking thousands of times a minute: the default
        # per-key limit (600/minute) would answer most of them 429 in microseconds.
        "POWERMAP_RATE_LIMIT": BENCH_RATE_LIMIT,
    }


def start_powermap(db: Database, workspace: str, workers: int, label: str, logs: Path) -> Server:
    """`python -m service serve` for one workspace (today it comes from POWERMAP_WORKSPACE_ID)."""
    port = free_port()
    env = powermap_env(db, workspace, workers, port)
    server = _spawn(label, [python(), "-m", "service", "serve"], env, PROJECT_ROOT, logs, port)
    wait_until_ready(server, "GET", "/readyz")
    return server


# --- Authentication hook ------------------------------------------------------------------------------
# Authentication is coming (issue 14): every GraphQL request will carry `Authorization: Bearer <key>`
# and the key will name the workspace. Once `powermap keys create --workspace W --role admin` exists
# (it prints the key on the last stdout line), the benchmark creates one key per workspace with it.
# While the command does not exist, this is a no-op and requests go without the header.


def keys_command_exists(db: Database) -> bool:
    env = powermap_env(db, "probe", 1, None)
    probe = subprocess.run(
        [python(), "-m", "service", "keys", "--help"], env=env, cwd=PROJECT_ROOT, capture_output=True
    )
    return probe.returncode == 0


def create_key(db: Database, workspace: str) -> str:
    env = powermap_env(db, workspace, 1, None)
    command = [python(), "-m", "service", "keys", "create", "--workspace", workspace, "--role", "admin"]
    result = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise ServerError(f"`powermap keys create` failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return lines[-1].strip()


# --- End of the authentication hook -------------------------------------------------------------------


def start_floor(db: Database, label: str, logs: Path) -> Server:
    port = free_port()
    env = os.environ | {"FLOOR_NEO4J_URI": db.uri, "FLOOR_NEO4J_USER": db.user, "FLOOR_NEO4J_PASSWORD": db.password}
    command = [python(), str(BENCH / "floor_app.py"), "--port", str(port)]
    server = _spawn(label, command, env, PROJECT_ROOT, logs, port)
    wait_until_ready(server, "GET", "/healthz")
    return server


def install_peer(logs: Path) -> None:
    """`npm ci` into the git-ignored bench/peer/node_modules when it is missing or older than the lock."""
    lock, installed = PEER_DIR / "package-lock.json", PEER_DIR / "node_modules" / ".package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    print("installing the peer's npm packages (bench/peer/node_modules) ...", file=sys.stderr)
    with (logs / "npm.log").open("wb") as out:
        result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, stdout=out, stderr=out)
    if result.returncode != 0:
        raise ServerError(f"npm ci failed in {PEER_DIR}; see {logs / 'npm.log'}")


def node_version() -> str:
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < 20:
        raise ServerError(f"the peer needs Node 20 or later, found {version}")
    return version


def start_peer(db: Database, logs: Path) -> Server:
    port = free_port()
    env = os.environ | {
        "NEO4J_URI": db.uri,
        "NEO4J_USER": db.user,
        "NEO4J_PASSWORD": db.password,
        "PORT": str(port),
        "NODE_ENV": "production",
    }
    server = _spawn("peer", ["node", "server.mjs"], env, PEER_DIR, logs, port)
    wait_until_ready(server, "POST", "/graphql", b'{"query": "{ __typename }"}')
    return server


def peer_versions() -> dict[str, str]:
    import json

    found = {}
    for package in ("@neo4j/graphql", "graphql-yoga", "graphql", "neo4j-driver"):
        manifest = PEER_DIR / "node_modules" / package / "package.json"
        found[package] = json.loads(manifest.read_text())["version"] if manifest.exists() else "?"
    return found
