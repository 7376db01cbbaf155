"""`powermap sync [--entity E] --source S [--account EXTID] FILE`: a file through the sync mutations.

`--entity` says what the file holds (CSV with a header row, or JSON Lines):

- `contacts` (the default; `stakeholdersUpsert`, needs `--account`): externalId, name, title,
  department, email, phone, level, reportsTo (see `service.rules.contacts`);
- `interactions` (`interactionsUpsert`, needs `--account`): externalId, at (ISO 8601 with an offset),
  type, stakeholders (external ids separated by `;` in CSV, a list in JSON Lines), teamMember,
  summary, nextStep;
- `team-members` (`teamMembersUpsert`): externalId, name, role, email;
- `coverage` (`coverageUpsert`): teamMember, stakeholder, relationshipStep, relationshipType.

A column left out keeps the stored values, an empty cell (null) clears that field (see
`service.rules.sync_files`). Rows go through the same GraphQL mutation the API serves, in-process, in
calls of 1,000. `--dry-run` (contacts only) reports what would change without writing anything;
`--report FILE` writes every rejected row with its reasons as CSV (line, externalId, field, message).

A call the database did not confirm (it was away, or busy past a deadline: the outcome is unknown) is
sent again after the wait the API asks for, up to five times: the upserts are idempotent, so a resent
call converges. Exit status: 0 when every row was written (or would be), 1 when some rows were rejected
or the outcome of a call stayed unknown (run the same command again: it is idempotent), 2 when nothing
could be sent (unreadable file, unknown account).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from service.rules.contacts import (
    MAX_CONTACTS,
    FileRow,
    contact_variables,
    parse_contacts_file,
)
from service.rules.sync_files import KINDS, ItemRow, parse_items_file
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


def _mutation(name: str, input_type: str, key: str) -> str:
    return f"""
mutation Sync($input: {input_type}!) {{
  {name}(input: $input) {{
    results {{ index {key} status userErrors {{ field message code }} }}
    created updated unchanged failed
    userErrors {{ field message code }}
  }}
}}
"""


@dataclass(frozen=True, slots=True)
class Target:
    """What a file of one entity goes through: the mutation, its payload's name, the input's list."""

    document: str
    payload: str
    items: str
    needs_account: bool


TARGETS = {
    "contacts": Target(SYNC_MUTATION, "stakeholdersUpsert", "contacts", True),
    "interactions": Target(
        _mutation("interactionsUpsert", "InteractionsUpsertInput", "externalId"),
        "interactionsUpsert",
        "interactions",
        True,
    ),
    "team-members": Target(
        _mutation("teamMembersUpsert", "TeamMembersUpsertInput", "externalId"),
        "teamMembersUpsert",
        "teamMembers",
        False,
    ),
    "coverage": Target(
        _mutation("coverageUpsert", "CoverageUpsertInput", "teamMember stakeholder"),
        "coverageUpsert",
        "coverage",
        False,
    ),
}

STATUSES = ("created", "updated", "unchanged", "failed")
SHOWN_REJECTIONS = 10


def add_sync_parser(subparsers: Any) -> None:
    """Register `sync` on the command line's subparsers."""
    parser = subparsers.add_parser(
        "sync",
        help="upsert contacts, interactions, team members or coverage from a CSV or JSON Lines file by "
        "(source, externalId)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--entity", choices=tuple(TARGETS), default="contacts", help="what the file holds (default: contacts)"
    )
    parser.add_argument("--source", required=True, help="the source system the external ids belong to")
    parser.add_argument(
        "--account", metavar="EXTID", help="the account, by the source's external id (contacts, interactions)"
    )
    parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing (contacts)")
    parser.add_argument("--report", type=Path, metavar="FILE", help="write rejected rows and reasons to this CSV")
    parser.add_argument("file", type=Path, metavar="FILE", help="the items: .csv with a header row, or .jsonl")


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
    """`["input", "contacts", "3", "email"]` -> `email`; `[..., "stakeholders", "1"]` -> `stakeholders.1`."""
    return ".".join(path[3:]) if path and len(path) > 3 else ""


def _contact_row(row: FileRow) -> ItemRow:
    variables = None if row.contact is None else contact_variables(row.contact)
    return ItemRow(row.line, row.external_id, variables, row.problems)


def _send(rows: list[ItemRow], entity: str) -> tuple[list[ItemRow], list[Rejection]]:
    """The rows to send, and those rejected before sending (unreadable, or a duplicate key in the file: a
    file goes out in several calls, and each call only sees its own duplicates)."""
    first: dict[str | None, int] = {}
    key_field, what = ("teamMember", "key") if entity == "coverage" else ("externalId", "externalId")
    sendable, rejected = [], []
    for row in rows:
        if row.variables is None:
            rejected += [Rejection(row.line, row.key, p.field, p.message) for p in row.problems]
        elif row.key in first:
            message = f"duplicates line {first[row.key]}: each {what} may appear once; the first one is sent."
            rejected.append(Rejection(row.line, row.key, key_field, message))
        else:
            first[row.key] = row.line
            sendable.append(row)
    return sendable, rejected


def _variables(args: argparse.Namespace, target: Target, batch: list[ItemRow]) -> dict[str, Any]:
    value: dict[str, Any] = {"source": args.source, target.items: [row.variables for row in batch]}
    if target.needs_account:
        value["account"] = args.account
    if target is TARGETS["contacts"]:
        value["dryRun"] = bool(args.dry_run)
    return {"input": value}


async def _sync(settings: Settings, args: argparse.Namespace, rows: list[ItemRow], console: Console) -> SyncOutcome:
    from service.entrypoints.credentials import CredentialError, command_line_principal
    from service.runtime import open_database
    from service.schema.operations import OperationError, execute_operation, execute_until_confirmed

    entity = _entity(args)
    target = TARGETS[entity]
    outcome = SyncOutcome()
    sendable, outcome.rejections = _send(rows, entity)
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
            label = "checking (dry run)" if args.dry_run else "syncing"
            task = progress.add_task(label, total=len(rows))
            progress.advance(task, len(rows) - len(sendable))
            for start in range(0, len(sendable), MAX_CONTACTS):
                batch = sendable[start : start + MAX_CONTACTS]
                try:
                    data = await execute_until_confirmed(
                        partial(
                            execute_operation, services, principal, target.document, _variables(args, target, batch)
                        ),
                        lambda attempt: progress.update(task, description=f"waiting for the database ({attempt})"),
                    )
                    progress.update(task, description=label)
                except OperationError as error:
                    outcome.refused = f"rows from line {batch[0].line} on: {error}"
                    outcome.exit_code = 1
                    break
                payload = data[target.payload]
                if payload["userErrors"]:
                    outcome.refused = "; ".join(
                        f"{'.'.join(e['field'] or [])}: {e['message']}" for e in payload["userErrors"]
                    )
                    outcome.exit_code = 2
                    break
                _count(outcome, batch, payload["results"])
                progress.advance(task, len(batch))
    outcome.rejections.sort(key=lambda r: r.line)
    if outcome.rejections and outcome.exit_code == 0:
        outcome.exit_code = 1
    return outcome


def _count(outcome: SyncOutcome, batch: list[ItemRow], results: list[dict[str, Any]]) -> None:
    for result in results:
        row = batch[result["index"]]
        status = result["status"].lower()
        outcome.counts[status] += 1
        if status in outcome.changed:
            outcome.changed[status].append(row.key or "")
        outcome.rejections += [
            Rejection(row.line, row.key, _field_of(e["field"]), e["message"]) for e in result["userErrors"]
        ]


def _entity(args: argparse.Namespace) -> str:
    entity: str = getattr(args, "entity", None) or "contacts"
    return entity


def _write_report(path: Path, rejections: Sequence[Rejection]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("line", "externalId", "field", "message"))
        for r in rejections:
            writer.writerow((r.line, r.external_id or "", r.field, r.message))


def _print_summary(console: Console, args: argparse.Namespace, outcome: SyncOutcome) -> None:
    where = f"{args.source}:{args.account}" if args.account else args.source
    title = f"{args.file.name} ({_entity(args)}) -> {where}" + (" (dry run: nothing written)" if args.dry_run else "")
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


def _parse(entity: str, name: str, text: str) -> tuple[list[ItemRow], list[str]]:
    if entity == "contacts":
        contacts = parse_contacts_file(name, text)
        return [_contact_row(row) for row in contacts.rows], contacts.problems
    assert entity in KINDS
    items = parse_items_file(entity, name, text)
    return items.rows, items.problems


def run_sync(settings: Settings, args: argparse.Namespace, database_for: DatabaseFor) -> int:
    """Run `powermap sync` for parsed `args`; returns the exit status."""
    console = Console(stderr=True)
    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        console.print(f"[red]error:[/red] cannot read {path}: {error}")
        return 2
    entity = _entity(args)
    target = TARGETS[entity]
    if target.needs_account and not args.account:
        console.print(f"[red]error:[/red] --account is needed for {entity}.")
        return 2
    if args.dry_run and entity != "contacts":
        console.print("[red]error:[/red] --dry-run is for contacts only.")
        return 2
    rows, problems = _parse(entity, path.name, text)
    if problems:
        for problem in problems:
            console.print(f"[red]error:[/red] {path}: {problem}")
        return 2
    with database_for(settings) as ready:
        outcome = asyncio.run(_sync(ready, args, rows, console))
    if args.report is not None:
        _write_report(args.report, outcome.rejections)
    _print_summary(console, args, outcome)
    return outcome.exit_code
