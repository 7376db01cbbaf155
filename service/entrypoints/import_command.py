"""`powermap import FILE...`: account documents through the same mutation the API serves."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table

from service.entrypoints.credentials import CredentialError, command_line_principal
from service.rules.access import Principal
from service.rules.imports import ImportProgress
from service.runtime import open_database
from service.schema.operations import IMPORT_MUTATION, OperationError, execute_operation, execute_until_confirmed
from service.settings import Settings
from service.usecases.services import Services

COUNTS = ("created", "updated", "unchanged", "archived", "removed")
DatabaseFor = Callable[[Settings], AbstractContextManager[Settings]]


def read_document(path: Path) -> dict[str, Any]:
    """A file holds the mutation's variables ({"input": {...}}) or the input itself."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return data if "input" in data else {"input": data}


def _say_waiting(progress: Progress, task: TaskID, path: Path, attempt: int) -> None:
    progress.update(task, description=f"importing {path.name}: waiting for the database ({attempt})")


async def _import_all(settings: Settings, files: Sequence[Path], console: Console) -> int:
    table = Table("file", "account", *COUNTS, "errors")
    failures = 0
    async with open_database(settings) as services:
        try:
            principal = await command_line_principal(services, settings)
        except CredentialError as refused:
            console.print(f"[red]error:[/red] {refused}")
            return 2
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("importing", total=len(files))
            services.import_listeners.append(_show_batches(progress, console))
            for path in files:
                progress.update(task, description=f"importing {path.name}")
                waiting = partial(_say_waiting, progress, task, path)
                payload = await _import_one(services, principal, path, waiting)
                errors = payload.get("userErrors") or []
                failures += bool(errors)
                account = (payload.get("account") or {}).get("name", "-")
                table.add_row(path.name, account, *(str(payload.get(c, 0)) for c in COUNTS), str(len(errors)))
                for error in errors:
                    console.print(f"[red]{path.name}[/red] {'.'.join(error['field'] or [])}: {error['message']}")
                progress.advance(task)
    console.print(table)
    return 1 if failures else 0


def _show_batches(progress: Progress, console: Console) -> Callable[[ImportProgress], None]:
    """A progress line per import: batches written (or undone) of the total."""
    bar: TaskID | None = None

    def show(report: ImportProgress) -> None:
        nonlocal bar
        if bar is None:
            bar = progress.add_task("", total=report.total)
        progress.update(
            bar, description=f"  {report.account}: {report.phase}", completed=report.done, total=max(report.total, 1)
        )
        if report.phase in ("done", "rolled back"):
            if report.phase == "rolled back":
                console.print(f"[red]{report.account}[/red]: rolled back after {report.total} batches")
            progress.remove_task(bar)
            bar = None

    return show


async def _import_one(
    services: Services, principal: Principal, path: Path, waiting: Callable[[int], object]
) -> dict[str, Any]:
    """The import's payload; a call the database did not confirm is sent again (importing the same document
    twice changes nothing)."""
    try:
        variables = read_document(path)
        result = await execute_until_confirmed(
            partial(execute_operation, services, principal, IMPORT_MUTATION, variables), waiting
        )
    except (OSError, ValueError, OperationError) as error:
        return {"userErrors": [{"field": None, "message": str(error), "code": "INVALID"}]}
    payload: dict[str, Any] = result["accountGraphImport"]
    return payload


def import_files(settings: Settings, files: Sequence[Path], database_for: DatabaseFor) -> int:
    with database_for(settings) as ready:
        return asyncio.run(_import_all(ready, files, Console(stderr=True)))
