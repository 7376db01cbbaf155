"""tieSet (upsert: one tie per unordered pair and kind) and tieRemove."""

from __future__ import annotations

from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph.entity_writes import links
from service.graph.entity_writes.lookup import lock_and_read
from service.graph.history import record_changes
from service.rules import models
from service.rules.entity_changes.diff import created, history, new_values, removal, updated
from service.rules.entity_changes.fields import id_or_pair, tie_problems
from service.rules.entity_changes.props import tie_props
from service.rules.entity_changes.refs import IdArg, known, not_found, outside, same, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.enums import TieKind
from service.schema.errors import UserError, user_errors
from service.schema.ids import encode_id
from service.schema.mutations.support import Call, id_arg, new_id, optional_id_arg, run_write
from service.schema.types.links import Tie

ENTITY = "Tie"


@strawberry.input(description="The `kind` tie between `a` and `b` (either order) becomes exactly this.")
class TieSetInput:
    kind: TieKind
    a: strawberry.ID
    b: strawberry.ID
    strength: int | None = None
    note: str | None = None


@strawberry.input(description="The tie by its `id`, or by `kind`, `a` and `b`.")
class TieRemoveInput:
    id: strawberry.ID | None = None
    kind: TieKind | None = None
    a: strawberry.ID | None = None
    b: strawberry.ID | None = None


@strawberry.type
class TieSetPayload:
    tie: Tie | None
    user_errors: list[UserError]


@strawberry.type
class TieRemovePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def set_tie(tx: Tx, call: Call, kind: TieKind, a: IdArg, b: IdArg, values: dict[str, Any]) -> models.Tie:
    refs = await lock_and_read(tx, call.ws, [a, b])
    first = refs.get(a)
    reject_if(
        [
            *unknown([a, b], refs),
            *same(a, b, "a tie cannot link a stakeholder to themselves."),
            *outside(b, refs, None if first is None else first.account_id, "`a`"),
            *tie_problems(values["strength"], values["note"]),
        ]
    )
    a_id, b_id = known(a), known(b)
    low, high = sorted((a_id, b_id))
    existing = await links.tie_between(tx, call.ws, kind.value, low, high)
    if existing is None:
        props, changed = created({"kind": kind, **values})
        tie = await links.create_tie(tx, call.ws, new_id(), kind.value, low, high, props, call.now)
    else:
        changed = updated(tie_props(existing), values)
        if not changed:
            return existing
        tie = await links.update_tie(tx, call.ws, existing.id, new_values(changed), call.now)
    await record_changes(tx, call.ws, history(ENTITY, tie.id, changed, [low, high]), call.now, call.actor)
    return tie


async def remove_tie(
    tx: Tx, call: Call, tie_id: IdArg | None, kind: TieKind | None, a: IdArg | None, b: IdArg | None
) -> str:
    if tie_id is not None:
        existing = None if tie_id.raw is None else await links.tie_by_id(tx, call.ws, tie_id.raw)
        if existing is None:
            raise Rejected([not_found(tie_id)])
    else:
        refs = await lock_and_read(tx, call.ws, [a, b])
        reject_if(unknown([a, b], refs))
        assert kind is not None
        a_id, b_id = known(a), known(b)
        existing = await links.tie_between(tx, call.ws, kind.value, a_id, b_id)
        if existing is None:
            raise Rejected([Problem(("b",), f"no {kind.value} tie between `a` and `b`.", ErrorCode.NOT_FOUND)])
    await links.delete_tie(tx, call.ws, existing.id)
    props = {"kind": existing.kind.value, **tie_props(existing)}
    await record_changes(
        tx, call.ws, removal(ENTITY, existing.id, props, [existing.a_id, existing.b_id]), call.now, call.actor
    )
    return existing.id


async def tie_set(info: strawberry.Info[Context], input: TieSetInput) -> TieSetPayload:
    a = id_arg(input.a, "Stakeholder", "a")
    b = id_arg(input.b, "Stakeholder", "b")
    values = {"strength": input.strength, "note": input.note}
    tie, errors = await run_write(info.context, set_tie, input.kind, a, b, values)
    return TieSetPayload(tie=None if tie is None else Tie.from_domain(tie), user_errors=errors)


async def tie_remove(info: strawberry.Info[Context], input: TieRemoveInput) -> TieRemovePayload:
    pair = [("kind", input.kind is not None), ("a", input.a is not None), ("b", input.b is not None)]
    shape = id_or_pair(input.id is not None, pair)
    if shape:
        return TieRemovePayload(deleted_id=None, user_errors=user_errors(shape))
    tie_id = optional_id_arg(input.id, ENTITY, "id")
    a = optional_id_arg(input.a, "Stakeholder", "a")
    b = optional_id_arg(input.b, "Stakeholder", "b")
    deleted, errors = await run_write(info.context, remove_tie, tie_id, input.kind, a, b)
    return TieRemovePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id(ENTITY, deleted)), user_errors=errors
    )
