"""An opportunity's parts by hand: burning issue, UCV, buying centre, competitors involved and scorecard."""

from __future__ import annotations

from service.graph.database import Database
from service.schema.ids import raw_id_of
from tests.conftest import GraphQLClient
from tests.deals.support import DealIds, changes, import_deals, import_deals_elsewhere
from tests.schema.factories import USER_ERRORS, error, import_account, mutate, snapshot

ISSUE = (
    f"opportunity {{ burningIssue {{ text owner {{ name }} personal timeImmediate certain qualified }} }} {USER_ERRORS}"
)
UCV = f"opportunity {{ ucv {{ text measurable metric deliverableBy customerDeadline unique }} }} {USER_ERRORS}"
MEMBER = "stakeholder { name } buyingRoles buyerTypes effectiveBuyingRoles effectiveBuyerTypes handler projectLead"
MEMBERS = (
    f"buyingCentreMember {{ {MEMBER} }} opportunity {{ buyingCentreCount buyingCentre {{ {MEMBER} }} }} {USER_ERRORS}"
)
COMPETITORS = "opportunity { competitorCount competitors { competitor { name } incumbent } }"
CARD = """opportunity { scorecard { criterionCount totals { competitor { name } total }
            criteria { name weight ourScore competitorScores { competitor { name } score } cares { stakeholder { name } weight } } } }"""


def raw(ids: DealIds, key: str, kind: str) -> str:
    found = raw_id_of(ids[key], kind)
    assert found is not None
    return found


async def test_burning_issue_set_and_remove(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    given = {"opportunity": ids["o2"], "text": "Line stops", "owner": ids["p3"], "personal": True, "certain": True}
    payload = await mutate(client, "burningIssueSet", {**given, "timeImmediate": True}, ISSUE)
    assert payload == {
        "opportunity": {
            "burningIssue": {
                "text": "Line stops",
                "owner": {"name": "Cy"},
                "personal": True,
                "timeImmediate": True,
                "certain": True,
                "qualified": True,
            }
        },
        "userErrors": [],
    }
    again = await mutate(client, "burningIssueSet", given, ISSUE)  # left out: unknown
    assert again["opportunity"]["burningIssue"]["timeImmediate"] is None
    removed = await mutate(client, "burningIssueRemove", {"opportunity": ids["o2"]}, ISSUE)
    assert removed == {"opportunity": {"burningIssue": None}, "userErrors": []}
    logged = [
        (c[1], c[2], c[4]) for c in await changes(db, workspace, "Opportunity") if c[0] == raw(ids, "o2", "Opportunity")
    ]
    owner = raw(ids, "p3", "Stakeholder")
    assert logged[1:] == [
        (
            "UPDATED",
            [
                "burningIssueCertain",
                "burningIssueOwnerId",
                "burningIssuePersonal",
                "burningIssueText",
                "burningIssueTimeImmediate",
            ],
            [True, owner, True, "Line stops", True],
        ),
        ("UPDATED", ["burningIssueTimeImmediate"], [None]),
        (
            "UPDATED",
            ["burningIssueCertain", "burningIssueOwnerId", "burningIssuePersonal", "burningIssueText"],
            [None, None, None, None],
        ),
    ]
    history = await client.data(
        "query($id: ID!) { stakeholder(id: $id) { history { entity field newValue } } }", {"id": ids["p3"]}
    )
    assert {"entity": "Opportunity", "field": "burningIssueText", "newValue": '"Line stops"'} in history["stakeholder"][
        "history"
    ]


async def test_burning_issue_problems_write_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    elsewhere = await import_deals_elsewhere(db, other_workspace)
    await mutate(client, "stakeholderArchive", {"id": ids["p4"]}, USER_ERRORS)
    before = await snapshot(db, workspace, other_workspace)
    payload = await mutate(client, "burningIssueSet", {"opportunity": ids["o2"], "text": "", "owner": ids["p4"]}, ISSUE)
    assert payload["userErrors"] == [
        error(["input", "owner"], f"stakeholder {ids['p4']!r} is archived; restore them first."),
        error(["input", "text"], "text must not be empty."),
    ]
    payload = await mutate(
        client, "burningIssueSet", {"opportunity": elsewhere["o1"], "text": "x", "owner": elsewhere["p1"]}, ISSUE
    )
    assert payload["userErrors"] == [
        error(["input", "opportunity"], f"no opportunity with id {elsewhere['o1']!r}.", "NOT_FOUND"),
        error(["input", "owner"], f"no stakeholder with id {elsewhere['p1']!r}.", "NOT_FOUND"),
    ]
    payload = await mutate(client, "burningIssueRemove", {"opportunity": ids["o2"]}, ISSUE)
    assert payload["userErrors"] == [
        error(["input", "opportunity"], "the opportunity has no burning issue.", "NOT_FOUND")
    ]
    payload = await mutate(client, "ucvRemove", {"opportunity": ids["o2"]}, UCV)
    assert payload["userErrors"] == [error(["input", "opportunity"], "the opportunity has no UCV.", "NOT_FOUND")]
    assert await snapshot(db, workspace, other_workspace) == before


async def test_ucv_set_and_remove(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    given = {"opportunity": ids["o2"], "text": "Faster", "measurable": True, "deliverableBy": "2024-05-01"}
    payload = await mutate(client, "ucvSet", given, UCV)
    assert payload == {
        "opportunity": {
            "ucv": {
                "text": "Faster",
                "measurable": True,
                "metric": None,
                "deliverableBy": "2024-05-01",
                "customerDeadline": None,
                "unique": None,
            }
        },
        "userErrors": [],
    }
    bad = await mutate(client, "ucvSet", {"opportunity": ids["o2"], "text": " ", "metric": "m" * 201}, UCV)
    assert bad["userErrors"] == [
        error(["input", "text"], "text must not be empty."),
        error(["input", "metric"], "metric must be at most 200 characters."),
    ]
    removed = await mutate(client, "ucvRemove", {"opportunity": ids["o2"]}, UCV)
    assert removed == {"opportunity": {"ucv": None}, "userErrors": []}
    logged = [
        (c[1], c[2]) for c in await changes(db, workspace, "Opportunity") if c[0] == raw(ids, "o2", "Opportunity")
    ]
    assert logged[1:] == [
        ("UPDATED", ["ucvDeliverableBy", "ucvMeasurable", "ucvText"]),
        ("UPDATED", ["ucvDeliverableBy", "ucvMeasurable", "ucvText"]),
    ]


async def test_buying_centre_member_set_and_remove(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    given = {"opportunity": ids["o2"], "stakeholder": ids["p1"], "handler": True}
    payload = await mutate(client, "buyingCentreMemberSet", given, MEMBERS)
    inherited = {
        "stakeholder": {"name": "Ada"},
        "buyingRoles": None,
        "buyerTypes": None,
        "effectiveBuyingRoles": ["DECISION_MAKER"],
        "effectiveBuyerTypes": ["ECONOMIC"],
        "handler": True,
        "projectLead": False,
    }
    assert payload == {
        "buyingCentreMember": inherited,
        "opportunity": {"buyingCentreCount": 1, "buyingCentre": [inherited]},
        "userErrors": [],
    }
    given = {**given, "buyingRoles": ["USER"], "buyerTypes": [], "handler": False, "projectLead": True}
    payload = await mutate(client, "buyingCentreMemberSet", given, MEMBERS)
    overridden = {
        **inherited,
        "buyingRoles": ["USER"],
        "buyerTypes": [],
        "effectiveBuyingRoles": ["USER"],
        "effectiveBuyerTypes": [],
        "handler": False,
        "projectLead": True,
    }
    assert payload["buyingCentreMember"] == overridden
    removed = await mutate(
        client,
        "buyingCentreMemberRemove",
        {"opportunity": ids["o2"], "stakeholder": ids["p1"]},
        f"opportunity {{ buyingCentreCount }} {USER_ERRORS}",
    )
    assert removed == {"opportunity": {"buyingCentreCount": 0}, "userErrors": []}
    member = f"{raw(ids, 'o2', 'Opportunity')}:{raw(ids, 'p1', 'Stakeholder')}"
    logged = [(c[1], c[2], c[3], c[4]) for c in await changes(db, workspace, "BuyingCentreMember") if c[0] == member]
    opportunity, person = raw(ids, "o2", "Opportunity"), raw(ids, "p1", "Stakeholder")
    assert logged == [
        (
            "CREATED",
            ["handler", "opportunityId", "projectLead", "stakeholderId"],
            [None] * 4,
            [True, opportunity, False, person],
        ),
        (
            "UPDATED",
            ["buyerTypes", "buyingRoles", "handler", "projectLead"],
            [None, None, True, False],
            [[], ["USER"], False, True],
        ),
        (
            "DELETED",
            ["buyerTypes", "buyingRoles", "handler", "opportunityId", "projectLead", "stakeholderId"],
            [[], ["USER"], False, opportunity, True, person],
            [None] * 6,
        ),
    ]


async def test_buying_centre_problems_write_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    other = await import_account(client, "acc-e", ["q1"])
    elsewhere = await import_deals_elsewhere(db, other_workspace)
    before = await snapshot(db, workspace, other_workspace)
    outsider = other["q1"]
    payload = await mutate(
        client, "buyingCentreMemberSet", {"opportunity": ids["o2"], "stakeholder": outsider}, MEMBERS
    )
    assert payload["userErrors"] == [
        error(["input", "stakeholder"], f"stakeholder {outsider!r} is in another account than `opportunity`.")
    ]
    payload = await mutate(
        client, "buyingCentreMemberSet", {"opportunity": elsewhere["o1"], "stakeholder": elsewhere["p1"]}, MEMBERS
    )
    assert payload["userErrors"] == [
        error(["input", "opportunity"], f"no opportunity with id {elsewhere['o1']!r}.", "NOT_FOUND"),
        error(["input", "stakeholder"], f"no stakeholder with id {elsewhere['p1']!r}.", "NOT_FOUND"),
    ]
    payload = await mutate(
        client, "buyingCentreMemberRemove", {"opportunity": ids["o2"], "stakeholder": ids["p1"]}, USER_ERRORS
    )
    assert payload["userErrors"] == [
        error(["input", "stakeholder"], "the stakeholder is not in the opportunity's buying centre.", "NOT_FOUND")
    ]
    assert await snapshot(db, workspace, other_workspace) == before


async def test_opportunity_competitor_set_and_remove(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    given = {"opportunity": ids["o2"], "competitor": ids["c2"], "incumbent": True}
    payload = await mutate(
        client,
        "opportunityCompetitorSet",
        given,
        f"opportunityCompetitor {{ competitor {{ name }} incumbent }} {COMPETITORS} {USER_ERRORS}",
    )
    assert payload == {
        "opportunityCompetitor": {"competitor": {"name": "Local Co"}, "incumbent": True},
        "opportunity": {"competitorCount": 1, "competitors": [{"competitor": {"name": "Local Co"}, "incumbent": True}]},
        "userErrors": [],
    }
    removed = await mutate(
        client,
        "opportunityCompetitorRemove",
        {"opportunity": ids["o2"], "competitor": ids["c2"]},
        f"{COMPETITORS} {USER_ERRORS}",
    )
    assert removed == {"opportunity": {"competitorCount": 0, "competitors": []}, "userErrors": []}
    key = f"{raw(ids, 'o2', 'Opportunity')}:{raw(ids, 'c2', 'Competitor')}"
    assert [(c[1], c[2]) for c in await changes(db, workspace, "CompetitorInvolvement") if c[0] == key] == [
        ("CREATED", ["competitorId", "incumbent", "opportunityId"]),
        ("DELETED", ["competitorId", "incumbent", "opportunityId"]),
    ]


async def test_a_scored_competitor_cannot_leave_the_opportunity(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    before = await snapshot(db, workspace, other_workspace)
    payload = await mutate(
        client, "opportunityCompetitorRemove", {"opportunity": ids["o1"], "competitor": ids["c2"]}, USER_ERRORS
    )
    assert payload["userErrors"] == [
        error(
            ["input", "competitor"],
            "the opportunity's scorecard scores this competitor; set the scorecard without it first.",
            "CONFLICT",
        )
    ]
    payload = await mutate(
        client, "opportunityCompetitorRemove", {"opportunity": ids["o2"], "competitor": ids["c2"]}, USER_ERRORS
    )
    assert payload["userErrors"] == [
        error(["input", "competitor"], "the competitor is not involved in the opportunity.", "NOT_FOUND")
    ]
    assert await snapshot(db, workspace, other_workspace) == before


async def test_scorecard_set_replaces_the_matrix(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    criteria = [
        {
            "name": "Quality",
            "weight": 0.7,
            "ourScore": 5,
            "competitorScores": [{"competitor": ids["c1"], "score": 4}],
            "cares": [{"stakeholder": ids["p2"], "weight": 3}],
        },
        {"name": "Price", "weight": 0.3, "ourScore": 2, "competitorScores": [{"competitor": ids["c1"], "score": 5}]},
    ]
    payload = await mutate(
        client, "scorecardSet", {"opportunity": ids["o1"], "criteria": criteria}, f"{CARD} {USER_ERRORS}"
    )
    assert payload == {
        "opportunity": {
            "scorecard": {
                "criterionCount": 2,
                "totals": [
                    {"competitor": {"name": "Foreign Co"}, "total": 4.3},
                    {"competitor": None, "total": 4.1},
                    {"competitor": {"name": "Local Co"}, "total": 0.0},
                ],
                "criteria": [
                    {
                        "name": "Quality",
                        "weight": 0.7,
                        "ourScore": 5,
                        "competitorScores": [{"competitor": {"name": "Foreign Co"}, "score": 4}],
                        "cares": [{"stakeholder": {"name": "Bo"}, "weight": 3}],
                    },
                    {
                        "name": "Price",
                        "weight": 0.3,
                        "ourScore": 2,
                        "competitorScores": [{"competitor": {"name": "Foreign Co"}, "score": 5}],
                        "cares": [],
                    },
                ],
            }
        },
        "userErrors": [],
    }
    logged = await changes(db, workspace, "Scorecard")
    o1, c1, p2 = raw(ids, "o1", "Opportunity"), raw(ids, "c1", "Competitor"), raw(ids, "p2", "Stakeholder")
    assert logged[-1][:3] == (o1, "UPDATED", ["criteria"])
    assert logged[-1][4] == [
        [
            {"name": "Quality", "weight": 0.7, "ourScore": 5, "competitorScores": [[c1, 4]], "cares": [[p2, 3]]},
            {"name": "Price", "weight": 0.3, "ourScore": 2, "competitorScores": [[c1, 5]], "cares": []},
        ]
    ]
    removed = await mutate(
        client,
        "scorecardRemove",
        {"opportunity": ids["o1"]},
        f"opportunity {{ scorecard {{ criterionCount }} }} {USER_ERRORS}",
    )
    assert removed == {"opportunity": {"scorecard": None}, "userErrors": []}
    assert (await changes(db, workspace, "Scorecard"))[-1][1:3] == ("DELETED", ["criteria", "opportunityId"])


async def test_scorecard_weights_must_sum_to_one_and_every_problem_is_named(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    before = await snapshot(db, workspace, other_workspace)
    criteria = [
        {
            "name": "Quality",
            "weight": 0.5,
            "ourScore": 5,
            "competitorScores": [{"competitor": ids["c1"], "score": 4}, {"competitor": ids["c1"], "score": 3}],
        },
        {
            "name": "Price",
            "weight": 0.3,
            "ourScore": 6,
            "competitorScores": [{"competitor": ids["r1"], "score": 5}],
            "cares": [{"stakeholder": ids["p1"], "weight": 0}, {"stakeholder": ids["o1"], "weight": 2}],
        },
    ]
    payload = await mutate(client, "scorecardSet", {"opportunity": ids["o2"], "criteria": criteria}, USER_ERRORS)
    assert payload["userErrors"] == [
        error(
            ["input", "criteria", "0", "competitorScores", "1", "competitor"],
            "duplicates item 0; each competitor may appear once.",
            "CONFLICT",
        ),
        error(
            ["input", "criteria", "0", "competitorScores", "0", "competitor"],
            f"competitor {ids['c1']!r} is not involved in this opportunity; add it to its competitors first.",
            "NOT_FOUND",
        ),
        error(
            ["input", "criteria", "0", "competitorScores", "1", "competitor"],
            f"competitor {ids['c1']!r} is not involved in this opportunity; add it to its competitors first.",
            "NOT_FOUND",
        ),
        error(["input", "criteria", "1", "ourScore"], "ourScore must be between 1 and 5, got 6."),
        error(
            ["input", "criteria", "1", "competitorScores", "0", "competitor"],
            f"competitor {ids['r1']!r} is not involved in this opportunity; add it to its competitors first.",
            "NOT_FOUND",
        ),
        error(["input", "criteria", "1", "cares", "0", "weight"], "weight must be between 1 and 5, got 0."),
        error(
            ["input", "criteria", "1", "cares", "1", "stakeholder"],
            f"no stakeholder with id {ids['o1']!r}.",
            "NOT_FOUND",
        ),
        error(["input", "criteria"], "the criteria's weights must sum to 1, got 0.8."),
    ]
    assert await snapshot(db, workspace, other_workspace) == before
