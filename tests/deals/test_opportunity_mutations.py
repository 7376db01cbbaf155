"""opportunityCreate, opportunityUpdate, opportunityDelete; node(id:) and Account.opportunities; the round
trips of a page of opportunities with their analytics."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from service.schema.ids import raw_id_of
from tests.conftest import GraphQLClient, QueryCounterView
from tests.deals.documents import DOCUMENT
from tests.deals.support import changes, import_deals, import_deals_elsewhere
from tests.schema.factories import USER_ERRORS, error, mutate, snapshot

FIELDS = """id name buyClass estimatedValue currency expectedCloseDate status salesStage winProbability
            procurementStep procurementStepName decisionStage externalIds { source id } account { name }"""
CREATED = f"opportunity {{ {FIELDS} }} {USER_ERRORS}"


async def test_create_lists_and_resolves_the_opportunity(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client, opportunities=[])
    given = {
        "account": ids.account,
        "name": "Second line",
        "buyClass": "STRAIGHT_REBUY",
        "estimatedValue": "300000",
        "currency": "CNY",
        "expectedCloseDate": "2024-12-31",
        "salesStage": "C",
        "procurementStep": 8,
        "decisionStage": "EVALUATE",
        "externalId": {"source": "crm", "id": "o-9"},
    }
    payload = await mutate(client, "opportunityCreate", given, CREATED)
    created = payload["opportunity"]
    assert payload["userErrors"] == []
    assert {k: v for k, v in created.items() if k != "id"} == {
        "name": "Second line",
        "buyClass": "STRAIGHT_REBUY",
        "estimatedValue": "300000",
        "currency": "CNY",
        "expectedCloseDate": "2024-12-31",
        "status": "OPEN",
        "salesStage": "C",
        "winProbability": 50,
        "procurementStep": 8,
        "procurementStepName": "评标",
        "decisionStage": "EVALUATE",
        "externalIds": [{"source": "crm", "id": "o-9"}],
        "account": {"name": "Deal Account"},
    }
    node = await client.data(f"query($id: ID!) {{ node(id: $id) {{ ... on Opportunity {{ {FIELDS} }} }} }}", created)
    assert node["node"] == created
    listed = await client.data(
        '{ accountByExternalId(source: "crm", id: "acc-d") { opportunities(first: 5) { totalCount nodes { id } } } }'
    )
    assert listed["accountByExternalId"]["opportunities"] == {"totalCount": 1, "nodes": [{"id": created["id"]}]}
    raw = raw_id_of(created["id"], "Opportunity")
    assert await changes(db, workspace, "Opportunity") == [
        (
            raw,
            "CREATED",
            [
                "buyClass",
                "currency",
                "decisionStage",
                "estimatedValue",
                "expectedCloseDate",
                "name",
                "procurementStep",
                "salesStage",
                "status",
            ],
            [None] * 9,
            ["STRAIGHT_REBUY", "CNY", "EVALUATE", "300000", "2024-12-31", "Second line", 8, "C", "OPEN"],
        )
    ]


async def test_create_reports_every_problem_and_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    before = await snapshot(db, workspace, other_workspace)
    given = {
        "account": ids.account,
        "name": " ",
        "estimatedValue": "-1",
        "currency": "cny",
        "procurementStep": 13,
        "externalId": {"source": "crm", "id": ""},
    }
    payload = await mutate(client, "opportunityCreate", given, CREATED)
    assert payload == {
        "opportunity": None,
        "userErrors": [
            error(["input", "name"], "name must not be empty."),
            error(["input", "estimatedValue"], "estimatedValue must be at least 0 and below 10^15, got -1."),
            error(["input", "currency"], "currency must be an ISO 4217 code such as CNY, got 'cny'."),
            error(["input", "procurementStep"], "procurementStep must be between 1 and 12, got 13."),
            error(["input", "externalId", "id"], "id must not be empty."),
        ],
    }
    payload = await mutate(
        client, "opportunityCreate", {"account": ids["p1"], "name": "x", "estimatedValue": "5"}, CREATED
    )
    assert payload["userErrors"] == [
        error(["input", "account"], f"no account with id {ids['p1']!r}.", "NOT_FOUND"),
        error(["input", "currency"], "currency is required with an estimatedValue."),
    ]
    given = {"account": ids.account, "name": "again", "externalId": {"source": "crm", "id": "o1"}}
    payload = await mutate(client, "opportunityCreate", given, CREATED)
    assert payload["userErrors"] == [
        error(["input", "externalId"], "the account already has opportunity 'o1' of source 'crm'.", "CONFLICT")
    ]
    assert await snapshot(db, workspace, other_workspace) == before


async def test_update_changes_and_clears_fields(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    given = {"id": ids["o1"], "salesStage": "B", "procurementStep": 9, "buyClass": None, "expectedCloseDate": None}
    payload = await mutate(client, "opportunityUpdate", given, CREATED)
    assert payload["userErrors"] == []
    found = payload["opportunity"]
    assert (found["salesStage"], found["winProbability"], found["procurementStep"], found["buyClass"]) == (
        "B",
        75,
        9,
        None,
    )
    assert found["expectedCloseDate"] is None
    assert (await changes(db, workspace, "Opportunity"))[-1] == (
        raw_id_of(ids["o1"], "Opportunity"),
        "UPDATED",
        ["buyClass", "expectedCloseDate", "procurementStep", "salesStage"],
        ["NEW_BUY", "2024-09-30", 7, "D"],
        [None, None, 9, "B"],
    )
    unchanged = await mutate(client, "opportunityUpdate", {"id": ids["o1"], "salesStage": "B"}, CREATED)
    assert unchanged["userErrors"] == []
    assert len(await changes(db, workspace, "Opportunity")) == 3  # two imported, one update: the repeat logged nothing


async def test_update_reports_every_problem_and_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    before = await snapshot(db, workspace, other_workspace)
    payload = await mutate(
        client, "opportunityUpdate", {"id": ids["o1"], "name": None, "salesStage": None, "status": None}, CREATED
    )
    assert payload == {
        "opportunity": None,
        "userErrors": [
            error(["input", "name"], "`name` cannot be cleared."),
            error(["input", "status"], "`status` cannot be cleared."),
            error(["input", "salesStage"], "`salesStage` cannot be cleared."),
        ],
    }
    payload = await mutate(
        client, "opportunityUpdate", {"id": ids["o1"], "currency": None, "procurementStep": 0}, CREATED
    )
    assert payload["userErrors"] == [
        error(["input", "currency"], "currency is required with an estimatedValue."),
        error(["input", "procurementStep"], "procurementStep must be between 1 and 12, got 0."),
    ]
    assert await snapshot(db, workspace, other_workspace) == before


async def test_delete_removes_the_opportunity_with_its_parts_and_logs_them(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    ids = await import_deals(client)
    payload = await mutate(client, "opportunityDelete", {"id": ids["o1"]}, f"deletedId {USER_ERRORS}")
    assert payload == {"deletedId": ids["o1"], "userErrors": []}
    node = await client.data("query($id: ID!) { node(id: $id) { id } }", {"id": ids["o1"]})
    assert node["node"] is None
    records, _, _ = await db.driver.execute_query(
        "MATCH (k:Criterion {workspaceId: $ws}) RETURN count(k) AS n", ws=workspace
    )
    assert records[0]["n"] == 0
    raw = raw_id_of(ids["o1"], "Opportunity")
    deleted = {
        entity: [(c[0], c[1]) for c in await changes(db, workspace, entity) if c[1] == "DELETED"]
        for entity in ("Opportunity", "BuyingCentreMember", "CompetitorInvolvement", "Scorecard")
    }
    people = [raw_id_of(ids[p], "Stakeholder") for p in ("p1", "p2", "p3")]
    competitors = [raw_id_of(ids[c], "Competitor") for c in ("c1", "c2")]
    assert deleted == {
        "Opportunity": [(raw, "DELETED")],
        "BuyingCentreMember": sorted((f"{raw}:{p}", "DELETED") for p in people),
        "CompetitorInvolvement": sorted((f"{raw}:{c}", "DELETED") for c in competitors),
        "Scorecard": [(raw, "DELETED")],
    }
    opportunity_row = (await changes(db, workspace, "Opportunity"))[-1]
    assert dict(zip(opportunity_row[2], opportunity_row[3], strict=True))["name"] == "Big deal"


async def test_ids_of_another_workspace_are_not_found(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    elsewhere = await import_deals_elsewhere(db, other_workspace)
    await import_deals(client)
    before = await snapshot(db, workspace, other_workspace)
    opportunity = elsewhere["o1"]
    results = [
        await mutate(client, "opportunityUpdate", {"id": opportunity, "name": "x"}, USER_ERRORS),
        await mutate(client, "opportunityDelete", {"id": opportunity}, USER_ERRORS),
        await mutate(client, "opportunityCreate", {"account": elsewhere.account, "name": "x"}, USER_ERRORS),
    ]
    assert [r["userErrors"] for r in results] == [
        [error(["input", "id"], f"no opportunity with id {opportunity!r}.", "NOT_FOUND")],
        [error(["input", "id"], f"no opportunity with id {opportunity!r}.", "NOT_FOUND")],
        [error(["input", "account"], f"no account with id {elsewhere.account!r}.", "NOT_FOUND")],
    ]
    node = await client.data("query($id: ID!) { node(id: $id) { id } }", {"id": opportunity})
    assert node["node"] is None
    assert await snapshot(db, workspace, other_workspace) == before


PAGE = """
query { accountByExternalId(source: "crm", id: "acc-d") { opportunities(first: 20) { nodes {
  name buyingCentre { stakeholder { name } effectiveBuyingRoles } competitors { competitor { name } incumbent }
  scorecard { totals { competitor { name } total } lostCriteria { criterion caringMembers { stakeholder { name } } } }
  qualification { qualified gates { met stakeholders { name } } }
  competitorThreats { stakeholder { name } contacts { rep { name } } converter { ... on Stakeholder { name } } }
  informationCompleteness { score missing { stakeholders { name } } }
} } } }
"""


def _many(count: int) -> list[dict[str, Any]]:
    deal = DOCUMENT["opportunities"][0]
    return [{**deal, "externalId": f"o{i}", "name": f"Deal {i:02}"} for i in range(count)]


async def test_a_page_of_opportunities_with_their_analytics_costs_a_fixed_number_of_reads(
    client: GraphQLClient, query_count: QueryCounterView
) -> None:
    await import_deals(client, opportunities=_many(1))
    query_count.reset()
    one = (await client.data(PAGE))["accountByExternalId"]["opportunities"]["nodes"]
    reads_for_one = query_count.value

    await import_deals(client, opportunities=_many(12))
    await client.data(PAGE)  # the account's snapshot is read again after the write
    query_count.reset()
    twelve = (await client.data(PAGE))["accountByExternalId"]["opportunities"]["nodes"]

    # the account, the page, the deal snapshots of every opportunity on it, the account's clock (its snapshot
    # is cached) and the buying centres' stakeholders: one round trip each, however many opportunities
    assert (reads_for_one, query_count.value) == (6, 5)
    assert len(twelve) == 12
    assert all(row == {**one[0], "name": row["name"]} for row in twelve)
    assert [t["stakeholder"]["name"] for t in one[0]["competitorThreats"]] == ["Ada", "Cy"]
