"""Contact sync: integration jobs upsert contacts by (source, external id), up to 1,000 a call.

Each contact gets its own outcome, in input order; valid contacts are written even when others fail.
Only contact fields are written (see `service.rules.contacts`). The batch is one write transaction and
one Cypher round trip, idempotent, so the driver may retry it and a client may replay it: a replay
reports UNCHANGED and writes nothing (not even the account's clock).

When the database does not confirm the batch, nobody can tell whether it was committed: the call
raises `OutcomeUnknown`, and the client replays the same batch (which converges).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from neo4j.exceptions import TransientError

from service.graph.database import Scope, Write
from service.graph.writes.contacts import SYNC_RETRY_SECONDS, preview_contacts, upsert_contacts
from service.rules.access import Permission, Principal
from service.rules.contacts import (
    Contact,
    ContactsWrite,
    UpsertSummary,
    summarize,
    upsert_rows,
    validate_contacts,
)
from service.rules.entity_changes.rejected import Rejected
from service.rules.enums import ErrorCode
from service.usecases.auditing import audited_scope, record_read_only, record_refusal
from service.usecases.authorization import Forbidden, require
from service.usecases.batches import CONNECTION_LOST, with_batch_retries
from service.usecases.errors import DatabaseUnavailable
from service.usecases.services import Services

OPERATION = "upsert_contacts"


async def upsert_contacts_batch(
    services: Services,
    principal: Principal,
    source: str,
    account: str,
    contacts: Sequence[Contact],
    *,
    dry_run: bool = False,
    with_stakeholders: bool = False,
) -> UpsertSummary:
    """One outcome per contact. `with_stakeholders` returns each contact's stored properties too (costly
    for large batches: only when the caller shows them)."""
    try:
        require(principal, Permission.SYNC)
    except Forbidden as refused:
        await record_refusal(services, principal, OPERATION, refused.problems)
        raise
    check = validate_contacts(source, account, contacts)
    if check.batch:
        await record_refusal(services, principal, OPERATION, check.batch)
        return summarize(source, contacts, check, None)
    rows = upsert_rows(contacts, check.contacts.keys())
    if dry_run:
        written = await _preview(services, principal, source, account, rows, with_stakeholders)
        summary = summarize(source, contacts, check, written)
        await record_read_only(services, principal, OPERATION, summary.problems)
        return summary
    try:
        written = await _write(services, principal, source, account, rows, with_stakeholders)
    except Rejected as rejected:  # the account is being imported: nothing written
        problems = [p.under("account") if not p.path else p for p in rejected.problems]
        await record_refusal(services, principal, OPERATION, problems)
        return UpsertSummary(problems=problems)
    return summarize(source, contacts, check, written)


async def _preview(
    services: Services, principal: Principal, source: str, account: str, rows: list[dict[str, Any]], full: bool
) -> ContactsWrite:
    try:
        return await services.db.read(preview_contacts, principal.workspace_id, source, account, rows, full)
    except (*CONNECTION_LOST, TransientError) as error:
        raise DatabaseUnavailable() from error


async def _write(
    services: Services, principal: Principal, source: str, account: str, rows: list[dict[str, Any]], full: bool
) -> ContactsWrite:
    scope = audited_scope(principal, OPERATION, SYNC_RETRY_SECONDS)
    return await with_batch_retries(lambda: commit_batch(services, scope, source, account, rows, full))


async def commit_batch(
    services: Services, scope: Scope, source: str, account: str, rows: list[dict[str, Any]], full: bool
) -> ContactsWrite:
    """One transaction for the batch; `with_batch_retries` decides what a failure means."""
    return await services.db.write(scope, _upsert, source, account, rows, full)


async def _upsert(w: Write, source: str, account: str, rows: list[dict[str, Any]], full: bool) -> ContactsWrite:
    """The batch's query closes the write itself, but for an unknown account: then its audit entry says so."""
    written = await upsert_contacts(w, source, account, rows, full)
    if written.account_id is None and w.audit is not None:
        w.audit = replace(w.audit, outcome=ErrorCode.NOT_FOUND.value)
    return written
