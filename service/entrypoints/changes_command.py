"""`powermap changes [--after CURSOR] [--first N] [--all] [--entity-types T ...] [--account ID]`: the change feed.

Prints one page of the workspace's change feed (`Query.changes`, in-process, as the key in
`POWERMAP_API_KEY`) as JSON Lines on standard output: one line per entry (entityType, entityId,
externalIds, accountId, operation, at, fields, cursor), then a last line {"endCursor": ..., "hasMore": ...}:
pass its endCursor as --after next time (while hasMore is true, there is more to read at once). With --all,
it reads on, page after page of N, until nothing more is committed, printing each page's entries as it comes,
and the last line is the cursor after them all.

Exit status: 0 when the feed was read, 2 when it could not be (no key, a bad or expired cursor: then the
message says what to do on standard error). When --all fails after some pages, the entries printed are
followed by the cursor after them, so that the next run goes on from there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, TextIO

from service.rules.change_feed import DEFAULT_FEED_PAGE, MAX_FEED_PAGE
from service.settings import Settings

DatabaseFor = Callable[[Settings], AbstractContextManager[Settings]]

CHANGES_QUERY = """
query Changes($after: String, $first: Int!, $entityTypes: [String!], $accountId: ID) {
  changes(after: $after, first: $first, entityTypes: $entityTypes, accountId: $accountId) {
    entries {
      entityType entityId externalIds { source id } accountId operation at
      fields { name old new }
      cursor
    }
    endCursor
    hasMore
  }
}
"""


def add_changes_parser(subparsers: Any) -> None:
    """Register `changes` on the command line's subparsers."""
    parser = subparsers.add_parser(
        "changes",
        help="print the workspace's change feed as JSON Lines, then the cursor to resume from",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--after", metavar="CURSOR", help="resume after this cursor (default: from the start)")
    parser.add_argument(
        "--first", type=int, default=DEFAULT_FEED_PAGE, metavar="N", help=f"at most N entries (up to {MAX_FEED_PAGE})"
    )
    parser.add_argument("--all", action="store_true", help="read on, page after page, until nothing more is committed")
    parser.add_argument("--entity-types", nargs="+", metavar="TYPE", help="only these kinds (e.g. Stakeholder)")
    parser.add_argument("--account", metavar="ID", help="only the changes of this account (its global id)")


def run_changes(
    settings: Settings, args: argparse.Namespace, database_for: DatabaseFor, out: TextIO = sys.stdout
) -> int:
    """Run `powermap changes` for parsed `args`; returns the exit status."""
    if args.all and args.first < 1:  # a page of none moves no cursor on: --all would never end
        print("error: --all reads pages of --first N entries, N at least 1.", file=sys.stderr)
        return 2
    variables = {
        "after": args.after,
        "first": args.first,
        "entityTypes": args.entity_types,
        "accountId": args.account,
    }
    with database_for(settings) as ready:
        end, problem = asyncio.run(_print_pages(ready, variables, args.all, out))
    if end is not None:
        out.write(json.dumps(end) + "\n")
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    return 0


def _say_waiting(attempt: int) -> None:
    print(f"waiting for the database ({attempt})", file=sys.stderr)


async def _print_pages(
    settings: Settings, variables: dict[str, Any], every: bool, out: TextIO
) -> tuple[dict[str, Any] | None, str]:
    """Print the entries of one page (`every`: of each page until `hasMore` is false) as they come. Returns the
    cursor line after the entries printed (None: none was read) and the problem that stopped the reading
    ("" when none did)."""
    from service.entrypoints.credentials import CredentialError, command_line_principal
    from service.runtime import open_database
    from service.schema.operations import OperationError, execute_operation, execute_until_confirmed

    end: dict[str, Any] | None = None
    async with open_database(settings) as services:
        try:
            principal = await command_line_principal(services, settings)
            while True:
                data = await execute_until_confirmed(
                    partial(execute_operation, services, principal, CHANGES_QUERY, variables), _say_waiting
                )
                page = data["changes"]
                for entry in page["entries"]:
                    out.write(json.dumps(entry, ensure_ascii=False) + "\n")
                end = {"endCursor": page["endCursor"], "hasMore": page["hasMore"]}
                if not (every and page["hasMore"]):
                    return end, ""
                variables = {**variables, "after": page["endCursor"]}
        except (CredentialError, OperationError) as error:
            return end, str(error)
