"""The `powermap` command: run the service, manage API keys, import and sync, or run the local Neo4j alone."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

from pydantic import SecretStr

from service.entrypoints.changes_command import add_changes_parser, run_changes
from service.entrypoints.keys_command import add_keys_parser, run_keys
from service.entrypoints.sync_command import add_sync_parser, run_sync
from service.observability.logs import configure_logging
from service.observability.tracing import configure_tracing
from service.rules import api_keys
from service.settings import Settings

BOOTSTRAP_KEY_FILE = Path(".cache") / "bootstrap-key"


class LocalNeo4jUnavailable(RuntimeError):
    """No local Neo4j: its launcher is not installed here, or it could not fetch or start the server."""


def local_neo4j_launcher() -> ModuleType:
    """The launcher, development tooling (tools/devtools) that `pip install .` leaves out: imported on use."""
    try:
        from powermap_devtools import local_neo4j
    except ImportError:
        raise LocalNeo4jUnavailable(
            "POWERMAP_NEO4J_URI is not set and the local Neo4j launcher (development tooling from "
            "tools/devtools, installed by scripts/bootstrap) is not installed: set POWERMAP_NEO4J_URI"
        ) from None
    return local_neo4j


def local_data_dir(settings: Settings) -> Path:
    """Where the local Neo4j keeps its data: `POWERMAP_LOCAL_NEO4J_DIR`, else the checkout's cache."""
    return settings.local_neo4j_dir or local_neo4j_launcher().DATA_DIR


@contextlib.contextmanager
def database_for(settings: Settings) -> Iterator[Settings]:
    """The settings with a reachable Neo4j: the configured one, else a local server we start."""
    if settings.neo4j_uri is not None:
        yield settings
        return
    launcher = local_neo4j_launcher()
    server = launcher.LocalNeo4j(port=settings.local_neo4j_port, home=local_data_dir(settings))
    print(f"Starting local Neo4j on 127.0.0.1:{server.port} (data in {server.home}) ...", file=sys.stderr)
    try:
        server.start()
    except launcher.LocalNeo4jError as error:
        raise LocalNeo4jUnavailable(str(error)) from error
    try:
        print(f"Neo4j ready in {server.started_in_seconds:.1f} s", file=sys.stderr)
        yield settings.model_copy(
            update={"neo4j_uri": server.uri, "neo4j_user": server.user, "neo4j_password": SecretStr(server.password)}
        )
    finally:
        server.stop()


def bootstrap_key(settings: Settings) -> str | None:
    """Outside production: `POWERMAP_BOOTSTRAP_KEY`, else the key kept in `.cache/bootstrap-key` by an earlier
    run, else a new one (kept there, owner-only, so that the IDE keeps working across restarts)."""
    if settings.production:
        return None
    if settings.bootstrap_key is not None:
        given = settings.bootstrap_key.get_secret_value()
        if not api_keys.is_well_formed(given):
            raise SystemExit("POWERMAP_BOOTSTRAP_KEY is not a Powermap key; use one a run printed, or unset it")
        return given
    with contextlib.suppress(OSError):
        kept = BOOTSTRAP_KEY_FILE.read_text(encoding="ascii").strip()
        if api_keys.is_well_formed(kept):
            return kept
    from service.usecases.identity import new_secret

    return new_secret()


def keep_bootstrap_key(key: str) -> None:
    """Print the key for the person who ran the command, and keep it for the next run (best effort)."""
    with contextlib.suppress(OSError):
        BOOTSTRAP_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        BOOTSTRAP_KEY_FILE.unlink(missing_ok=True)
        descriptor = os.open(BOOTSTRAP_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(key + "\n")
    print(
        "\nAdmin key of the demo workspace (GraphiQL on this machine sends it; other clients send\n"
        "`Authorization: Bearer <key>`):\n" + key + "\n",
        flush=True,
    )


def serve(settings: Settings) -> None:
    """The API in one process, or in `POWERMAP_WORKERS` worker processes on one socket: then this process
    prepares the database once and starts uvicorn's workers, each building its app from the environment."""
    import uvicorn

    from service.entrypoints.app import prepare, served_app

    configure_logging(settings.log_level, settings.log_format)
    configure_tracing(settings.otlp_endpoint)
    key = bootstrap_key(settings)
    if key is not None:
        settings = settings.model_copy(update={"bootstrap_key": SecretStr(key)})
    with database_for(settings) as ready:
        host, port, log_level = ready.host, ready.port, ready.log_level
        grace = ready.shutdown_timeout_seconds
        if ready.workers == 1:
            app = served_app(ready, on_bootstrap_key=keep_bootstrap_key)
            uvicorn.run(
                app,
                host=host,
                port=port,
                log_level=log_level,
                log_config=None,
                access_log=False,
                timeout_graceful_shutdown=grace,
            )
            return
        ensured = asyncio.run(prepare(ready, on_bootstrap_key=keep_bootstrap_key))
        os.environ.update(worker_environment(ready, ensured))
        uvicorn.run(
            "service.entrypoints.app:worker_app",
            factory=True,
            workers=ready.workers,
            host=host,
            port=port,
            log_level=log_level,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=grace,
        )


async def _load_demo(settings: Settings) -> None:
    from service.demo import load_demo_accounts
    from service.runtime import open_database

    async with open_database(settings, watch_availability=False) as services:
        await load_demo_accounts(services, settings.workspace_id)


def load_demo(settings: Settings) -> None:
    """The demo accounts into the configured workspace, as shipped (their earlier state is replaced)."""
    configure_logging(settings.log_level, "text")
    with database_for(settings) as ready:
        asyncio.run(_load_demo(ready))


def worker_environment(ready: Settings, bootstrap_key: str | None) -> dict[str, str]:
    """What the worker processes, which read their settings from the environment, need beyond it: the
    database this process found or started, and the bootstrap key it ensured."""
    env = {
        "POWERMAP_NEO4J_URI": str(ready.neo4j_uri),
        "POWERMAP_NEO4J_USER": ready.neo4j_user,
        "POWERMAP_NEO4J_PASSWORD": ready.neo4j_password.get_secret_value(),
    }
    if bootstrap_key is not None:
        env["POWERMAP_BOOTSTRAP_KEY"] = bootstrap_key
    return env


def run_neo4j(settings: Settings) -> None:
    with database_for(settings.model_copy(update={"neo4j_uri": None})) as ready:
        print(f"NEO4J_URI={ready.neo4j_uri}  NEO4J_USER={ready.neo4j_user}  (Ctrl-C to stop)")
        print(f"NEO4J_PASSWORD=$(cat {local_data_dir(settings) / 'password'})")
        signal.sigwait({signal.SIGINT, signal.SIGTERM})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="powermap", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the GraphQL API (starts a local Neo4j unless POWERMAP_NEO4J_URI is set)")
    commands.add_parser("neo4j", help="run only the local Neo4j, until interrupted")
    demo = commands.add_parser("demo", help="the demo accounts")
    demo.add_argument("action", choices=["load"], help="load: import them into the workspace, as shipped")
    importer = commands.add_parser("import", help="import account documents (accountGraphImport input JSON)")
    importer.add_argument("files", nargs="+", type=Path)
    add_sync_parser(commands)
    add_changes_parser(commands)
    add_keys_parser(commands)
    args = parser.parse_args(argv)
    settings = Settings()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if args.command == "serve":
            serve(settings)
        elif args.command == "neo4j":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            run_neo4j(settings)
        elif args.command == "demo":
            load_demo(settings)
        elif args.command == "sync":
            return run_sync(settings, args, database_for)
        elif args.command == "changes":
            return run_changes(settings, args, database_for)
        elif args.command == "keys":
            return run_keys(settings, args, database_for)
        else:
            from service.entrypoints.import_command import import_files

            return import_files(settings, args.files, database_for)
    except LocalNeo4jUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
