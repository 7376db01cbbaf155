"""The deal sections of accountGraphImport, and Account.exportDocument: all or nothing with the rest,
idempotent, REPLACE removes what the document dropped, and an export re-imports unchanged."""

from __future__ import annotations

import json
from typing import Any

from service.graph.database import Database
from tests.conftest import GraphQLClient
from tests.deals.documents import (
    DEAL_SECTIONS,
    DOCUMENT,
    RECORDS,
    counts,
    document,
    export,
    run_import,
)
from tests.schema.factories import error, snapshot
from tests.test_account_import import canon

OPPORTUNITIES = """
query { accountByExternalId(source: "crm", id: "acc-d") { opportunities(first: 10) { totalCount nodes {
  name buyingCentreCount competitorCount scorecard { criterionCount } burningIssue { text } ucv { text } } } } }
"""


async def opportunities(client: GraphQLClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await client.data(OPPORTUNITIES))["accountByExternalId"]["opportunities"]["nodes"]
    return found


async def test_every_deal_section_round_trips_through_the_export(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    first = await run_import(client, document())
    assert (first["userErrors"], counts(first)) == ([], (RECORDS, 0, 0, 0, 0))
    exported = await export(client)
    assert {k: exported[k] for k in DEAL_SECTIONS} == {k: DOCUMENT[k] for k in DEAL_SECTIONS}
    before = await snapshot(db, workspace, other_workspace)

    for mode in ("MERGE", "REPLACE"):
        again = await run_import(client, {**exported, "mode": mode})
        assert (again["userErrors"], counts(again)) == ([], (0, 0, RECORDS, 0, 0))
    assert await snapshot(db, workspace, other_workspace) == before
    assert json.loads(json.dumps(await export(client))) == exported


async def test_the_demo_round_trips_through_the_export(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    await run_import(client, canon()["input"])
    exported = await export(client, "demo", "acc-canon-zh")
    before = await snapshot(db, workspace, other_workspace)
    payload = await run_import(client, {**exported, "mode": "REPLACE"})
    assert payload["userErrors"] == []
    assert (payload["created"], payload["updated"], payload["archived"], payload["removed"]) == (0, 0, 0, 0)
    assert await snapshot(db, workspace, other_workspace) == before


async def test_reimport_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    await run_import(client, document())
    before = await snapshot(db, workspace, other_workspace)
    again = await run_import(client, document())
    assert counts(again) == (0, 0, RECORDS, 0, 0)
    assert await snapshot(db, workspace, other_workspace) == before


async def test_an_export_is_null_for_a_source_that_does_not_name_the_account(client: GraphQLClient) -> None:
    await run_import(client, document())
    data = await client.data('{ accountByExternalId(source: "crm", id: "acc-d") { exportDocument(source: "erp") } }')
    assert data["accountByExternalId"]["exportDocument"] is None


async def test_replace_removes_what_the_document_dropped(client: GraphQLClient) -> None:
    await run_import(client, document())
    body = document(mode="REPLACE")
    body["opportunities"] = body["opportunities"][:1]
    deal = body["opportunities"][0]
    deal["buyingCentre"] = deal["buyingCentre"][:2]
    deal["competitors"] = deal["competitors"][:1]
    del deal["scorecard"]
    del deal["ucv"]
    body["competitorContacts"] = body["competitorContacts"][:1]
    body["favours"] = []

    payload = await run_import(client, body)

    # o2 deleted, a contact and a favour removed; o1 updated; c1, c2, r1, r2 and the rest unchanged
    assert (payload["userErrors"], counts(payload)) == ([], (0, 1, RECORDS - 4, 0, 3))
    assert await opportunities(client) == [
        {
            "name": "Big deal",
            "buyingCentreCount": 2,
            "competitorCount": 1,
            "scorecard": None,
            "burningIssue": {"text": "Downtime"},
            "ucv": None,
        }
    ]
    exported = await export(client)
    assert [c["externalId"] for c in exported["competitors"]] == ["c1"]  # c2 is no longer shown by the account
    assert [r["externalId"] for r in exported["competitorReps"]] == ["r1"]
    competitors = await client.data("{ competitors(first: 10) { totalCount nodes { name repCount } } }")
    assert competitors["competitors"] == {
        "totalCount": 2,
        "nodes": [{"name": "Foreign Co", "repCount": 1}, {"name": "Local Co", "repCount": 1}],
    }


async def test_merge_keeps_what_the_document_leaves_out(client: GraphQLClient) -> None:
    await run_import(client, document())
    body = document()
    body["opportunities"] = [
        {"externalId": "o1", "name": "Big deal", "salesStage": "D", "buyingCentre": [], "competitors": []}
    ]
    body["competitorContacts"] = []
    body["favours"] = []
    payload = await run_import(client, body)
    assert (payload["userErrors"], counts(payload)) == ([], (0, 0, RECORDS - 4, 0, 0))  # o2, contacts, favour left out
    found = await opportunities(client)
    assert [(o["name"], o["buyingCentreCount"], o["competitorCount"]) for o in found] == [
        ("Big deal", 3, 2),
        ("Small deal", 0, 0),
    ]
    assert found[0]["scorecard"] == {"criterionCount": 2}


async def test_a_document_without_deal_sections_imports_as_before_and_keeps_the_deals(client: GraphQLClient) -> None:
    await run_import(client, document())
    body = {k: v for k, v in document().items() if k not in DEAL_SECTIONS}
    payload = await run_import(client, body)
    assert (payload["userErrors"], counts(payload)) == ([], (0, 0, 8, 0, 0))
    assert len(await opportunities(client)) == 2


async def test_invalid_deal_input_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    await run_import(client, document(opportunities=[]))
    before = await snapshot(db, workspace, other_workspace)
    body = document()
    body["opportunities"][0]["scorecard"]["criteria"][1]["weight"] = 0.3
    body["opportunities"][0]["buyingCentre"][0]["stakeholder"] = "p9"
    body["favours"][0]["competitor"] = "c9"
    body["competitorContacts"][0]["strength"] = 6
    body["stakeholders"][0]["influence"] = 7

    payload = await run_import(client, body)

    assert payload["userErrors"] == [
        error(["input", "stakeholders", "0", "influence"], "influence must be between 1 and 5, got 7."),
        error(["input", "competitorContacts", "0", "strength"], "strength must be between 1 and 5, got 6."),
        error(["input", "favours", "0", "competitor"], "no competitor with id 'c9'.", "NOT_FOUND"),
        error(
            ["input", "opportunities", "0", "buyingCentre", "0", "stakeholder"],
            "no stakeholder with id 'p9'.",
            "NOT_FOUND",
        ),
        error(
            ["input", "opportunities", "0", "scorecard", "criteria"], "the criteria's weights must sum to 1, got 0.9."
        ),
    ]
    assert counts(payload) == (0, 0, 0, 0, 0)
    assert await snapshot(db, workspace, other_workspace) == before


async def test_the_import_logs_every_deal_change(client: GraphQLClient, db: Database, workspace: str) -> None:
    await run_import(client, document())
    records, _, _ = await db.driver.execute_query(
        "MATCH (c:Change {workspaceId: $ws}) WHERE c.entity IN $entities RETURN c.entity AS entity, c.op AS op, c.fields AS fields",
        entities=[
            "Opportunity",
            "Competitor",
            "CompetitorRep",
            "BuyingCentreMember",
            "CompetitorInvolvement",
            "RepContact",
            "Favour",
            "Scorecard",
        ],
        ws=workspace,
    )
    rows = sorted((r["entity"], r["op"], r["fields"]) for r in records)
    assert rows == sorted(
        [
            ("BuyingCentreMember", "CREATED", ["handler", "opportunityId", "projectLead", "stakeholderId"]),
            (
                "BuyingCentreMember",
                "CREATED",
                ["buyerTypes", "buyingRoles", "handler", "opportunityId", "projectLead", "stakeholderId"],
            ),
            (
                "BuyingCentreMember",
                "CREATED",
                ["buyerTypes", "buyingRoles", "handler", "opportunityId", "projectLead", "stakeholderId"],
            ),
            ("Competitor", "CREATED", ["name"]),
            ("Competitor", "CREATED", ["name", "origin"]),
            ("CompetitorInvolvement", "CREATED", ["competitorId", "incumbent", "opportunityId"]),
            ("CompetitorInvolvement", "CREATED", ["competitorId", "incumbent", "opportunityId"]),
            ("CompetitorRep", "CREATED", ["competitorId", "name"]),
            ("CompetitorRep", "CREATED", ["competitorId", "name"]),
            ("Favour", "CREATED", ["competitorId", "note", "stakeholderId"]),
            (
                "Opportunity",
                "CREATED",
                [
                    "burningIssueOwnerId",
                    "burningIssuePersonal",
                    "burningIssueText",
                    "burningIssueTimeImmediate",
                    "buyClass",
                    "currency",
                    "decisionStage",
                    "estimatedValue",
                    "expectedCloseDate",
                    "name",
                    "procurementStep",
                    "salesStage",
                    "status",
                    "ucvCustomerDeadline",
                    "ucvDeliverableBy",
                    "ucvMeasurable",
                    "ucvMetric",
                    "ucvText",
                    "ucvUnique",
                ],
            ),
            ("Opportunity", "CREATED", ["name", "salesStage", "status"]),
            (
                "RepContact",
                "CREATED",
                ["form", "repId", "stakeholderId", "strength", "topics", "typicalMinutes", "visitsPerMonth"],
            ),
            ("RepContact", "CREATED", ["repId", "stakeholderId", "topics", "visitsPerMonth"]),
            ("Scorecard", "CREATED", ["criteria", "opportunityId"]),
        ]
    )
