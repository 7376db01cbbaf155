"""The `powermap` command: run the service, or run the local Neo4j on its own."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from service.entrypoints.sync_command import add_sync_parser, run_sync
from service.local_neo4j import PROJECT_ROOT, LocalNeo4j, LocalNeo4jError
from service.settings import Settings

LOCAL_DATA_DIR = PROJECT_ROOT / ".cache" / "neo4j-data"


@contextlib.contextmanager
def database_for(settings: Settings) -> Iterator[Settings]:
    """The settings with a reachable Neo4j: the configured one, else a local server we start."""
    if settings.neo4j_uri is not None:
        yield settings
        return
    server = LocalNeo4j(port=settings.local_neo4j_port, home=LOCAL_DATA_DIR)
    print(f"Starting local Neo4j on 127.0.0.1:{server.port} (data in {LOCAL_DATA_DIR}) ...", file=sys.stderr)
    with server:
        print(f"Neo4j ready in {server.started_in_seconds:.1f} s", file=sys.stderr)
        yield settings.model_copy(update={"neo4j_uri": server.uri})


def serve(settings: Settings) -> None:
    """The API in one process, or in `POWERMAP_WORKERS` worker processes on one socket: then this process
    prepares the database once and starts uvicorn's workers, each building its app from the environment."""
    import uvicorn

    from service.entrypoints.app import create_app, prepare

    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    with database_for(settings) as ready:
        host, port, log_level = ready.host, ready.port, ready.log_level
        if ready.workers == 1:
            uvicorn.run(create_app(ready), host=host, port=port, log_level=log_level)
            return
        asyncio.run(prepare(ready))
        os.environ["POWERMAP_NEO4J_URI"] = str(ready.neo4j_uri)  # the local Neo4j, when this process started it
        app = "service.entrypoints.app:worker_app"
        uvicorn.run(app, factory=True, workers=ready.workers, host=host, port=port, log_level=log_level)


def run_neo4j(settings: Settings) -> None:
    with database_for(settings.model_copy(update={"neo4j_uri": None})) as ready:
        print(f"NEO4J_URI={ready.neo4j_uri}  (Ctrl-C to stop)")
        signal.sigwait({signal.SIGINT, signal.SIGTERM})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="powermap", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the GraphQL API (starts a local Neo4j unless POWERMAP_NEO4J_URI is set)")
    commands.add_parser("neo4j", help="run only the local Neo4j, until interrupted")
    importer = commands.add_parser("import", help="import account documents (accountGraphImport input JSON)")
    importer.add_argument("files", nargs="+", type=Path)
    add_sync_parser(commands)
    args = parser.parse_args(argv)
    settings = Settings()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if args.command == "serve":
            serve(settings)
        elif args.command == "neo4j":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            run_neo4j(settings)
        elif args.command == "sync":
            return run_sync(settings, args, database_for)
        else:
            from service.entrypoints.import_command import import_files

            return import_files(settings, args.files, database_for)
    except LocalNeo4jError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
