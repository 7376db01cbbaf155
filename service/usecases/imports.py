"""Importing a whole account document from one source system: one transaction, all or nothing."""

from __future__ import annotations

from service.graph.database import Write
from service.graph.writes.account_import import apply_plan, load_stored_state
from service.rules.access import Permission, Principal
from service.rules.account_import import AccountDocument, ImportPlan, plan_import, validate_document
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.usecases.auditing import record_refusal
from service.usecases.authorization import require
from service.usecases.ids import new_id
from service.usecases.services import Services
from service.usecases.writing import write


async def import_account_graph(services: Services, principal: Principal, document: AccountDocument) -> ImportPlan:
    """Validate the document, then read what is stored, diff and write the difference; `Rejected` with
    every problem found when the document is invalid or conflicts with what is stored (nothing written)."""
    try:
        require(principal, Permission.SYNC)
        problems = validate_document(document)
        if problems:
            raise Rejected(problems)
    except Rejected as rejected:
        await record_refusal(services, principal, "import", rejected.problems)
        raise
    return await write(services, principal, Permission.SYNC, _import, document)


async def _import(w: Write, document: AccountDocument) -> ImportPlan:
    stored = await load_stored_state(w.tx, w.ws, document)
    plan = plan_import(document, stored, new_id=new_id)
    reject_if(plan.problems)
    await apply_plan(w.tx, w.ws, document.source, plan, w.now)
    w.touch(plan.account_id)
    w.record(plan.changes)
    return plan
