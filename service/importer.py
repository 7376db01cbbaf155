"""`powermap import FILE...`: account documents through the same mutation the API serves."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from service.graph.driver import Database, create_driver
from service.graph.migrations import apply_migrations
from service.schema.operations import IMPORT_MUTATION, OperationError, execute_operation
from service.settings import Settings

COUNTS = ("created", "updated", "unchanged", "archived", "removed")
DatabaseFor = Callable[[Settings], AbstractContextManager[Settings]]


def read_document(path: Path) -> dict[str, Any]:
    """A file holds the mutation's variables ({"input": {...}}) or the input itself."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return data if "input" in data else {"input": data}


async def _import_all(settings: Settings, files: Sequence[Path], console: Console) -> int:
    assert settings.neo4j_uri is not None
    driver = create_driver(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password.get_secret_value())
    db = Database(driver, settings.neo4j_database)
    table = Table("file", "account", *COUNTS, "errors")
    failures = 0
    try:
        await apply_migrations(driver, settings.neo4j_database)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("importing", total=len(files))
            for path in files:
                progress.update(task, description=f"importing {path.name}")
                payload = await _import_one(db, settings.workspace_id, path)
                errors = payload.get("userErrors") or []
                failures += bool(errors)
                account = (payload.get("account") or {}).get("name", "-")
                table.add_row(path.name, account, *(str(payload.get(c, 0)) for c in COUNTS), str(len(errors)))
                for error in errors:
                    console.print(f"[red]{path.name}[/red] {'.'.join(error['field'] or [])}: {error['message']}")
                progress.advance(task)
    finally:
        await db.close()
    console.print(table)
    return 1 if failures else 0


async def _import_one(db: Database, workspace_id: str, path: Path) -> dict[str, Any]:
    try:
        variables = read_document(path)
        result = await execute_operation(db, workspace_id, IMPORT_MUTATION, variables)
    except (OSError, ValueError, OperationError) as error:
        return {"userErrors": [{"field": None, "message": str(error), "code": "INVALID"}]}
    payload: dict[str, Any] = result["accountGraphImport"]
    return payload


def import_files(settings: Settings, files: Sequence[Path], database_for: DatabaseFor) -> int:
    with database_for(settings) as ready:
        return asyncio.run(_import_all(ready, files, Console(stderr=True)))
