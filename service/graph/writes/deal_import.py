"""The deal step of an account import: reading what is stored for the document's deal sections, and
writing a deal plan (`service.rules.deals.import_plan`), in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.deal_snapshots import OPPORTUNITY_STATE, stored_opportunity_from
from service.graph.driver import fetch
from service.graph.writes import competitors, deals
from service.rules.deals.document import DealSection
from service.rules.deals.import_plan import (
    DealImportPlan,
    StoredCompetitor,
    StoredDeals,
    StoredRelation,
    StoredRep,
)

Tx = AsyncManagedTransaction

STORED_COMPETITORS: LiteralString = """
UNWIND $externalIds AS externalId
MATCH (:CompetitorRef {workspaceId: $ws, source: $source, externalId: externalId})-[:IDENTIFIES]->(c:Competitor)
RETURN externalId, c.id AS id, c {.name, .origin} AS props,
       [(c)-[:COMPETES_FOR]->(o:Opportunity) | o.accountId]
       + [(s:Stakeholder)-[:FAVOURS]->(c) | s.accountId]
       + [(c)<-[:WORKS_FOR]-(:CompetitorRep)-[:CONTACTS]->(s:Stakeholder) | s.accountId] AS accounts
"""

STORED_REPS: LiteralString = """
UNWIND $externalIds AS externalId
MATCH (:CompetitorRepRef {workspaceId: $ws, source: $source, externalId: externalId})-[:IDENTIFIES]->(rep:CompetitorRep)
MATCH (rep)-[:WORKS_FOR]->(c:Competitor)
RETURN externalId, rep.id AS id, rep {.name} AS props, c.id AS competitor,
       [(rep)-[:CONTACTS]->(s:Stakeholder) | s.accountId] AS accounts
"""

STORED_OPPORTUNITIES: LiteralString = (
    """
MATCH (o:Opportunity {workspaceId: $ws, accountId: $accountId, source: $source})
USING INDEX o:Opportunity(workspaceId, accountId, name)
WHERE o.name IS NOT NULL
WITH o ORDER BY o.externalId
"""
    + OPPORTUNITY_STATE
    + ", o.externalId AS externalId"
)

STORED_CONTACTS: LiteralString = """
MATCH (rep:CompetitorRep)-[x:CONTACTS]->(s:Stakeholder {workspaceId: $ws, accountId: $accountId})
WHERE s.name IS NOT NULL
RETURN rep.id AS rep, s.id AS stakeholder, x.source AS source,
       x {.visitsPerMonth, .typicalMinutes, .form, .topics, .strength} AS props
"""

STORED_FAVOURS: LiteralString = """
MATCH (s:Stakeholder {workspaceId: $ws, accountId: $accountId})-[f:FAVOURS]->(c:Competitor)
WHERE s.name IS NOT NULL
RETURN s.id AS stakeholder, c.id AS competitor, f.source AS source, f {.note} AS props
"""


def _accounts(row: Any) -> frozenset[str]:
    return frozenset(a for a in row["accounts"] if a)


async def load_stored_deals(tx: Tx, ws: str, source: str, account_id: str | None, section: DealSection) -> StoredDeals:
    """What the deal plan compares against: the section's competitors and reps by this source's external
    ids; this account's opportunities of this source, and the contacts and favours of its people."""
    params: dict[str, Any] = {"ws": ws, "source": source}
    found_competitors = await fetch(tx, STORED_COMPETITORS, externalIds=[c.id for c in section.competitors], **params)
    found_reps = await fetch(tx, STORED_REPS, externalIds=[r.id for r in section.competitor_reps], **params)
    stored = StoredDeals(
        competitors={
            row["externalId"]: StoredCompetitor(row["id"], dict(row["props"]), _accounts(row))
            for row in found_competitors
        },
        reps={
            row["externalId"]: StoredRep(row["id"], dict(row["props"]), row["competitor"], _accounts(row))
            for row in found_reps
        },
    )
    if account_id is None:
        return stored
    params["accountId"] = account_id
    opportunities = await fetch(tx, STORED_OPPORTUNITIES, **params)
    contacts = await fetch(tx, STORED_CONTACTS, **params)
    favours = await fetch(tx, STORED_FAVOURS, **params)
    return StoredDeals(
        competitors=stored.competitors,
        reps=stored.reps,
        opportunities={row["externalId"]: stored_opportunity_from(row) for row in opportunities},
        contacts={
            (row["rep"], row["stakeholder"]): StoredRelation(dict(row["props"]), row["source"]) for row in contacts
        },
        favours={
            (row["stakeholder"], row["competitor"]): StoredRelation(dict(row["props"]), row["source"])
            for row in favours
        },
    )


async def apply_deal_plan(tx: Tx, ws: str, source: str, account_id: str, plan: DealImportPlan, now: datetime) -> None:
    """Write `plan`; statements with nothing to write are skipped, so an unchanged document writes nothing."""
    sourced = [{**row, "source": source} for row in plan.competitors if row["create"]]
    await competitors.create_competitors(tx, ws, sourced, now)
    await competitors.update_competitors(tx, ws, [row for row in plan.competitors if not row["create"]], now)
    await competitors.create_reps(tx, ws, [{**row, "source": source} for row in plan.reps if row["create"]], now)
    await competitors.update_reps(tx, ws, [row for row in plan.reps if not row["create"]], now)
    await deals.delete_opportunities(tx, ws, plan.opportunities_removed)
    created = [{**row, "accountId": account_id, "source": source} for row in plan.opportunities if row["create"]]
    await deals.create_opportunities(tx, ws, created, now)
    await deals.update_opportunities(tx, ws, [row for row in plan.opportunities if not row["create"]], now)
    await deals.remove_members(tx, ws, plan.members_removed)
    await deals.set_members(tx, ws, plan.members, now, source)
    await deals.remove_involvements(tx, ws, plan.involvements_removed)
    await deals.set_involvements(tx, ws, plan.involvements, now, source)
    await deals.replace_scorecards(tx, ws, plan.scorecards)
    await competitors.remove_contacts(tx, ws, plan.contacts_removed)
    await competitors.set_contacts(tx, ws, plan.contacts, now, source)
    await competitors.remove_favours(tx, ws, plan.favours_removed)
    await competitors.set_favours(tx, ws, plan.favours, now, source)
