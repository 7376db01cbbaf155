"""The deal step of `stakeholderMerge`: the duplicate's part in deals moves to the survivor
(`service.rules.deals.merge_plan`), in the merge's transaction."""

from __future__ import annotations

from service.graph.database import Write
from service.graph.writes.deal_merge import apply_deal_merge, person_deals
from service.rules.deals.merge_plan import PersonDeals, plan_deal_merge
from service.usecases.ids import new_id


async def merge_deals(w: Write, survivor: str, duplicate: str, account_id: str | None) -> None:
    assert account_id is not None, "a stakeholder belongs to an account"
    found = await person_deals(w.tx, w.ws, [survivor, duplicate])
    plan = plan_deal_merge(
        survivor, duplicate, found.get(survivor, PersonDeals()), found.get(duplicate, PersonDeals()), account_id, new_id
    )
    await apply_deal_merge(w.tx, w.ws, plan, w.now)
    w.record(plan.changes)
