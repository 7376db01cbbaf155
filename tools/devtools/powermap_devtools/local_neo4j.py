"""A local Neo4j Community server without Docker: fetched from Maven Central, run as a child process.

The jars come from `tools/neo4j/pom.xml` through Maven into a git-ignored cache
(`.cache/neo4j/<version>/lib`). The server is Neo4j's own entry point (`CommunityEntryPoint`) with a
generated `neo4j.conf`: Bolt on 127.0.0.1 only, HTTP off, heap and page cache capped and usage
reporting off, so it makes no outbound connection.

Authentication is on: the first start generates a password, keeps it beside the data (`<home>/password`,
readable by its owner only) and sets it over Bolt (the built-in user `neo4j` starts with the password
`neo4j`, which must be changed before anything else; a data folder made before authentication was on is
in that state too). Later starts read it back; `password` hands it to whoever connects.

The server never outlives its owner: a small watchdog process holds the read end of a pipe whose write
end only the owner holds; when the owner exits, however it exits (kill -9 included), the pipe closes
and the watchdog stops the server (SIGTERM, then SIGKILL after `STOP_GRACE_SECONDS`). A pid file in
the home names the server and its owner, so a start finds a server left behind all the same (its
watchdog killed too) and stops it before starting, unless its owner still runs.

Development tooling: scripts/bootstrap installs this package editable, so the paths below are the
checkout's; the service's own package (and its Docker image) does not contain it.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

NEO4J_VERSION = "5.26.30"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"

PROJECT_ROOT = Path(__file__).resolve().parents[3]
"""The checkout: this file is tools/devtools/powermap_devtools/local_neo4j.py in it."""
POM = PROJECT_ROOT / "tools" / "neo4j" / "pom.xml"
CACHE_DIR = PROJECT_ROOT / ".cache" / "neo4j"
DATA_DIR = PROJECT_ROOT / ".cache" / "neo4j-data"
"""Where `powermap serve` and `powermap neo4j` keep the local server's data between runs."""

JVM_OPTIONS = (
    "-Xms256m",
    "-Xmx1g",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:+UseParallelGC",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
)

START_TIMEOUT_SECONDS = 120.0
USER = "neo4j"
INITIAL_PASSWORD = "neo4j"
PASSWORD_FILE = "password"
STOP_GRACE_SECONDS = 30.0
"""How long a stopping server may take to shut down cleanly before it is killed."""
PID_FILE = "powermap-neo4j.pid"

WATCHDOG = """
import os, select, signal, sys, time
server, grace = int(sys.argv[1]), float(sys.argv[2])
def alive():
    try:
        os.kill(server, 0)
    except ProcessLookupError:
        return False
    return True
while alive():
    ready, _, _ = select.select([0], [], [], 1.0)
    if ready and not os.read(0, 1):
        break
else:
    sys.exit(0)
try:
    os.killpg(server, signal.SIGTERM)
except ProcessLookupError:
    sys.exit(0)
deadline = time.monotonic() + grace
while alive() and time.monotonic() < deadline:
    time.sleep(0.2)
if alive():
    os.killpg(server, signal.SIGKILL)
"""
"""Run as `python -c WATCHDOG <server pid> <grace>` with the pipe on stdin: stops the server's process
group when stdin closes (the owner is gone or stopping), exits when the server has exited."""


class LocalNeo4jError(RuntimeError):
    """The local server could not be fetched or started; the message says why and where to look."""


def lib_dir(version: str = NEO4J_VERSION) -> Path:
    return CACHE_DIR / version / "lib"


def fetch(version: str = NEO4J_VERSION) -> Path:
    """Download the server's jars once; later calls return the cached folder at once. Safe to call from
    several processes at once (parallel tests): one fetches, the others wait for it."""
    target = lib_dir(version)
    marker = target / ".complete"
    if marker.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / ".fetch.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            _download(version, target)
    return target


def _download(version: str, target: Path) -> None:
    marker = target / ".complete"
    if not POM.exists():
        raise LocalNeo4jError(
            f"{POM} is missing: install powermap-devtools editable from a checkout (scripts/bootstrap)"
        )
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise LocalNeo4jError("the local Neo4j needs Java 17+ and Maven on PATH (or set POWERMAP_NEO4J_URI)")
    staging = target.with_name("lib.partial")
    shutil.rmtree(staging, ignore_errors=True)
    command = [
        "mvn", "-B", "-q", "-f", str(POM),
        f"-Dneo4j.version={version}",
        f"{DEPENDENCY_PLUGIN}:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LocalNeo4jError(f"Maven could not fetch Neo4j {version}:\n{result.stdout}{result.stderr}")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    marker.touch()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _config(port: int, pagecache: str, heap: str) -> str:
    settings = {
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "server.memory.pagecache.size": pagecache,
        "server.memory.heap.max_size": heap,
        "dbms.usage_report.enabled": "false",
        "db.tx_log.rotation.retention_policy": "1 files",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


@dataclass
class LocalNeo4j:
    """One Neo4j server process. Use as a context manager, or call `start()` and `stop()`.

    `home` holds the server's data and logs. When it is None a temporary folder is used and removed
    on `stop()`; otherwise the data there survives restarts.
    """

    port: int = 7687
    home: Path | None = None
    version: str = NEO4J_VERSION
    pagecache: str = "256m"
    heap: str = "1g"
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    started_in_seconds: float = field(default=0.0, init=False)
    watchdog: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _lifeline: int | None = field(default=None, init=False)
    """The write end of the watchdog's pipe: closing it (or exiting) stops the server."""
    _temporary_home: bool = field(default=False, init=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    """Start, kill and stop one at a time: a kill still releasing its watchdog from another thread must not
    close the lifeline of the server a start has just spawned."""

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def user(self) -> str:
        return USER

    @property
    def password_file(self) -> Path:
        assert self.home is not None
        return self.home / PASSWORD_FILE

    @property
    def password(self) -> str:
        """The password of user `neo4j`, as kept beside the data."""
        return self.password_file.read_text(encoding="ascii").strip()

    @property
    def log_file(self) -> Path:
        assert self.home is not None
        return self.home / "console.log"

    def start(self) -> LocalNeo4j:
        with self._lock:
            return self._start()

    def _start(self) -> LocalNeo4j:
        libs = fetch(self.version)
        if self.home is None:
            self.home = Path(tempfile.mkdtemp(prefix="powermap-neo4j-"))
            self._temporary_home = True
        conf_dir = self.home / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        reclaim_stale_server(self.home)
        (conf_dir / "neo4j.conf").write_text(_config(self.port, self.pagecache, self.heap))
        if _port_open(self.port):
            raise LocalNeo4jError(f"port {self.port} is already in use; choose another with the port setting")
        began = time.monotonic()
        log_start = self.log_file.stat().st_size if self.log_file.exists() else 0
        fresh = _keep_new_password(self.password_file)
        try:
            self.process = self._spawn(libs, conf_dir)
            self._guard(self.process.pid)
            self._wait_until_ready(log_start)
            if fresh:
                self._set_password()
        except BaseException:
            if fresh:  # never keep a password the database was not given
                self.password_file.unlink(missing_ok=True)
            raise
        self.started_in_seconds = time.monotonic() - began
        return self

    def _set_password(self) -> None:
        """Replace the built-in initial password with the one kept beside the data."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError

        try:
            with GraphDatabase.driver(self.uri, auth=(USER, INITIAL_PASSWORD)) as driver:
                driver.execute_query(
                    "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                    old=INITIAL_PASSWORD,
                    new=self.password,
                    database_="system",
                )
        except AuthError as error:
            self.stop()
            raise LocalNeo4jError(
                f"the data in {self.home} already has a password that is not in {PASSWORD_FILE}; "
                "put it there (one line, mode 600) or start from an empty data folder"
            ) from error

    def _spawn(self, libs: Path, conf_dir: Path) -> subprocess.Popen[bytes]:
        assert self.home is not None
        classpath = [str(libs / "*")]
        if (self.home / "plugins").is_dir():  # plugins such as APOC, on the class path as Neo4j's launcher puts them
            classpath.append(str(self.home / "plugins" / "*"))
        command = [
            "java", *JVM_OPTIONS, f"-Xmx{self.heap}", "-cp", os.pathsep.join(classpath), ENTRY_POINT,
            f"--home-dir={self.home}", f"--config-dir={conf_dir}", "--console-mode",
        ]  # fmt: skip
        with self.log_file.open("ab") as log:
            return subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, "NEO4J_HOME": str(self.home)},
            )

    def _guard(self, server_pid: int) -> None:
        """Start the watchdog and write the pid file."""
        assert self.home is not None
        read_end, write_end = os.pipe()  # not inherited by later children (PEP 446)
        try:
            self.watchdog = subprocess.Popen(
                [sys.executable, "-c", WATCHDOG, str(server_pid), str(STOP_GRACE_SECONDS)],
                stdin=read_end,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            os.close(read_end)
        self._lifeline = write_end
        record = {"server": server_pid, "owner": os.getpid(), "watchdog": self.watchdog.pid}
        (self.home / PID_FILE).write_text(json.dumps(record))

    def _release(self) -> None:
        """Close the lifeline (the watchdog stops the server if it still runs) and reap the watchdog."""
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None
        if self.watchdog is not None:
            try:
                self.watchdog.wait(timeout=STOP_GRACE_SECONDS + 5)
            except subprocess.TimeoutExpired:
                self.watchdog.kill()
                self.watchdog.wait()
            self.watchdog = None
        if self.home is not None:
            (self.home / PID_FILE).unlink(missing_ok=True)

    def _wait_until_ready(self, log_start: int) -> None:
        """Until this run (the log past `log_start`; a restart appends to it) says "Started." and Bolt answers."""
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LocalNeo4jError(f"Neo4j exited with {self.process.returncode}; see {self.log_file}")
            with self.log_file.open("rb") as log:
                log.seek(log_start)
                started = b"Started." in log.read()
            if started and _port_open(self.port):
                return
            time.sleep(0.1)
        self.stop()
        raise LocalNeo4jError(f"Neo4j did not start within {START_TIMEOUT_SECONDS:.0f} s; see {self.log_file}")

    def kill(self) -> None:
        """Stop the server abruptly (SIGKILL), as a crash would; the data folder stays."""
        with self._lock:
            self._kill()

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._release()

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                self.kill()
        self._release()
        self.process = None
        if self._temporary_home and self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None

    def __enter__(self) -> LocalNeo4j:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _keep_new_password(path: Path) -> bool:
    """Generate a password into `path` (owner read/write only) unless one is kept there; True when new."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(24) + "\n")
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_server_of(pid: int, home: Path) -> bool:
    """Whether `pid` is a Neo4j server started by this module on `home` (not a reused pid)."""
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return ENTRY_POINT.encode() in arguments and f"--home-dir={home}".encode() in arguments


def reclaim_stale_server(home: Path) -> None:
    """Stop a server that an earlier owner left running on `home` (its watchdog gone too). Refuses when
    that owner still runs: two owners must not share one data folder."""
    pid_file = home / PID_FILE
    try:
        record = json.loads(pid_file.read_text())
        server, owner = int(record["server"]), int(record["owner"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    if _is_server_of(server, home):
        if owner != os.getpid() and _alive(owner):
            raise LocalNeo4jError(f"the Neo4j in {home} is in use by process {owner}")
        os.killpg(server, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while _alive(server) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(server):
            os.killpg(server, signal.SIGKILL)
            while _alive(server):
                time.sleep(0.1)
    pid_file.unlink(missing_ok=True)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def env_or_local_neo4j(heap: str = "1g", pagecache: str = "256m") -> Iterator[tuple[str, str, str]]:
    """URI, user and password of the database in `NEO4J_URI` (with `NEO4J_USER`, `NEO4J_PASSWORD`) when set,
    else of a throw-away local Neo4j started for the block (what the benchmarks run on)."""
    if uri := os.environ.get("NEO4J_URI"):
        yield uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
        return
    with LocalNeo4j(port=free_port(), heap=heap, pagecache=pagecache) as server:
        sys.stderr.write(f"local Neo4j started in {server.started_in_seconds:.1f} s\n")
        yield server.uri, server.user, server.password
