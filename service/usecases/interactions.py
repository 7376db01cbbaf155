"""The visit log by hand: record an interaction (optionally under a source's external id), edit it,
delete it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.graph import records
from service.graph.database import Write
from service.graph.writes import interactions
from service.graph.writes.lookup import lock_and_read
from service.rules import models
from service.rules.access import Permission, Principal
from service.rules.changes import ChangeOp
from service.rules.entity_changes.diff import change, created, new_values, removal, updated
from service.rules.entity_changes.fields import external_id_problems, interaction_edit_problems, interaction_problems
from service.rules.entity_changes.refs import IdArg, known, outside, unknown
from service.rules.entity_changes.rejected import reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write


@dataclass(frozen=True, slots=True)
class InteractionEdit:
    interaction: IdArg
    values: dict[str, Any]
    """Stored name -> value of the fields given (at, type, summary, nextStep); None clears."""
    team_member: tuple[IdArg | None] | None = None
    """None: unchanged; else a 1-tuple with the new team member (None: nobody)."""
    met: list[IdArg] | None = None
    """None: unchanged; else everyone met (at least one)."""


async def record_interaction(
    services: Services,
    principal: Principal,
    account: IdArg,
    member: IdArg | None,
    met: list[IdArg],
    values: dict[str, Any],
    ref: tuple[str, str] | None,
) -> models.Interaction:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _record, account, member, met, values, ref)


async def update_interaction(services: Services, principal: Principal, edit: InteractionEdit) -> models.Interaction:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _update, edit)


async def delete_interaction(services: Services, principal: Principal, interaction: IdArg) -> str:
    return await write(services, principal, Permission.WRITE_INTELLIGENCE, _delete, interaction)


async def _record(
    w: Write,
    account: IdArg,
    member: IdArg | None,
    met: list[IdArg],
    values: dict[str, Any],
    ref: tuple[str, str] | None,
) -> models.Interaction:
    refs = await lock_and_read(w.tx, w.ws, [account, member, *met])
    problems = [
        *unknown([account, member, *met], refs),
        *[problem for person in met for problem in outside(person, refs, account.raw, "`account`")],
        *interaction_problems(values["at"], len(met), values["summary"], values["nextStep"]),
    ]
    interaction_id = new_id()
    if ref is not None:
        ref_problems = external_id_problems(*ref)
        if (
            not ref_problems
            and not problems
            and not await interactions.claim_interaction_key(w.tx, w.ws, interaction_id, known(account), *ref)
        ):
            message = f"the account already has interaction {ref[1]!r} of source {ref[0]!r}."
            ref_problems = [Problem(("externalId",), message, ErrorCode.CONFLICT)]
        problems += ref_problems
    reject_if(problems)
    account_id = known(account)
    props, _ = created(values)
    if ref is not None:
        props.update(source=ref[0], externalId=ref[1])
    member_id = None if member is None else member.raw
    people = sorted({person.raw for person in met if person.raw is not None})
    logged = {
        **{name: (None, value) for name, value in props.items()},
        "teamMemberId": (None, member_id),
        "stakeholderIds": (None, people),
    }
    w.record([change("Interaction", interaction_id, ChangeOp.CREATED, logged, account_id, people)])
    return await interactions.record_interaction(
        w.tx, w.ws, interaction_id, account_id, props, member_id, people, w.now
    )


async def _update(w: Write, edit: InteractionEdit) -> models.Interaction:
    new_member = None if edit.team_member is None else edit.team_member[0]
    met = edit.met or []
    refs = await lock_and_read(w.tx, w.ws, [edit.interaction, new_member, *met])
    found = refs.get(edit.interaction)
    account_id = None if found is None else found.account_id
    reject_if(
        [
            *unknown([edit.interaction, new_member, *met], refs),
            *[problem for person in met for problem in outside(person, refs, account_id, "the interaction")],
            *interaction_edit_problems(edit.values, None if edit.met is None else len(edit.met)),
        ]
    )
    assert found is not None
    current_member, current_met = await interactions.interaction_links(w.tx, w.ws, found.id)
    changed = updated(found.props, edit.values)
    props = new_values(changed)
    member = None
    if new_member is not None or edit.team_member is not None:
        wanted = None if new_member is None else new_member.raw
        if wanted != current_member:
            member = (wanted,)
            changed["teamMemberId"] = (current_member, wanted)
    people = None
    if edit.met is not None:
        wanted_met = sorted({known(person) for person in met})
        if wanted_met != current_met:
            people = wanted_met
            changed["stakeholderIds"] = (current_met, wanted_met)
    if not changed:
        return records.interaction_from({**found.props, "teamMember": current_member, "stakeholders": current_met})
    about = sorted(set(current_met) | set(people or ()))
    w.record([change("Interaction", found.id, ChangeOp.UPDATED, changed, account_id, about)])
    return await interactions.update_interaction(w.tx, w.ws, found.id, props, member, people, w.now)


async def _delete(w: Write, interaction: IdArg) -> str:
    refs = await lock_and_read(w.tx, w.ws, [interaction])
    reject_if(unknown([interaction], refs))
    found = refs.get(interaction)
    assert found is not None
    member, met = await interactions.interaction_links(w.tx, w.ws, found.id)
    await interactions.delete_interaction(w.tx, w.ws, found.id)
    values = {**found.props, "teamMemberId": member, "stakeholderIds": met}
    w.record([removal("Interaction", found.id, values, found.account_id, met)])
    return found.id
