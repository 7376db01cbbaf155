"""`powermap sync --source S --account EXTID FILE`: contacts from a file through `stakeholdersUpsert`.

The file is CSV with a header row or JSON Lines, with the columns externalId, name, title,
department, email, phone, level and reportsTo (see `service.rules.contacts` for what an empty cell,
a missing column or a null means). Rows go through the same GraphQL mutation the API serves,
in-process, in calls of 1,000. `--dry-run` reports what would change without writing anything;
`--report FILE` writes every rejected row with its reasons as CSV (line, externalId, field, message).

Exit status: 0 when every row was written (or would be), 1 when some rows were rejected or the
outcome of a call is unknown (run the same command again: it is idempotent), 2 when nothing could
be sent (unreadable file, unknown account).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from service.rules.contacts import (
    MAX_CONTACTS,
    FileRow,
    contact_variables,
    duplicate_rows,
    parse_contacts_file,
)
from service.settings import Settings

DatabaseFor = Callable[[Settings], AbstractContextManager[Settings]]

SYNC_MUTATION = """
mutation Sync($input: StakeholdersUpsertInput!) {
  stakeholdersUpsert(input: $input) {
    results { index externalId status userErrors { field message code } }
    created updated unchanged failed
    userErrors { field message code }
  }
}
"""

STATUSES = ("created", "updated", "unchanged", "failed")
SHOWN_REJECTIONS = 10


def add_sync_parser(subparsers: Any) -> None:
    """Register `sync` on the command line's subparsers."""
    parser = subparsers.add_parser(
        "sync",
        help="upsert contacts from a CSV or JSON Lines file by (source, externalId) (stakeholdersUpsert)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--source", required=True, help="the source system the external ids belong to")
    parser.add_argument("--account", required=True, metavar="EXTID", help="the account, by the source's external id")
    parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    parser.add_argument("--report", type=Path, metavar="FILE", help="write rejected rows and reasons to this CSV")
    parser.add_argument("file", type=Path, metavar="FILE", help="contacts: .csv with a header row, or .jsonl")


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int
    external_id: str | None
    field: str
    message: str


@dataclass
class SyncOutcome:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    changed: dict[str, list[str]] = field(default_factory=lambda: {"created": [], "updated": []})
    """External ids that were (or, on a dry run, would be) created or updated."""
    rejections: list[Rejection] = field(default_factory=list)
    refused: str | None = None
    """Why nothing more could be sent (unknown account, lost connection)."""
    exit_code: int = 0


def _field_of(path: Sequence[str] | None) -> str:
    """`["input", "contacts", "3", "email"]` -> `email`."""
    return path[3] if path and len(path) > 3 else ""


def _send(rows: list[FileRow]) -> tuple[list[FileRow], list[Rejection]]:
    """The rows to send, and those rejected before sending (unreadable, or a duplicate key in the file)."""
    duplicates = duplicate_rows(rows)
    sendable, rejected = [], []
    for position, row in enumerate(rows):
        if row.contact is None:
            rejected += [Rejection(row.line, row.external_id, p.field, p.message) for p in row.problems]
        elif position in duplicates:
            message = f"duplicates line {duplicates[position]}: each externalId may appear once; the first one is sent."
            rejected.append(Rejection(row.line, row.external_id, "externalId", message))
        else:
            sendable.append(row)
    return sendable, rejected


async def _sync(settings: Settings, args: argparse.Namespace, rows: list[FileRow], console: Console) -> SyncOutcome:
    from service.entrypoints.credentials import CredentialError, command_line_principal
    from service.runtime import open_database
    from service.schema.operations import OperationError, execute_operation

    outcome = SyncOutcome()
    sendable, outcome.rejections = _send(rows)
    outcome.counts["failed"] = len(outcome.rejections)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    async with open_database(settings) as services:
        try:
            principal = await command_line_principal(services, settings)
        except CredentialError as error:
            outcome.refused = str(error)
            outcome.exit_code = 2
            return outcome
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("checking (dry run)" if args.dry_run else "syncing", total=len(rows))
            progress.advance(task, len(rows) - len(sendable))
            for start in range(0, len(sendable), MAX_CONTACTS):
                batch = sendable[start : start + MAX_CONTACTS]
                variables = {
                    "input": {
                        "source": args.source,
                        "account": args.account,
                        "contacts": [contact_variables(row.contact) for row in batch if row.contact is not None],
                        "dryRun": bool(args.dry_run),
                    }
                }
                try:
                    data = await execute_operation(services, principal, SYNC_MUTATION, variables)
                except OperationError as error:
                    outcome.refused = f"rows from line {batch[0].line} on: {error}"
                    outcome.exit_code = 1
                    break
                payload = data["stakeholdersUpsert"]
                if payload["userErrors"]:
                    outcome.refused = "; ".join(
                        f"{'.'.join(e['field'] or [])}: {e['message']}" for e in payload["userErrors"]
                    )
                    outcome.exit_code = 2
                    break
                for result in payload["results"]:
                    row = batch[result["index"]]
                    status = result["status"].lower()
                    outcome.counts[status] += 1
                    if status in outcome.changed:
                        outcome.changed[status].append(result["externalId"])
                    outcome.rejections += [
                        Rejection(row.line, row.external_id, _field_of(e["field"]), e["message"])
                        for e in result["userErrors"]
                    ]
                progress.advance(task, len(batch))
    outcome.rejections.sort(key=lambda r: r.line)
    if outcome.rejections and outcome.exit_code == 0:
        outcome.exit_code = 1
    return outcome


def _write_report(path: Path, rejections: Sequence[Rejection]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("line", "externalId", "field", "message"))
        for r in rejections:
            writer.writerow((r.line, r.external_id or "", r.field, r.message))


def _print_summary(console: Console, args: argparse.Namespace, outcome: SyncOutcome) -> None:
    title = f"{args.file.name} -> {args.source}:{args.account}" + (
        " (dry run: nothing written)" if args.dry_run else ""
    )
    verbs = ("would be created", "would be updated", "unchanged", "rejected") if args.dry_run else None
    labels = verbs or ("created", "updated", "unchanged", "failed")
    table = Table(*labels, title=title)
    table.add_row(*(str(outcome.counts[status]) for status in STATUSES))
    console.print(table)
    if args.dry_run:
        for status, keys in outcome.changed.items():
            if keys:
                shown = ", ".join(keys[:SHOWN_REJECTIONS]) + (
                    f" ... (+{len(keys) - SHOWN_REJECTIONS})" if len(keys) > SHOWN_REJECTIONS else ""
                )
                console.print(f"would be {status}: {shown}")
    for r in outcome.rejections[:SHOWN_REJECTIONS]:
        where = f"line {r.line}" + (f" ({r.external_id})" if r.external_id else "")
        console.print(f"[red]{where}[/red] {r.field + ': ' if r.field else ''}{r.message}")
    if len(outcome.rejections) > SHOWN_REJECTIONS:
        more = len(outcome.rejections) - SHOWN_REJECTIONS
        hint = f"; all in {args.report}" if args.report else "; --report FILE lists them all"
        console.print(f"... and {more} more rejected row(s){hint}")
    if outcome.refused:
        console.print(f"[red]stopped:[/red] {outcome.refused}")
        if outcome.exit_code == 1:
            console.print("The outcome of that call is unknown; run the same command again (it is idempotent).")


def run_sync(settings: Settings, args: argparse.Namespace, database_for: DatabaseFor) -> int:
    """Run `powermap sync` for parsed `args`; returns the exit status."""
    console = Console(stderr=True)
    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        console.print(f"[red]error:[/red] cannot read {path}: {error}")
        return 2
    parsed = parse_contacts_file(path.name, text)
    if parsed.problems:
        for problem in parsed.problems:
            console.print(f"[red]error:[/red] {path}: {problem}")
        return 2
    with database_for(settings) as ready:
        outcome = asyncio.run(_sync(ready, args, parsed.rows, console))
    if args.report is not None:
        _write_report(args.report, outcome.rejections)
    _print_summary(console, args, outcome)
    return outcome.exit_code
