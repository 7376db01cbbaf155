"""stakeholderMerge carries the duplicate's part in deals over to the survivor."""

from __future__ import annotations

from service.graph.database import Database
from service.schema.ids import raw_id_of
from tests.conftest import GraphQLClient
from tests.deals.support import changes, import_deals
from tests.schema.factories import USER_ERRORS, mutate

DEAL = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  burningIssue { owner { name } }
  buyingCentre { stakeholder { name } buyingRoles handler projectLead }
  scorecard { criteria { name cares { stakeholder { name } weight } } } } } }"""
PERSON = """query($id: ID!) { node(id: $id) { ... on Stakeholder {
  favours { competitor { name } } competitorContacts { rep { name } visitsPerMonth } } } }"""


async def test_the_duplicates_deals_move_to_the_survivor(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    merged = await mutate(client, "stakeholderMerge", {"survivor": ids["p4"], "duplicate": ids["p1"]}, USER_ERRORS)
    assert merged == {"userErrors": []}
    merged = await mutate(client, "stakeholderMerge", {"survivor": ids["p3"], "duplicate": ids["p2"]}, USER_ERRORS)
    assert merged == {"userErrors": []}

    deal = (await client.data(DEAL, {"id": ids["o1"]}))["node"]
    assert deal == {
        "burningIssue": {"owner": {"name": "Cy"}},
        "buyingCentre": [  # Cy keeps their own membership: Bo's is dropped
            {"stakeholder": {"name": "Cy"}, "buyingRoles": ["APPROVER"], "handler": False, "projectLead": False},
            {"stakeholder": {"name": "Di"}, "buyingRoles": None, "handler": False, "projectLead": True},
        ],
        "scorecard": {
            "criteria": [
                {
                    "name": "Price",
                    "cares": [
                        {"stakeholder": {"name": "Di"}, "weight": 5},
                        {"stakeholder": {"name": "Cy"}, "weight": 2},
                    ],
                },
                {"name": "Service", "cares": []},
            ]
        },
    }
    survivor = (await client.data(PERSON, {"id": ids["p4"]}))["node"]
    assert survivor == {"favours": [], "competitorContacts": [{"rep": {"name": "Rep One"}, "visitsPerMonth": 2.5}]}
    o1, p1, p4 = (
        raw_id_of(ids[k], t) for k, t in (("o1", "Opportunity"), ("p1", "Stakeholder"), ("p4", "Stakeholder"))
    )
    members = [
        (c[0], c[1])
        for c in await changes(db, workspace, "BuyingCentreMember")
        if c[1] != "CREATED" or c[0] == f"{o1}:{p4}"
    ]
    assert members == [
        (f"{o1}:{p1}", "DELETED"),
        (f"{o1}:{p4}", "CREATED"),
        (f"{o1}:{raw_id_of(ids['p2'], 'Stakeholder')}", "DELETED"),
    ]
    assert [c[1:3] for c in await changes(db, workspace, "Scorecard")] == [
        ("CREATED", ["criteria", "opportunityId"]),
        ("UPDATED", ["criteria"]),  # Ada's care moved to Di; Bo cared about nothing
    ]
