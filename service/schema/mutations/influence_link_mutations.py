"""influenceLinkSet (upsert: one link per ordered pair) and influenceLinkRemove."""

from __future__ import annotations

from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph.entity_writes import links
from service.graph.entity_writes.lookup import lock_and_read
from service.graph.history import record_changes
from service.rules import models
from service.rules.entity_changes.diff import created, history, new_values, removal, updated
from service.rules.entity_changes.fields import id_or_pair, influence_problems
from service.rules.entity_changes.props import influence_props
from service.rules.entity_changes.refs import IdArg, known, not_found, outside, same, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.enums import InfluenceKind
from service.schema.errors import UserError, user_errors
from service.schema.ids import encode_id
from service.schema.mutations.support import Call, id_arg, new_id, optional_id_arg, run_write
from service.schema.types.links import InfluenceLink

ENTITY = "InfluenceLink"


@strawberry.input(description="The link from `from` to `to` becomes exactly this; fields left out are cleared.")
class InfluenceLinkSetInput:
    from_: strawberry.ID = strawberry.field(name="from")
    to: strawberry.ID
    strength: int
    kind: InfluenceKind | None = None
    topic: str | None = None
    confidence: float | None = None


@strawberry.input(description="The link by its `id`, or by `from` and `to`.")
class InfluenceLinkRemoveInput:
    id: strawberry.ID | None = None
    from_: strawberry.ID | None = strawberry.field(default=None, name="from")
    to: strawberry.ID | None = None


@strawberry.type
class InfluenceLinkSetPayload:
    influence_link: InfluenceLink | None
    user_errors: list[UserError]


@strawberry.type
class InfluenceLinkRemovePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def set_link(tx: Tx, call: Call, source: IdArg, target: IdArg, values: dict[str, Any]) -> models.InfluenceLink:
    refs = await lock_and_read(tx, call.ws, [source, target])
    start = refs.get(source)
    reject_if(
        [
            *unknown([source, target], refs),
            *same(source, target, "an influence link cannot link a stakeholder to themselves."),
            *outside(target, refs, None if start is None else start.account_id, "`from`"),
            *influence_problems(values["strength"], values["confidence"], values["topic"]),
        ]
    )
    source_id, target_id = known(source), known(target)
    existing = await links.influence_between(tx, call.ws, source_id, target_id)
    if existing is None:
        props, changed = created(values)
        link = await links.create_influence(tx, call.ws, new_id(), source_id, target_id, props, call.now)
    else:
        changed = updated(influence_props(existing), values)
        if not changed:
            return existing
        link = await links.update_influence(tx, call.ws, existing.id, new_values(changed), call.now)
    rows = history(ENTITY, link.id, changed, [source_id, target_id])
    await record_changes(tx, call.ws, rows, call.now, call.actor)
    return link


async def remove_link(tx: Tx, call: Call, link_id: IdArg | None, source: IdArg | None, target: IdArg | None) -> str:
    if link_id is not None:
        existing = None if link_id.raw is None else await links.influence_by_id(tx, call.ws, link_id.raw)
        if existing is None:
            raise Rejected([not_found(link_id)])
    else:
        refs = await lock_and_read(tx, call.ws, [source, target])
        reject_if(unknown([source, target], refs))
        source_id, target_id = known(source), known(target)
        existing = await links.influence_between(tx, call.ws, source_id, target_id)
        if existing is None:
            raise Rejected([Problem(("to",), "no influence link from `from` to `to`.", ErrorCode.NOT_FOUND)])
    await links.delete_influence(tx, call.ws, existing.id)
    rows = removal(ENTITY, existing.id, influence_props(existing), [existing.from_id, existing.to_id])
    await record_changes(tx, call.ws, rows, call.now, call.actor)
    return existing.id


async def influence_link_set(info: strawberry.Info[Context], input: InfluenceLinkSetInput) -> InfluenceLinkSetPayload:
    source = id_arg(input.from_, "Stakeholder", "from")
    target = id_arg(input.to, "Stakeholder", "to")
    values = {"strength": input.strength, "kind": input.kind, "topic": input.topic, "confidence": input.confidence}
    link, errors = await run_write(info.context, set_link, source, target, values)
    return InfluenceLinkSetPayload(
        influence_link=None if link is None else InfluenceLink.from_domain(link), user_errors=errors
    )


async def influence_link_remove(
    info: strawberry.Info[Context], input: InfluenceLinkRemoveInput
) -> InfluenceLinkRemovePayload:
    shape = id_or_pair(input.id is not None, [("from", input.from_ is not None), ("to", input.to is not None)])
    if shape:
        return InfluenceLinkRemovePayload(deleted_id=None, user_errors=user_errors(shape))
    link_id = optional_id_arg(input.id, ENTITY, "id")
    source = optional_id_arg(input.from_, "Stakeholder", "from")
    target = optional_id_arg(input.to, "Stakeholder", "to")
    deleted, errors = await run_write(info.context, remove_link, link_id, source, target)
    return InfluenceLinkRemovePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id(ENTITY, deleted)), user_errors=errors
    )
