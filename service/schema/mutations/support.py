"""What the mutations share: ids in inputs, the fields a client gave, external ids, and turning a use
case's refusal into user errors."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, TypeVar

import strawberry

from service.rules.entity_changes.refs import IdArg
from service.rules.entity_changes.rejected import Rejected
from service.schema.context import Context
from service.schema.errors import UserError, user_errors
from service.schema.ids import raw_id_of

T = TypeVar("T")

TYPE_LABELS: Mapping[str, str] = {
    "Account": "Account",
    "Stakeholder": "Stakeholder",
    "PoliticalCircle": "Circle",
    "TeamMember": "TeamMember",
    "Interaction": "Interaction",
    "InfluenceLink": "InfluenceLink",
    "Tie": "Tie",
    "Opportunity": "Opportunity",
    "Competitor": "Competitor",
    "CompetitorRep": "CompetitorRep",
}


@strawberry.input(description="An id in a source system; (source, id) identifies one record per workspace.")
class ExternalIdInput:
    source: str
    id: str


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


async def perform(ctx: Context, use_case: Awaitable[T]) -> tuple[T | None, list[UserError]]:
    """Await a write use case: its refusal (nothing written) becomes user errors; after a write, the
    request forgets what it cached, so the payload shows the write."""
    try:
        result = await use_case
    except Rejected as rejected:
        return None, user_errors(rejected.problems)
    ctx.forget()
    return result, []
