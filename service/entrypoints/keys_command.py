"""`powermap keys create|list|revoke`: an operator manages API keys against the configured database.

`create` prints the new key alone on the last line of stdout (so `KEY=$(powermap keys create ... | tail -1)`
works) and creates the workspace when it is missing; the key is shown this once and stored only as a hash.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from rich.console import Console
from rich.table import Table

from service.rules.access import Role
from service.rules.api_keys import PREFIX
from service.rules.entity_changes.rejected import Rejected
from service.runtime import open_database
from service.settings import Settings
from service.usecases.identity import operator_keys, provision_key, revoke_key_by_id, revoke_key_by_value

DatabaseFor = Callable[[Settings], AbstractContextManager[Settings]]
ROLES = [role.value for role in Role]


def add_keys_parser(subparsers: Any) -> None:
    keys = subparsers.add_parser("keys", help="create, list or revoke API keys", description=__doc__)
    actions = keys.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a key; it is printed alone on the last line")
    create.add_argument("--workspace", required=True, help="the workspace (created when missing)")
    create.add_argument("--role", required=True, choices=ROLES, type=str.lower)
    create.add_argument("--name", help="what the key is for (default: the role)")
    create.add_argument("--workspace-name", help="the name of a workspace created now (default: its id)")
    listing = actions.add_parser("list", help="the workspace's keys, newest first (never the keys themselves)")
    listing.add_argument("--workspace", required=True)
    listing.add_argument("--all", action="store_true", help="revoked keys too")
    revoke = actions.add_parser("revoke", help="revoke a key by its id (with --workspace) or by the key itself")
    revoke.add_argument("key", help="the key's id as `keys list` shows it, or the key itself (pm_...)")
    revoke.add_argument("--workspace", help="the key's workspace (needed with an id)")


async def _create(settings: Settings, args: argparse.Namespace) -> int:
    async with open_database(settings) as services:
        try:
            created = await provision_key(
                services, args.workspace, Role(args.role), args.name or args.role, workspace_name=args.workspace_name
            )
        except Rejected as rejected:
            Console(stderr=True).print(f"[red]error:[/red] {rejected.problems[0].message}")
            return 2
    key = created.key
    Console(stderr=True).print(f"Created {key.role.value} key {key.id} ({key.name}) for workspace {key.workspace_id}.")
    Console(stderr=True).print("It is shown this once; send it as `Authorization: Bearer <key>`:")
    print(created.secret)
    return 0


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    async with open_database(settings) as services:
        keys = await operator_keys(services, args.workspace, include_revoked=args.all)
    table = Table("id", "name", "role", "created", "by", "last used", "revoked", title=f"keys of {args.workspace}")
    for key in keys:
        table.add_row(
            key.id,
            key.name,
            key.role.value,
            key.created_at.isoformat(timespec="seconds"),
            key.created_by,
            key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "-",
            key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "-",
        )
    Console().print(table)
    return 0


async def _revoke(settings: Settings, args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    async with open_database(settings) as services:
        if args.key.startswith(PREFIX):
            revoked = await revoke_key_by_value(services, args.key)
            if revoked is None:
                console.print("[red]error:[/red] no such key (or it is malformed)")
                return 2
        elif args.workspace is None:
            console.print("[red]error:[/red] revoking by id needs --workspace")
            return 2
        else:
            try:
                revoked = await revoke_key_by_id(services, args.workspace, args.key)
            except Rejected as rejected:
                console.print(f"[red]error:[/red] {rejected.problems[0].message}")
                return 2
    when = revoked.revoked_at.isoformat(timespec="seconds") if revoked.revoked_at else "?"
    console.print(f"Key {revoked.id} ({revoked.name}) of workspace {revoked.workspace_id} is revoked (since {when}).")
    return 0


def run_keys(settings: Settings, args: argparse.Namespace, database_for: DatabaseFor) -> int:
    action = {"create": _create, "list": _list, "revoke": _revoke}[args.action]
    with database_for(settings) as ready:
        return asyncio.run(action(ready, args))
