"""The audit log: every mutation leaves one entry (who, when, which operation, how it ended, which entities).

A write records its entry in its own transaction (`Scope.audit`, see `service.graph.database`); a refused
mutation, which writes nothing, records its entry in a small transaction of its own. Entries name entities
by id and never hold a value, a key or a token.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.graph.database import Scope, Write
from service.observability.context import request_id
from service.rules.access import Principal
from service.rules.identity import AuditNote
from service.rules.validation import Problem
from service.usecases import context
from service.usecases.services import Services


def note(principal: Principal, default_operation: str, outcome: str = "OK") -> AuditNote:
    """The entry's fields for the request in progress: the mutation's name when the API runs it."""
    return AuditNote(
        operation=context.operation.get() or default_operation,
        role=principal.role,
        request_id=request_id(),
        outcome=outcome,
    )


def audited_scope(principal: Principal, default_operation: str, retry_seconds: float | None = None) -> Scope:
    """Where the principal's write goes, with its audit entry."""
    return Scope(principal.workspace_id, principal.id, retry_seconds, note(principal, default_operation))


def outcome_of(problems: Sequence[Problem]) -> str:
    """The codes of a refusal, each once, in order: e.g. "FORBIDDEN" or "NOT_FOUND,INVALID"."""
    return ",".join(dict.fromkeys(p.code.value for p in problems)) or "REFUSED"


async def record_refusal(
    services: Services, principal: Principal, default_operation: str, problems: Sequence[Problem]
) -> None:
    """An entry for a mutation that wrote nothing because it was refused."""
    scope = Scope(principal.workspace_id, principal.id, audit=note(principal, default_operation, outcome_of(problems)))
    await services.db.write(scope, _nothing)


async def record_read_only(
    services: Services, principal: Principal, default_operation: str, problems: Sequence[Problem] = ()
) -> None:
    """An entry for a mutation that only read (a dry run), refused or not."""
    outcome = (outcome_of(problems) if problems else "OK") + " (dry run)"
    scope = Scope(principal.workspace_id, principal.id, audit=note(principal, default_operation, outcome))
    await services.db.write(scope, _nothing)


async def _nothing(w: Write) -> None:
    """A write whose only effect is its audit entry."""
