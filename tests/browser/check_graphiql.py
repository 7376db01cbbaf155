"""Headless-browser check: the GraphiQL page works with no network beyond 127.0.0.1.

Starts a tiny FastAPI app (PowermapGraphQLRouter + vendored assets) with uvicorn on a free
127.0.0.1 port, drives Debian's chromium over the Chrome DevTools Protocol (CDP) through
``--remote-debugging-pipe`` (stdlib only: no websockets, no npm), and checks that GraphiQL
renders, runs ``{ hello }`` and shows the answer, and that every request stayed on 127.0.0.1.

Run from the repo root:  .venv/bin/python tests/browser/check_graphiql.py
Not a pytest test (file name is check_*.py). Exit status 0 = pass.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = REPO_ROOT / ".cache" / "browser-check"
SCREENSHOT = OUT_DIR / "graphiql.png"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ANSWER = "Hello from Powermap's offline GraphiQL"
QUERY = "{ hello }"
TIMEOUT_S = 60.0

JSONDict = dict[str, Any]


class CheckFailed(Exception):
    pass


# --------------------------------------------------------------------------- server


def _make_app() -> Any:
    sys.path.insert(0, str(REPO_ROOT))
    import strawberry
    from fastapi import FastAPI

    from service.schema.ide import PowermapGraphQL, mount_graphiql_assets

    @strawberry.type
    class Query:
        @strawberry.field
        def hello(self) -> str:
            return ANSWER

    async def no_context(request: Any) -> None:
        return None

    app = FastAPI()
    app.add_route("/graphql", PowermapGraphQL(strawberry.Schema(query=Query), context_getter=no_context))  # type: ignore[arg-type]
    mount_graphiql_assets(app)
    return app


@contextmanager
def serve() -> Iterator[int]:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(_make_app(), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise CheckFailed("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


# --------------------------------------------------------------------------- CDP over a pipe


# Chromium reads CDP commands from fd 3 and writes replies to fd 4: move the pipe ends there, then exec.
_FD_SHIM = """
import os, sys
r, w = (os.dup(int(fd)) for fd in sys.argv[1:3])
os.dup2(r, 3)
os.dup2(w, 4)
os.set_inheritable(3, True)  # dup2 is a no-op (fd stays close-on-exec) if os.dup returned 3 or 4
os.set_inheritable(4, True)
os.execv(sys.argv[3], sys.argv[3:])
"""


class Browser:
    """Chromium with CDP on fds 3 (commands in) / 4 (replies out), NUL-delimited JSON."""

    def __init__(self, user_data_dir: str) -> None:
        cmd_r, self._cmd_w = os.pipe()
        self._evt_r, evt_w = os.pipe()
        flags = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            # Nothing but 127.0.0.1 can be resolved or reached directly; everything else is
            # sent to a dead proxy (discard port), so any external request fails.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=127.0.0.1",
            "--window-size=1400,900",
            f"--user-data-dir={user_data_dir}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _FD_SHIM, str(cmd_r), str(evt_w), CHROMIUM, *flags],
            pass_fds=(cmd_r, evt_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(cmd_r)
        os.close(evt_w)
        self._next_id = 0
        self._replies: dict[int, JSONDict] = {}
        self.events: list[JSONDict] = []
        self._cond = threading.Condition()
        self._closed = False
        threading.Thread(target=self._read_loop, daemon=True).start()
        self._stderr_tail: list[str] = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr_tail = [*self._stderr_tail[-20:], line.decode(errors="replace").rstrip()]

    def _read_loop(self) -> None:
        buf = b""
        while chunk := os.read(self._evt_r, 1 << 16):
            buf += chunk
            *messages, buf = buf.split(b"\0")
            with self._cond:
                for raw in messages:
                    msg = json.loads(raw)
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                self._cond.notify_all()
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def send(self, method: str, params: JSONDict | None = None, session: str | None = None) -> JSONDict:
        with self._cond:
            self._next_id += 1
            msg_id = self._next_id
        msg: JSONDict = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        with self._cond:
            ok = self._cond.wait_for(lambda: msg_id in self._replies or self._closed, TIMEOUT_S)
            if not ok or msg_id not in self._replies:
                raise CheckFailed(f"no CDP reply to {method}; chromium stderr: {self._stderr_tail}")
            reply = self._replies.pop(msg_id)
        if "error" in reply:
            raise CheckFailed(f"CDP {method} failed: {reply['error']}")
        result: JSONDict = reply.get("result", {})
        return result

    def wait_event(self, method: str, timeout: float = TIMEOUT_S) -> JSONDict:
        with self._cond:
            ok = self._cond.wait_for(lambda: any(e["method"] == method for e in self.events) or self._closed, timeout)
            if not ok or self._closed:
                raise CheckFailed(f"timed out waiting for {method}")
            return next(e for e in self.events if e["method"] == method)

    def event_params(self, method: str) -> list[JSONDict]:
        with self._cond:
            return [e["params"] for e in self.events if e["method"] == method]

    def page_errors(self) -> list[str]:
        errors = [
            p["exceptionDetails"].get("exception", {}).get("description", str(p))
            for p in self.event_params("Runtime.exceptionThrown")
        ]
        errors += [p["entry"]["text"] for p in self.event_params("Log.entryAdded") if p["entry"]["level"] == "error"]
        return errors

    def close(self) -> None:
        with suppress(CheckFailed, OSError):  # OSError: chromium already gone (broken pipe)
            self.send("Browser.close")
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._cmd_w)


class Page:
    def __init__(self, browser: Browser) -> None:
        self.b = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        attached = browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        self.session: str = attached["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.cmd(f"{domain}.enable")

    def cmd(self, method: str, params: JSONDict | None = None) -> JSONDict:
        return self.b.send(method, params, self.session)

    def eval(self, expression: str, await_promise: bool = False) -> Any:
        res = self.cmd(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
        )
        if "exceptionDetails" in res:
            raise CheckFailed(f"JS error in {expression[:60]!r}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def wait_for(self, expression: str, what: str, timeout: float = TIMEOUT_S) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.1)
        raise CheckFailed(f"timed out waiting for {what}; page errors: {self.b.page_errors()}")

    def click(self, selector: str) -> None:
        box = self.eval(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
        )
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.cmd(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )


# --------------------------------------------------------------------------- the check

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT_EDITOR = ".graphiql-response .CodeMirror"
RUN_BUTTON = ".graphiql-execute-button"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == "127.0.0.1"


def check(port: int, browser: Browser) -> str:
    started = time.monotonic()
    page = Page(browser)
    url = f"http://127.0.0.1:{port}/graphql"
    page.cmd("Page.navigate", {"url": url})
    browser.wait_event("Page.loadEventFired")

    # (a) GraphiQL rendered: editor present, assets executed, schema introspected.
    page.wait_for(f"!!document.querySelector({json.dumps(QUERY_EDITOR)})?.CodeMirror", "query editor")
    page.wait_for(f"!!document.querySelector({json.dumps(RUN_BUTTON)})", "run button")
    globals_ok = page.eval("['React','ReactDOM','Cookies','GraphiQL','GraphiQLPluginExplorer'].every(n => n in window)")
    if not globals_ok:
        raise CheckFailed("vendored scripts did not all execute")
    sri_tags = page.eval(
        "[...document.querySelectorAll('script[src], link[rel=stylesheet]')].map(e => [e.src || e.href, e.integrity])"
    )
    missing_sri = [u for u, integrity in sri_tags if not integrity.startswith("sha384-")]
    if missing_sri or len(sri_tags) != 7:
        raise CheckFailed(f"expected 7 SRI-protected assets, got {sri_tags}")
    rendered_s = time.monotonic() - started

    # (b) put the query in the editor and press the run button.
    page.eval(f"document.querySelector({json.dumps(QUERY_EDITOR)}).CodeMirror.setValue({json.dumps(QUERY)})")
    typed = page.eval(f"document.querySelector({json.dumps(QUERY_EDITOR)}).CodeMirror.getValue()")
    if typed != QUERY:
        raise CheckFailed(f"query editor holds {typed!r}")
    page.click(RUN_BUTTON)

    # (c) the result pane shows the resolver's answer.
    result_text = page.wait_for(
        f"(() => {{ const v = document.querySelector({json.dumps(RESULT_EDITOR)})?.CodeMirror?.getValue();"
        f" return v && v.includes({json.dumps(ANSWER)}) ? v : null; }})()",
        "query result",
    )
    if json.loads(result_text) != {"data": {"hello": ANSWER}}:
        raise CheckFailed(f"unexpected result pane: {result_text!r}")

    # (e) screenshot.
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    shot = page.cmd("Page.captureScreenshot", {"format": "png"})
    SCREENSHOT.write_bytes(base64.b64decode(shot["data"]))

    # (d) every request stayed on 127.0.0.1, nothing failed, no JS errors.
    requests = [p["request"]["url"] for p in browser.event_params("Network.requestWillBeSent")]
    external = [u for u in requests if not _is_local(u)]
    if external:
        raise CheckFailed(f"requests left 127.0.0.1: {external}")
    failed = browser.event_params("Network.loadingFailed")
    if failed:
        raise CheckFailed(f"failed requests: {failed}")
    errors = browser.page_errors()
    if errors:
        raise CheckFailed(f"page errors: {errors}")
    assets = [u for u in requests if "/graphiql-static/" in u]
    gql_posts = sum(
        1
        for p in browser.event_params("Network.requestWillBeSent")
        if p["request"]["method"] == "POST" and urlsplit(p["request"]["url"]).path == "/graphql"
    )

    # Control: the sandbox really blocks the outside world (so the pass above means something).
    probe = page.eval(
        "fetch('https://unpkg.com/react@18.2.0/umd/react.production.min.js', {mode: 'no-cors'})"
        ".then(() => 'reached', () => 'blocked')",
        await_promise=True,
    )
    if probe != "blocked":
        raise CheckFailed("network sandbox is leaky: unpkg.com was reachable")

    return (
        f"OK: GraphiQL rendered offline in {rendered_s:.1f}s; {QUERY} -> {ANSWER!r}; "
        f"{len(requests)} requests all to 127.0.0.1 ({len(assets)} SRI assets, {gql_posts} POST /graphql), "
        f"0 failed, 0 JS errors; external probe blocked; screenshot {SCREENSHOT.relative_to(REPO_ROOT)}"
    )


def main() -> int:
    if not shutil.which(CHROMIUM):
        sys.stderr.write(f"FAIL: {CHROMIUM} not found (apt-get install -y chromium)\n")
        return 2
    user_data_dir = tempfile.mkdtemp(prefix="graphiql-check-")
    try:
        with serve() as port:
            browser = Browser(user_data_dir)
            try:
                summary = check(port, browser)
            finally:
                browser.close()
    except CheckFailed as exc:
        sys.stderr.write(f"FAIL: {exc}\n")
        return 1
    finally:
        shutil.rmtree(user_data_dir, ignore_errors=True)
    sys.stdout.write(summary + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
