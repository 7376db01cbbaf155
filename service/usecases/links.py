"""Influence links (one per ordered pair) and ties (one per pair and kind) by hand: set and remove."""

from __future__ import annotations

from typing import Any

from service.graph.database import Write
from service.graph.writes import links
from service.graph.writes.lookup import lock_and_read
from service.rules import models
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp
from service.rules.entity_changes.diff import change, created, new_values, removal, updated
from service.rules.entity_changes.fields import id_or_pair, influence_problems, tie_problems
from service.rules.entity_changes.props import influence_props, tie_props
from service.rules.entity_changes.refs import IdArg, known, not_found, outside, same, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode, TieKind
from service.rules.validation import Problem
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write


async def set_influence_link(
    services: Services, principal: Principal, source: IdArg, target: IdArg, values: dict[str, Any]
) -> models.InfluenceLink:
    """The link from `source` to `target` becomes exactly `values` (strength, kind, topic, confidence)."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_link, source, target, values)


async def remove_influence_link(
    services: Services, principal: Principal, link: IdArg | None, source: IdArg | None, target: IdArg | None
) -> str:
    """By id, or by its two ends; returns the removed link's id."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_link, link, source, target)


async def set_tie(
    services: Services, principal: Principal, kind: TieKind, a: IdArg, b: IdArg, values: dict[str, Any]
) -> models.Tie:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set_tie, kind, a, b, values)


async def remove_tie(
    services: Services, principal: Principal, tie: IdArg | None, kind: TieKind | None, a: IdArg | None, b: IdArg | None
) -> str:
    """By id, or by kind and its two people; returns the removed tie's id."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove_tie, tie, kind, a, b)


async def _set_link(w: Write, source: IdArg, target: IdArg, values: dict[str, Any]) -> models.InfluenceLink:
    refs = await lock_and_read(w.tx, w.ws, [source, target])
    start = refs.get(source)
    reject_if(
        [
            *unknown([source, target], refs),
            *same(source, target, "an influence link cannot link a stakeholder to themselves."),
            *outside(target, refs, None if start is None else start.account_id, "`from`"),
            *influence_problems(values["strength"], values["confidence"], values["topic"]),
        ]
    )
    assert start is not None
    source_id, target_id = known(source), known(target)
    existing = await links.influence_between(w.tx, w.ws, source_id, target_id)
    if existing is None:
        props, changed = created(values)
        link = await links.create_influence(w.tx, w.ws, new_id(), source_id, target_id, props, w.now)
        logged = {"from": (None, source_id), "to": (None, target_id), **changed}
        w.record([change("InfluenceLink", link.id, ChangeOp.CREATED, logged, start.account_id, [source_id, target_id])])
        return link
    changed = updated(influence_props(existing), values)
    if not changed:
        return existing
    link = await links.update_influence(w.tx, w.ws, existing.id, new_values(changed), w.now)
    w.record([change("InfluenceLink", link.id, ChangeOp.UPDATED, changed, start.account_id, [source_id, target_id])])
    return link


async def _remove_link(w: Write, link_id: IdArg | None, source: IdArg | None, target: IdArg | None) -> str:
    reject_if(id_or_pair(link_id is not None, [("from", source is not None), ("to", target is not None)]))
    if link_id is not None:
        existing = None if link_id.raw is None else await links.influence_by_id(w.tx, w.ws, link_id.raw)
        if existing is None:
            raise Rejected([not_found(link_id)])
    else:
        refs = await lock_and_read(w.tx, w.ws, [source, target])
        reject_if(unknown([source, target], refs))
        existing = await links.influence_between(w.tx, w.ws, known(source), known(target))
        if existing is None:
            raise Rejected([Problem(("to",), "no influence link from `from` to `to`.", ErrorCode.NOT_FOUND)])
    account_id = await links.delete_influence(w.tx, w.ws, existing.id)
    props = {"from": existing.from_id, "to": existing.to_id, **influence_props(existing)}
    w.record([removal("InfluenceLink", existing.id, props, account_id, [existing.from_id, existing.to_id])])
    return existing.id


async def _set_tie(w: Write, kind: TieKind, a: IdArg, b: IdArg, values: dict[str, Any]) -> models.Tie:
    refs = await lock_and_read(w.tx, w.ws, [a, b])
    first = refs.get(a)
    reject_if(
        [
            *unknown([a, b], refs),
            *same(a, b, "a tie cannot link a stakeholder to themselves."),
            *outside(b, refs, None if first is None else first.account_id, "`a`"),
            *tie_problems(values["strength"], values["note"]),
        ]
    )
    assert first is not None
    low, high = sorted((known(a), known(b)))
    existing = await links.tie_between(w.tx, w.ws, kind.value, low, high)
    if existing is None:
        props, changed = created({"kind": kind, **values})
        tie = await links.create_tie(w.tx, w.ws, new_id(), kind.value, low, high, props, w.now)
        logged = {"a": (None, low), "b": (None, high), **changed}
        w.record([change("Tie", tie.id, ChangeOp.CREATED, logged, first.account_id, [low, high])])
        return tie
    changed = updated(tie_props(existing), values)
    if not changed:
        return existing
    tie = await links.update_tie(w.tx, w.ws, existing.id, new_values(changed), w.now)
    w.record([change("Tie", tie.id, ChangeOp.UPDATED, changed, first.account_id, [low, high])])
    return tie


async def _remove_tie(w: Write, tie_id: IdArg | None, kind: TieKind | None, a: IdArg | None, b: IdArg | None) -> str:
    pair = [("kind", kind is not None), ("a", a is not None), ("b", b is not None)]
    reject_if(id_or_pair(tie_id is not None, pair))
    if tie_id is not None:
        existing = None if tie_id.raw is None else await links.tie_by_id(w.tx, w.ws, tie_id.raw)
        if existing is None:
            raise Rejected([not_found(tie_id)])
    else:
        refs = await lock_and_read(w.tx, w.ws, [a, b])
        reject_if(unknown([a, b], refs))
        assert kind is not None
        existing = await links.tie_between(w.tx, w.ws, kind.value, known(a), known(b))
        if existing is None:
            raise Rejected([Problem(("b",), f"no {kind.value} tie between `a` and `b`.", ErrorCode.NOT_FOUND)])
    account_id = await links.delete_tie(w.tx, w.ws, existing.id)
    props = {"kind": existing.kind.value, "a": existing.a_id, "b": existing.b_id, **tie_props(existing)}
    w.record([removal("Tie", existing.id, props, account_id, [existing.a_id, existing.b_id])])
    return existing.id
