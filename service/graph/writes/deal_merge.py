"""The deal step of a stakeholder merge (`service.rules.deals.merge_plan`): reading both people's part in
deals, and writing the plan, in the merge's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.deal_snapshots import OPPORTUNITY_STATE, stored_opportunity_from
from service.graph.driver import fetch
from service.graph.writes import competitors, deals
from service.rules.deals.merge_plan import DealMergePlan, PersonDeals

Tx = AsyncManagedTransaction

PERSON_DEALS: LiteralString = """
UNWIND $ids AS id
MATCH (s:Stakeholder {workspaceId: $ws, id: id})
RETURN id,
  [(s)-[m:IN_BUYING_CENTRE]->(o:Opportunity) | [o.id, m {.buyingRoles, .buyerTypes, .handler, .projectLead}]] AS members,
  [(r:CompetitorRep)-[x:CONTACTS]->(s) | [r.id, x {.visitsPerMonth, .typicalMinutes, .form, .topics, .strength}]]
    AS contacts,
  [(s)-[f:FAVOURS]->(c:Competitor) | [c.id, f {.note}]] AS favours,
  COLLECT {
    MATCH (o:Opportunity {workspaceId: $ws, accountId: s.accountId})
    USING INDEX o:Opportunity(workspaceId, accountId, name)
    WHERE o.name IS NOT NULL AND o.burningIssueOwnerId = s.id
    RETURN o.id
  } AS owned,
  COLLECT { MATCH (s)-[:CARES_ABOUT]->(:Criterion)<-[:HAS_CRITERION]-(o:Opportunity) RETURN DISTINCT o.id } AS cared
"""

OPPORTUNITIES: LiteralString = "UNWIND $ids AS id MATCH (o:Opportunity {workspaceId: $ws, id: id})" + OPPORTUNITY_STATE


async def person_deals(tx: Tx, ws: str, ids: Sequence[str]) -> dict[str, PersonDeals]:
    """Each stakeholder's part in deals (with the scorecards they care about), in two round trips."""
    rows = await fetch(tx, PERSON_DEALS, ws=ws, ids=list(ids))
    cared = sorted({o for row in rows for o in row["cared"]})
    cards = {}
    if cared:
        cards = {
            state.id: state.scorecard
            for state in map(stored_opportunity_from, await fetch(tx, OPPORTUNITIES, ws=ws, ids=cared))
        }
    return {
        row["id"]: PersonDeals(
            members={o: dict(m) for o, m in row["members"]},
            contacts={r: dict(x) for r, x in row["contacts"]},
            favours={c: dict(f) for c, f in row["favours"]},
            owned=tuple(sorted(row["owned"])),
            scorecards={o: card for o in row["cared"] if (card := cards.get(o)) is not None},
        )
        for row in rows
    }


async def apply_deal_merge(tx: Tx, ws: str, plan: DealMergePlan, now: datetime) -> None:
    await deals.remove_members(tx, ws, plan.members_removed)
    await deals.set_members(tx, ws, plan.members, now)
    await competitors.remove_contacts(tx, ws, plan.contacts_removed)
    await competitors.set_contacts(tx, ws, plan.contacts, now)
    await competitors.remove_favours(tx, ws, plan.favours_removed)
    await competitors.set_favours(tx, ws, plan.favours, now)
    await deals.update_opportunities(tx, ws, plan.owners, now)
    await deals.replace_scorecards(tx, ws, plan.scorecards)
