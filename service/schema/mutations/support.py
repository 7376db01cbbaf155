"""What the entity mutations share: ids in inputs, the fields a client gave, external ids, and running
one unit of work in one write transaction with its problems turned into user errors."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

import strawberry
from neo4j import AsyncManagedTransaction

from service.rules.entity_changes.refs import IdArg
from service.rules.entity_changes.rejected import Rejected
from service.schema.context import Context
from service.schema.errors import UserError, user_errors
from service.schema.ids import raw_id_of

P = ParamSpec("P")
T = TypeVar("T")

TYPE_LABELS: Mapping[str, str] = {
    "Account": "Account",
    "Stakeholder": "Stakeholder",
    "PoliticalCircle": "Circle",
    "TeamMember": "TeamMember",
    "Interaction": "Interaction",
    "InfluenceLink": "InfluenceLink",
    "Tie": "Tie",
}


@strawberry.input(description="An id in a source system; (source, id) identifies one record per workspace.")
class ExternalIdInput:
    source: str
    id: str


@dataclasses.dataclass(frozen=True, slots=True)
class Call:
    """Who writes, where and when: one per mutation call."""

    ws: str
    actor: str
    now: datetime


def id_arg(given: str, type_name: str, *path: str) -> IdArg:
    """An input's global id: `raw` is None when it is malformed or names another type."""
    return IdArg(tuple(path), TYPE_LABELS[type_name], given, raw_id_of(given, type_name))


def optional_id_arg(given: str | None, type_name: str, *path: str) -> IdArg | None:
    return None if given is None or given is strawberry.UNSET else id_arg(given, type_name, *path)


def given_fields(data: object, names: Mapping[str, str]) -> dict[str, Any]:
    """Stored name -> value of every input field the client gave (an explicit null included); lists become
    tuples so that the diff stores enum values."""
    values: dict[str, Any] = {}
    for attribute, stored in names.items():
        value = getattr(data, attribute)
        if value is strawberry.UNSET:
            continue
        values[stored] = tuple(value) if isinstance(value, list) else value
    return values


def external_ref(external_id: ExternalIdInput | None) -> tuple[str, str] | None:
    return None if external_id is None else (external_id.source, external_id.id)


def new_id() -> str:
    return uuid.uuid4().hex


async def run_write(
    ctx: Context,
    work: Callable[Concatenate[AsyncManagedTransaction, Call, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> tuple[T | None, list[UserError]]:
    """Run `work` in one managed write transaction. A `Rejected` rolls it back, so nothing is written, and
    comes back as user errors. After a write, the request's DataLoaders forget what they cached."""
    call = Call(ctx.workspace_id, ctx.actor, datetime.now(UTC))
    try:
        result = await ctx.db.write(work, call, *args, **kwargs)
    except Rejected as rejected:
        return None, user_errors(rejected.problems)
    for field in dataclasses.fields(ctx.loaders):
        getattr(ctx.loaders, field.name).clear_all()
    return result, []
