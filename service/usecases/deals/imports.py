"""The deal step of `accountGraphImport`: planned by `service.rules.deals.import_plan`, written by
`service.graph.writes.deal_import`, in the import's transaction after its account step."""

from __future__ import annotations

from service.graph.database import Write
from service.graph.writes.deal_import import apply_deal_plan, load_stored_deals
from service.rules.account_import import AccountDocument, ImportPlan, StoredAccountState
from service.rules.account_import.plan import Counts
from service.rules.deals.import_plan import plan_deal_import
from service.rules.enums import ImportMode
from service.usecases.ids import new_id


async def import_deals(
    w: Write, document: AccountDocument, stored: StoredAccountState, plan: ImportPlan
) -> tuple[Counts, bool]:
    """Plan and write the document's deal sections against what is stored: their counts, and whether
    anything changed. A MERGE document without deal sections reads nothing; a REPLACE one removes what its
    source wrote."""
    section = document.deals
    if section.empty and (document.mode is ImportMode.MERGE or stored.account is None):
        return Counts(), False
    account_id = None if stored.account is None else stored.account.id
    stored_deals = await load_stored_deals(w.tx, w.ws, document.source, account_id, section)
    people = {external_id: s.id for external_id, s in stored.stakeholders.items()}
    people.update((row["externalId"], row["id"]) for row in plan.stakeholders_created)
    deals = plan_deal_import(
        section,
        stored_deals,
        account_id=plan.account_id,
        people=people,
        source=document.source,
        mode=document.mode,
        new_id=new_id,
    )
    await apply_deal_plan(w.tx, w.ws, document.source, plan.account_id, deals, w.now)
    w.touch(*deals.accounts)
    w.record(deals.changes)
    return deals.counts, bool(deals.changes)
