"""interactionRecord and interactionDelete: the account's visit log, by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from neo4j import AsyncManagedTransaction as Tx

from service.graph.entity_writes import interactions
from service.graph.entity_writes.lookup import lock_and_read
from service.rules import models
from service.rules.entity_changes.diff import created
from service.rules.entity_changes.fields import external_id_problems, interaction_problems
from service.rules.entity_changes.refs import IdArg, outside, unknown
from service.rules.entity_changes.rejected import reject_if
from service.rules.enums import ErrorCode
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.enums import InteractionType
from service.schema.errors import UserError
from service.schema.ids import encode_id
from service.schema.mutations.support import (
    Call,
    ExternalIdInput,
    external_ref,
    id_arg,
    new_id,
    optional_id_arg,
    run_write,
)
from service.schema.types.interaction import Interaction


@strawberry.input
class InteractionRecordInput:
    account: strawberry.ID
    at: datetime = strawberry.field(description="With a time zone offset.")
    type: InteractionType
    stakeholders: list[strawberry.ID] = strawberry.field(description="At least one, all of `account`.")
    team_member: strawberry.ID | None = None
    summary: str | None = None
    next_step: str | None = None
    external_id: ExternalIdInput | None = None


@strawberry.input
class InteractionDeleteInput:
    id: strawberry.ID


@strawberry.type
class InteractionRecordPayload:
    interaction: Interaction | None
    user_errors: list[UserError]


@strawberry.type
class InteractionDeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


async def record(
    tx: Tx,
    call: Call,
    account: IdArg,
    member: IdArg | None,
    met: list[IdArg],
    values: dict[str, Any],
    ref: tuple[str, str] | None,
) -> models.Interaction:
    refs = await lock_and_read(tx, call.ws, [account, member, *met])
    problems = [
        *unknown([account, member, *met], refs),
        *[problem for person in met for problem in outside(person, refs, account.raw, "`account`")],
        *interaction_problems(values["at"], len(met), values["summary"], values["nextStep"]),
    ]
    interaction_id = new_id()
    if ref is not None:
        ref_problems = external_id_problems(*ref)
        if not ref_problems and not problems:
            assert account.raw is not None
            if not await interactions.claim_interaction_key(tx, call.ws, interaction_id, account.raw, *ref):
                message = f"the account already has interaction {ref[1]!r} of source {ref[0]!r}."
                ref_problems = [Problem(("externalId",), message, ErrorCode.CONFLICT)]
        problems += ref_problems
    reject_if(problems)
    assert account.raw is not None
    props, _ = created(values)
    if ref is not None:
        props.update(source=ref[0], externalId=ref[1])
    member_id = None if member is None else member.raw
    people = sorted({person.raw for person in met if person.raw is not None})
    return await interactions.record_interaction(
        tx, call.ws, interaction_id, account.raw, props, member_id, people, call.now
    )


async def delete(tx: Tx, call: Call, interaction: IdArg) -> str:
    refs = await lock_and_read(tx, call.ws, [interaction])
    reject_if(unknown([interaction], refs))
    assert interaction.raw is not None
    await interactions.delete_interaction(tx, call.ws, interaction.raw)
    return interaction.raw


async def interaction_record(info: strawberry.Info[Context], input: InteractionRecordInput) -> InteractionRecordPayload:
    account = id_arg(input.account, "Account", "account")
    member = optional_id_arg(input.team_member, "TeamMember", "teamMember")
    met = [id_arg(given, "Stakeholder", "stakeholders", str(n)) for n, given in enumerate(input.stakeholders)]
    values = {"at": input.at, "type": input.type, "summary": input.summary, "nextStep": input.next_step}
    found, errors = await run_write(info.context, record, account, member, met, values, external_ref(input.external_id))
    return InteractionRecordPayload(
        interaction=None if found is None else Interaction.from_domain(found), user_errors=errors
    )


async def interaction_delete(info: strawberry.Info[Context], input: InteractionDeleteInput) -> InteractionDeletePayload:
    deleted, errors = await run_write(info.context, delete, id_arg(input.id, "Interaction", "id"))
    return InteractionDeletePayload(
        deleted_id=None if deleted is None else strawberry.ID(encode_id("Interaction", deleted)), user_errors=errors
    )
