"""An opportunity's scorecard (项目评估矩阵) by hand: set it whole, or remove it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from service.graph.database import Write
from service.graph.writes import deals
from service.graph.writes.lookup import lock_and_read
from service.rules.access import Permission, Principal
from service.rules.deals.changes import scorecard_change
from service.rules.deals.model import Care, CompetitorScore, Scorecard
from service.rules.deals.stored import scorecard_matrix, scorecard_people, scorecard_rows
from service.rules.deals.validation import validate_scorecard
from service.rules.entity_changes.refs import IdArg, Refs, known, unknown
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.deals.support import found
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write


async def set_scorecard(
    services: Services,
    principal: Principal,
    opportunity: IdArg,
    card: Scorecard,
    competitors: Mapping[str, IdArg],
    people: Mapping[str, IdArg],
) -> str:
    """The opportunity's scorecard becomes `card`, whose competitors and stakeholders are named by the ids
    the client gave; `competitors` and `people` map each of them to its argument. Returns the opportunity's id."""
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _set, opportunity, card, competitors, people)


async def remove_scorecard(services: Services, principal: Principal, opportunity: IdArg) -> str:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _remove, opportunity)


async def _set(
    w: Write, opportunity: IdArg, card: Scorecard, competitors: Mapping[str, IdArg], people: Mapping[str, IdArg]
) -> str:
    refs = await lock_and_read(w.tx, w.ws, [opportunity, *people.values()])
    reject_if(unknown([opportunity], refs))
    node = found(refs, opportunity)
    state = await deals.opportunity_state(w.tx, w.ws, node.id)
    assert state is not None
    involved = {given for given, arg in competitors.items() if arg.raw in state.involved}
    known = {given for given, arg in people.items() if _active_in(refs, arg, node.account_id)}
    reject_if(validate_scorecard(card, involved, known))
    stored = _internal(card, competitors, people)
    old, new = scorecard_matrix(state.scorecard), scorecard_matrix(stored)
    if old != new:
        about = sorted({*scorecard_people(state.scorecard), *scorecard_people(stored)})
        assert node.account_id is not None
        logged = scorecard_change(node.id, old, new, node.account_id, about)
        row = {"opportunityId": node.id, "criteria": scorecard_rows(stored, new_id)}
        await deals.replace_scorecards(w.tx, w.ws, [row])
        w.record([] if logged is None else [logged])
    return node.id


def _active_in(refs: Refs, arg: IdArg, account_id: str | None) -> bool:
    person = refs.get(arg)
    return person is not None and person.account_id == account_id and not person.props.get("archived")


def _internal(card: Scorecard, competitors: Mapping[str, IdArg], people: Mapping[str, IdArg]) -> Scorecard:
    """`card` with the internal ids of the competitors and stakeholders it names (all checked)."""
    criteria = tuple(
        replace(
            c,
            competitor_scores=tuple(
                CompetitorScore(known(competitors[s.competitor]), s.score) for s in c.competitor_scores
            ),
            cares=tuple(Care(known(people[x.stakeholder]), x.weight) for x in c.cares),
        )
        for c in card.criteria
    )
    return Scorecard(criteria)


async def _remove(w: Write, opportunity: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [opportunity])
    reject_if(unknown([opportunity], refs))
    node = found(refs, opportunity)
    state = await deals.opportunity_state(w.tx, w.ws, node.id)
    assert state is not None
    assert node.account_id is not None
    if state.scorecard is None:
        raise Rejected([Problem(("opportunity",), "the opportunity has no scorecard.", ErrorCode.NOT_FOUND)])
    await deals.replace_scorecards(w.tx, w.ws, [{"opportunityId": node.id, "criteria": []}])
    people = scorecard_people(state.scorecard)
    logged = scorecard_change(node.id, scorecard_matrix(state.scorecard), None, node.account_id, people)
    w.record([] if logged is None else [logged])
    return node.id
