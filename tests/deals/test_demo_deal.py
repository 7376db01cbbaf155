"""The Canon Zhuhai demo deal through the GraphQL API: the seed's own case (004), answered exactly.

Stage E (提交初步方案): the quotation went to 唐军; the customer sets its technical criteria (step 6).
"""

from __future__ import annotations

from typing import Any

import pytest

from service.demo import load_demo_accounts
from service.graph.database import Database
from service.usecases.services import Services
from tests.conftest import GraphQLClient
from tests.test_account_import import canon, run_import

CANON = {"source": "demo", "id": "acc-canon-zh"}

DEAL = """
query($source: String!, $id: String!) {
  accountByExternalId(source: $source, id: $id) {
    opportunities(first: 10) { totalCount nodes { id %s } }
  }
}
"""


async def opportunity(client: GraphQLClient, fields: str) -> dict[str, Any]:
    data = await client.data(DEAL % fields, CANON)
    connection = data["accountByExternalId"]["opportunities"]
    assert connection["totalCount"] == 1
    found: dict[str, Any] = connection["nodes"][0]
    return found


async def account(client: GraphQLClient, fields: str, **variables: Any) -> dict[str, Any]:
    declared = "".join(f", ${name}: ID!" for name in variables)
    query = f"query($source: String!, $id: String!{declared}) {{ accountByExternalId(source: $source, id: $id) {{ {fields} }} }}"
    found: dict[str, Any] = (await client.data(query, {**CANON, **variables}))["accountByExternalId"]
    return found


@pytest.fixture
async def demo(client: GraphQLClient) -> GraphQLClient:
    payload = await run_import(client, canon())
    assert payload["userErrors"] == []
    return client


async def test_loading_the_demo_gives_the_canon_deal(client: GraphQLClient, db: Database, workspace: str) -> None:
    await load_demo_accounts(Services(db), workspace)
    found = await opportunity(
        client,
        """name salesStage salesStageName winProbability procurementStep procurementStepName decisionStage status
           buyClass externalIds { source id }
           burningIssue { text owner { name } personal timeImmediate certain qualified }
           ucv { text measurable metric deliverableBy customerDeadline unique }
           buyingCentreCount competitors { competitor { name origin } incumbent }""",
    )
    del found["id"]
    assert found == {
        "name": "钢板模块供应商替换(替换X公司)",
        "salesStage": "E",
        "salesStageName": "提交初步方案",
        "winProbability": 25,
        "procurementStep": 6,
        "procurementStepName": "建立技术标准",
        "decisionStage": "SET_CRITERIA",
        "status": "OPEN",
        "buyClass": "MODIFIED_REBUY",
        "externalIds": [{"source": "demo", "id": "opp-canon-steel"}],
        "burningIssue": {
            "text": "X公司服务很糟: 遇到问题要无尽等候, 留言没人回; 钢板模块都是标准版; 希望找价格更合理、服务更快捷的公司",
            "owner": {"name": "唐军"},
            "personal": True,
            "timeImmediate": None,
            "certain": None,
            "qualified": False,
        },
        "ucv": {
            "text": "更快捷的服务、更合理的价格、定制钢板模块",
            "measurable": False,
            "metric": None,
            "deliverableBy": None,
            "customerDeadline": None,
            "unique": None,
        },
        "buyingCentreCount": 8,
        "competitors": [
            {"competitor": {"name": "B公司", "origin": "国内同行"}, "incumbent": False},
            {"competitor": {"name": "X公司", "origin": "国外公司"}, "incumbent": True},
        ],
    }


async def test_qualification_says_why_the_deal_is_not_qualified(demo: GraphQLClient) -> None:
    found = await opportunity(
        demo,
        """qualification { qualified reason alignment alignmentReason
             burningIssue { recorded qualified checks { check met reason } }
             ucv { recorded qualified checks { check met stakeholders { name } stakeholderCount } }
             gates { stage gate met reason stakeholders { name } stakeholderCount } }""",
    )
    q = found["qualification"]
    assert q["qualified"] is False
    assert q["reason"] == (
        "Not qualified. The B.I. of 唐军 (办公室主任) is not qualified: time-immediate: unknown, certain: unknown. "
        "The UCV is not qualified: measurable: no; unique: unknown; deliverable by the deadline: unknown "
        "(our delivery date and the customer's deadline not recorded); "
        "opposed on the decision chain by 周敏 (财务总监): OPPONENT, 林涛 (采购部经理): ENEMY."
    )
    assert q["burningIssue"] == {
        "recorded": True,
        "qualified": False,
        "checks": [
            {"check": "PERSONAL", "met": True, "reason": "personal: yes"},
            {"check": "TIME_IMMEDIATE", "met": False, "reason": "time-immediate: unknown"},
            {"check": "CERTAIN", "met": False, "reason": "certain: unknown"},
        ],
    }
    assert q["ucv"] == {
        "recorded": True,
        "qualified": False,
        "checks": [
            {"check": "MEASURABLE", "met": False, "stakeholders": [], "stakeholderCount": 0},
            {"check": "UNIQUE", "met": False, "stakeholders": [], "stakeholderCount": 0},
            {"check": "DELIVERABLE_BY_DEADLINE", "met": False, "stakeholders": [], "stakeholderCount": 0},
            {
                "check": "NOT_OPPOSED",
                "met": False,
                "stakeholders": [{"name": "周敏"}, {"name": "林涛"}],
                "stakeholderCount": 2,
            },
        ],
    }
    assert q["gates"] == [
        {
            "stage": "G",
            "gate": "HANDLER_IDENTIFIED",
            "met": True,
            "reason": "Handler (经手人士): 唐军 (办公室主任).",
            "stakeholders": [{"name": "唐军"}],
            "stakeholderCount": 1,
        },
        {
            "stage": "F",
            "gate": "HANDLER_COVERED",
            "met": True,
            "reason": "We cover the handler 唐军 (办公室主任).",
            "stakeholders": [{"name": "唐军"}],
            "stakeholderCount": 1,
        },
        {
            "stage": "E",
            "gate": "COACH_IN_BUYING_CENTRE",
            "met": True,
            "reason": "Qualified coach (内线) in the buying centre: 王磊 (生产部经理).",
            "stakeholders": [{"name": "王磊"}],
            "stakeholderCount": 1,
        },
    ]
    assert (q["alignment"], q["alignmentReason"]) == (
        "ALIGNED",
        "The customer is at step 6 (建立技术标准), we are at E (提交初步方案, 25%): aligned.",
    )


async def test_scorecard_names_the_criteria_we_lose_and_who_cares(demo: GraphQLClient) -> None:
    found = await opportunity(
        demo,
        """scorecard { criterionCount totalCount lostCriterionCount
             totals { competitor { name } total unscored reason }
             lostCriteria { criterion weight ourScore gap reason aheadCount ahead { competitor { name } score gap }
               caringMemberCount caringMembers { stakeholder { name } care influence favours { name } } } }""",
    )
    card = found["scorecard"]
    assert (card["criterionCount"], card["totalCount"], card["lostCriterionCount"]) == (8, 3, 2)
    assert card["totals"] == [
        {"competitor": None, "total": 4.35, "unscored": [], "reason": "Us: weighted total 4.35."},
        {
            "competitor": {"name": "X公司"},
            "total": 3.85,
            "unscored": [],
            "reason": "X公司 (国外公司, incumbent): weighted total 3.85.",
        },
        {
            "competitor": {"name": "B公司"},
            "total": 3.8,
            "unscored": [],
            "reason": "B公司 (国内同行): weighted total 3.8.",
        },
    ]
    assert card["lostCriteria"] == [
        {
            "criterion": "行业标准",
            "weight": 0.1,
            "ourScore": 3,
            "gap": 1,
            "reason": "行业标准 (weight 0.1): we score 3, behind X公司 4. Who cares: 何志远 (技术部经理), care 5/5, "
            "influence 3/5.",
            "aheadCount": 1,
            "ahead": [{"competitor": {"name": "X公司"}, "score": 4, "gap": 1}],
            "caringMemberCount": 1,
            "caringMembers": [{"stakeholder": {"name": "何志远"}, "care": 5, "influence": 3, "favours": []}],
        },
        {
            "criterion": "品牌",
            "weight": 0.1,
            "ourScore": 4,
            "gap": 1,
            "reason": "品牌 (weight 0.1): we score 4, behind B公司 5, X公司 5. Who cares: 周敏 (财务总监), care 4/5, "
            "influence 4/5, favours X公司.",
            "aheadCount": 2,
            "ahead": [
                {"competitor": {"name": "B公司"}, "score": 5, "gap": 1},
                {"competitor": {"name": "X公司"}, "score": 5, "gap": 1},
            ],
            "caringMemberCount": 1,
            "caringMembers": [
                {"stakeholder": {"name": "周敏"}, "care": 4, "influence": 4, "favours": [{"name": "X公司"}]}
            ],
        },
    ]


async def test_competitor_threats_put_the_finance_director_first(demo: GraphQLClient) -> None:
    found = await opportunity(
        demo,
        """competitorThreatCount
           competitorThreats { stakeholder { name } leverage contactStrength converterStrength converterHops reason
             favourCount favours { competitor { name } note }
             contactCount contacts { rep { name competitor { name } } visitsPerMonth typicalMinutes form topics strength }
             competitorCount competitors { name }
             converter { __typename ... on Stakeholder { name } ... on TeamMember { name } }
             path { ... on Stakeholder { name } } }""",
    )
    assert found["competitorThreatCount"] == 3
    rows = found["competitorThreats"]
    assert [(r["stakeholder"]["name"], r["leverage"], r["contactStrength"]) for r in rows] == [
        ("周敏", 1.0, 5),
        ("林涛", 0.6, 1),
        ("何志远", 0.36, 1),
    ]
    assert [r["reason"] for r in rows] == [
        "周敏 (财务总监), leverage 1: favours X公司 (三年前选择了X公司钢铁); "
        "X公司's rep 田中 meets them 1×/month, 120 min, 商务宴请, on 续约, 价格, strength 5/5. "
        "To win them back, use 王磊: 王磊 (生产部经理) reaches 周敏 in 2 hops: 王磊 → 孙丽 → 周敏, 2/5 × 3/5 = 0.24.",
        "林涛 (采购部经理), leverage 0.6: favours X公司 (与X公司的田中来往密切, 与财务总监结盟维持X公司); "
        "X公司's rep 田中 meets them 4×/month, 拜访, on 订单, 交货, strength unrated. "
        "Nobody who supports us reaches them yet.",
        "何志远 (技术部经理), leverage 0.36: B公司's rep 赵刚 meets them 2×/month, 技术交流, on 行业标准, "
        "strength unrated. Nobody who supports us reaches them yet.",
    ]
    first = rows[0]
    assert first["favours"] == [{"competitor": {"name": "X公司"}, "note": "三年前选择了X公司钢铁"}]
    assert first["contacts"] == [
        {
            "rep": {"name": "田中", "competitor": {"name": "X公司"}},
            "visitsPerMonth": 1.0,
            "typicalMinutes": 120,
            "form": "商务宴请",
            "topics": ["续约", "价格"],
            "strength": 5,
        }
    ]
    assert (first["favourCount"], first["contactCount"], first["competitorCount"]) == (1, 1, 1)
    assert first["competitors"] == [{"name": "X公司"}]
    assert first["converter"] == {"__typename": "Stakeholder", "name": "王磊"}
    assert (first["converterStrength"], first["converterHops"]) == (0.24, 2)
    assert first["path"] == [{"name": "王磊"}, {"name": "孙丽"}, {"name": "周敏"}]
    assert [(r["converter"], r["path"]) for r in rows[1:]] == [(None, []), (None, [])]


async def test_threats_are_bounded_with_a_clear_error_beyond_100(demo: GraphQLClient) -> None:
    found = await opportunity(demo, "competitorThreats(first: 1) { stakeholder { name } } competitorThreatCount")
    assert (found["competitorThreats"], found["competitorThreatCount"]) == ([{"stakeholder": {"name": "周敏"}}], 3)
    body = await demo.execute(DEAL % "competitorThreats(first: 101) { leverage }", CANON)
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        ("`first` must be between 0 and 100, got 101.", {"code": "LIMIT_EXCEEDED", "field": "first"})
    ]


async def test_information_completeness(demo: GraphQLClient) -> None:
    found = await opportunity(
        demo,
        """informationCompleteness(asOf: "2024-03-20T00:00:00+08:00") {
             score level2Met level2Applicable level2Score level3Met level3Applicable cadenceDays checkCount missingCount
             missing(first: 100) { level item stakeholders { name } } }""",
    )
    result = found["informationCompleteness"]
    assert {k: v for k, v in result.items() if k != "missing"} == {
        "score": 5 / 16,
        "level2Met": 2,
        "level2Applicable": 5,
        "level2Score": 0.4,
        "level3Met": 3,
        "level3Applicable": 11,
        "cadenceDays": 60,
        "checkCount": 16,
        "missingCount": 11,
    }
    assert [(m["level"], m["item"], [p["name"] for p in m["stakeholders"]]) for m in result["missing"]] == [
        (2, "BUDGET_KNOWN", []),
        (2, "CLOSE_DATE", []),
        (2, "DECISION_MAKER_CONTACT", ["山田浩二"]),
        (3, "BACKGROUND_NOTES", ["何志远"]),
        (3, "BACKGROUND_NOTES", ["孙丽"]),
        (3, "BACKGROUND_NOTES", ["山田浩二"]),
        (3, "PHONE", ["何志远"]),
        (3, "PHONE", ["周敏"]),
        (3, "PHONE", ["孙丽"]),
        (3, "PHONE", ["山田浩二"]),
        (3, "KEY_PERSON_INTERACTIONS", ["何志远", "周敏", "孙丽", "山田浩二"]),
    ]


async def test_account_analytics_read_roles_from_the_opportunitys_buying_centre(demo: GraphQLClient) -> None:
    deal = (await opportunity(demo, ""))["id"]
    fields = """coverageGaps(asOf: "2024-03-20T00:00:00+08:00") { kind stakeholder { name } }
                supportScore"""
    whole = await account(demo, fields)
    scoped = await account(
        demo,
        fields.replace("coverageGaps(", "coverageGaps(opportunity: $deal, ").replace(
            "supportScore", "supportScore(opportunity: $deal)"
        ),
        deal=deal,
    )

    def uncovered(found: dict[str, Any]) -> list[str]:
        return sorted(g["stakeholder"]["name"] for g in found["coverageGaps"] if g["kind"] == "UNCOVERED_KEY_PERSON")

    # 刘建华 and 郑雪 (influence 4) and the technical buyers 陈静 and 黄晓东 are key persons of the account,
    # but outside this buying centre.
    assert uncovered(whole) == sorted(["何志远", "刘建华", "周敏", "孙丽", "山田浩二", "郑雪", "陈静", "黄晓东"])
    assert uncovered(scoped) == sorted(["山田浩二", "周敏", "孙丽", "何志远"])
    # Influence-weighted stance of the role holders in the deal: (-1x4 + 1x2 - 2x3 + 1x3) / 26
    assert whole["supportScore"] == pytest.approx(-0.125)
    assert scoped["supportScore"] == pytest.approx(-5 / 26)


async def test_an_opportunity_of_another_account_or_a_bad_id_is_a_clear_error(demo: GraphQLClient) -> None:
    deal = (await opportunity(demo, ""))["id"]
    other = await demo.data("""mutation { accountCreate(input: {name: "Other"}) { account { id } } }""")
    other_id = other["accountCreate"]["account"]["id"]
    body = await demo.execute(
        "query($id: ID!, $deal: ID!) { account(id: $id) { supportScore(opportunity: $deal) } }",
        {"id": other_id, "deal": deal},
    )
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        (f"`opportunity`: no opportunity {deal!r} on this account.", {"code": "NOT_FOUND", "field": "opportunity"})
    ]
    body = await demo.execute(
        "query($id: ID!) { account(id: $id) { supportScore(opportunity: $id) } }", {"id": other_id}
    )
    assert [e["message"] for e in body["errors"]] == ["`opportunity` is not a Opportunity id."]
