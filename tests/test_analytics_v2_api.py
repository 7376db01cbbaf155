"""Analytics v2 (DOMAIN.md rules 13-17) over GraphQL on the demo account, against the real Neo4j: the
exact answers the rules give on the same data (tests/rules/test_canon_v2.py), bounded lists with their
counts, and the reasons. As of 2024-03-20 (Beijing), three days after the last visit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient, QueryCounterView
from tests.test_account_import import canon, run_import
from tests.test_analytics_api import account_data, person_id

AS_OF = "2024-03-20T00:00:00+08:00"
NODE = "__typename ... on Stakeholder { name } ... on TeamMember { name }"


@pytest.fixture
async def demo(client: GraphQLClient) -> GraphQLClient:
    await run_import(client, canon())
    return client


async def set_tier(client: GraphQLClient, tier: str | None, portfolio_class: str | None = None) -> None:
    account = await account_data(client, "id")
    update = "mutation($input: AccountUpdateInput!) { accountUpdate(input: $input) { userErrors { code } } }"
    data = {"id": account["id"], "tier": tier, "portfolioClass": portfolio_class}
    changed = await client.data(update, {"input": data})
    assert changed["accountUpdate"]["userErrors"] == []


# --- rule 13 -----------------------------------------------------------------------------------
async def test_the_access_path_to_the_general_manager_goes_through_tang_juns_reporting_line(
    demo: GraphQLClient,
) -> None:
    gm = await person_id(demo, "山田浩二")
    account = await account_data(
        demo,
        f"accessPaths(to: $gm) {{ strength hops reason teamMember {{ name }} path {{ {NODE} }} }} accessPathCount(to: $gm)",
        gm=gm,
    )
    assert account["accessPaths"] == [
        {
            "strength": pytest.approx(0.36),
            "hops": 2,
            "reason": "张华 covers 唐军 3/5; 唐军 reports to 山田浩二 3/5: strength 0.36.",
            "teamMember": {"name": "张华"},
            "path": [
                {"__typename": "TeamMember", "name": "张华"},
                {"__typename": "Stakeholder", "name": "唐军"},
                {"__typename": "Stakeholder", "name": "山田浩二"},
            ],
        }
    ]
    assert account["accessPathCount"] == 1


async def test_coach_candidates_are_introduced_through_reporting_lines(demo: GraphQLClient) -> None:
    account = await account_data(demo, "coachCandidates(first: 20) { introducedVia { name } stakeholder { name } }")
    via = {c["stakeholder"]["name"]: [p["name"] for p in c["introducedVia"]] for c in account["coachCandidates"]}
    assert via["山田浩二"] == ["唐军", "山田浩二"]  # 唐军 reports to the GM
    assert via["王磊"] == []  # covered


# --- rule 15 -----------------------------------------------------------------------------------
async def test_tang_jun_is_the_single_point_of_failure_to_the_finance_director(demo: GraphQLClient) -> None:
    account = await account_data(
        demo,
        f"""coverageGaps(asOf: "{AS_OF}", first: 100) {{ kind severity reason suggestion stakeholder {{ name }}
               singlePoint {{ {NODE} }} }}""",
    )
    single = [g for g in account["coverageGaps"] if g["kind"] == "SINGLE_POINT_OF_FAILURE"]
    assert [(g["stakeholder"]["name"], g["singlePoint"], g["severity"]) for g in single] == [
        ("周敏", {"__typename": "Stakeholder", "name": "唐军"}, 1.0),
        ("山田浩二", {"__typename": "Stakeholder", "name": "唐军"}, 1.0),
        ("刘建华", {"__typename": "Stakeholder", "name": "王磊"}, pytest.approx(0.8)),
        ("王磊", {"__typename": "TeamMember", "name": "刘洋"}, pytest.approx(0.64)),
        ("孙丽", {"__typename": "Stakeholder", "name": "王磊"}, pytest.approx(0.6)),
    ]
    assert single[0]["reason"] == (
        "周敏 (财务总监) is a key person (APPROVER, influence 4/5, core of 红色圈 财务-行政圈, VIP contact tier); "
        "every warm route we have to them starts at our 张华 and goes through 唐军 (办公室主任): 张华 → 唐军 → 周敏."
    )
    assert single[0]["suggestion"] == (
        "Open a second route to 周敏 that does not depend on 唐军: cover 周敏 directly, or win a supporter "
        "who reaches them another way."
    )
    others = [g["singlePoint"] for g in account["coverageGaps"] if g["kind"] != "SINGLE_POINT_OF_FAILURE"]
    assert others == [None] * len(others)


# --- rule 14 -----------------------------------------------------------------------------------
OVERDUE = f"""cadenceDays overdueContactCount(asOf: "{AS_OF}")
  overdueContacts(asOf: "{AS_OF}", first: $first) {{ dueIntervalDays lastContactAt daysOverdue reason stakeholder {{ name }} }}"""


async def overdue(client: GraphQLClient, first: int = 100) -> dict[str, Any]:
    query = (
        "query($source: String!, $id: String!, $first: Int) "
        f"{{ accountByExternalId(source: $source, id: $id) {{ {OVERDUE} }} }}"
    )
    data = await client.data(query, {"source": "demo", "id": "acc-canon-zh", "first": first})
    account: dict[str, Any] = data["accountByExternalId"]
    return account


async def test_overdue_contacts_of_a_tier_a_account(demo: GraphQLClient) -> None:
    """Tier A: every 15 days; VIP and FREQUENT every 7; 许静 (NONE) never; 唐军 met 03-17, due 03-24."""
    await set_tier(demo, "A")
    account = await overdue(demo)
    assert (account["cadenceDays"], account["overdueContactCount"]) == (15, 14)
    rows = [(r["stakeholder"]["name"], r["dueIntervalDays"], r["daysOverdue"]) for r in account["overdueContacts"]]
    assert rows == [
        ("周敏", 7, None),
        ("山田浩二", 7, None),
        ("刘建华", 7, None),
        ("孙丽", 7, None),
        ("林涛", 7, None),
        ("郑雪", 7, None),
        ("吴芳", 15, None),
        ("李娜", 7, None),
        ("何志远", 7, None),
        ("陈静", 15, None),
        ("高远", 15, None),
        ("黄晓东", 15, None),
        ("王磊", 7, 14),
        ("赵强", 15, 6),
    ]
    first, wang = account["overdueContacts"][0], account["overdueContacts"][-2]
    assert (first["lastContactAt"], first["reason"]) == (
        None,
        "周敏 (财务总监) is due every 7 days (tier A account: visit every 15 days, halved for a VIP contact); "
        "we have never met them.",
    )
    assert (wang["lastContactAt"], wang["reason"]) == (
        "2024-02-27T10:00:00+08:00",
        "王磊 (生产部经理) is due every 7 days (tier A account: visit every 15 days, halved for a FREQUENT "
        "contact); last contact 2024-02-27, 14 day(s) overdue.",
    )
    assert [r["stakeholder"]["name"] for r in (await overdue(demo, first=2))["overdueContacts"]] == ["周敏", "山田浩二"]


async def test_the_cadence_follows_tier_and_portfolio_class(demo: GraphQLClient) -> None:
    """The demo is tier C (60 days, FREQUENT 30): 王磊 and 赵强 were met 22 days before, nobody else ever."""
    account = await overdue(demo)
    assert (account["cadenceDays"], account["overdueContactCount"]) == (60, 12)
    assert all(r["lastContactAt"] is None for r in account["overdueContacts"])
    await set_tier(demo, "C", "VOLCANO")  # at most 30: FREQUENT every 15, 王磊 due 03-13
    account = await overdue(demo)
    assert account["cadenceDays"] == 30
    assert [(r["stakeholder"]["name"], r["daysOverdue"]) for r in account["overdueContacts"][-1:]] == [("王磊", 6)]
    await set_tier(demo, "A", "DOG")  # at least 60
    assert (await overdue(demo))["cadenceDays"] == 60


async def test_an_import_sets_tier_and_portfolio_class(client: GraphQLClient) -> None:
    document = canon()
    document["input"]["account"].update(tier="A", portfolioClass="VOLCANO")
    await run_import(client, document)
    account = await account_data(client, "tier portfolioClass cadenceDays")
    assert account == {"tier": "A", "portfolioClass": "VOLCANO", "cadenceDays": 15}
    document["input"]["account"].update(tier="C")
    assert (await run_import(client, document))["updated"] == 1  # the account alone
    assert (await account_data(client, "cadenceDays"))["cadenceDays"] == 30  # C 60, VOLCANO at most 30
    document["input"]["account"].pop("portfolioClass")
    document["input"]["mode"] = "MERGE"  # keeps what the document leaves out
    await run_import(client, document)
    assert (await account_data(client, "portfolioClass"))["portfolioClass"] == "VOLCANO"


async def test_every_stakeholder_carries_its_due_date(demo: GraphQLClient) -> None:
    await set_tier(demo, "A")
    account = await account_data(
        demo, "stakeholders(first: 100) { nodes { name lastContactAt contactIntervalDays contactDueAt } }"
    )
    due = {n["name"]: (n["contactIntervalDays"], n["contactDueAt"]) for n in account["stakeholders"]["nodes"]}
    assert due["唐军"] == (7, "2024-03-24T10:00:00+08:00")  # FREQUENT, met 03-17 10:00
    assert due["赵强"] == (15, "2024-03-13T10:00:00+08:00")  # LIGHT, met 02-27 10:00
    assert due["周敏"] == (7, None)  # never met: due at once
    assert due["许静"] == (None, None)  # contact tier NONE: never due


async def test_an_archived_stakeholder_has_no_due_date(demo: GraphQLClient) -> None:
    zhao = await person_id(demo, "赵强")
    archive = "mutation($input: StakeholderArchiveInput!) { stakeholderArchive(input: $input) { userErrors { code } } }"
    assert (await demo.data(archive, {"input": {"id": zhao}}))["stakeholderArchive"]["userErrors"] == []
    data = await demo.data(
        "query($id: ID!) { node(id: $id) { ... on Stakeholder { contactIntervalDays contactDueAt } } }", {"id": zhao}
    )
    assert data["node"] == {"contactIntervalDays": None, "contactDueAt": None}


# --- rule 16 -----------------------------------------------------------------------------------
async def test_brokers_bridge_the_two_circles(demo: GraphQLClient) -> None:
    account = await account_data(
        demo, "brokers(first: 100) { betweenness covered reason stakeholder { name } } brokerCount"
    )
    rows = [(r["stakeholder"]["name"], r["covered"]) for r in account["brokers"]]
    assert rows == [
        ("周敏", False),
        ("孙丽", False),
        ("刘建华", False),
        ("山田浩二", False),
        ("王磊", True),
        ("何志远", False),
        ("吴芳", False),
        ("郑雪", False),
        ("唐军", True),
        ("林涛", False),
        ("李娜", False),
    ]
    assert account["brokerCount"] == 11
    top = account["brokers"][0]
    assert top["betweenness"] == pytest.approx(149 / 450)  # networkx: 0.3311
    assert top["reason"] == (
        "周敏 (财务总监) bridges the account: betweenness 0.331, linked to 6 people across 2 circle(s); "
        "nobody on our team covers them: a broker we do not reach."
    )
    assert account["brokers"][4]["reason"].endswith("we cover them (刘洋).")
    bounded = await account_data(demo, "brokers { stakeholder { name } } few: brokers(first: 2) { covered }")
    assert len(bounded["brokers"]) == 11  # default 20
    assert bounded["few"] == [{"covered": False}, {"covered": False}]


async def test_lists_beyond_100_rows_are_a_clear_error(demo: GraphQLClient) -> None:
    for field in ("brokers(first: 101) { covered }", "overdueContacts(first: 101) { reason }"):
        body = await demo.execute(
            f"query($s: String!, $i: String!) {{ accountByExternalId(source: $s, id: $i) {{ {field} }} }}",
            {"s": "demo", "i": "acc-canon-zh"},
        )
        assert body["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED", "field": "first"}


# --- rule 17 -----------------------------------------------------------------------------------
async def test_simulating_a_neutral_finance_director(demo: GraphQLClient) -> None:
    cfo = await person_id(demo, "周敏")
    account = await account_data(
        demo,
        f"""simulate(changes: [{{stakeholder: $cfo, stance: NEUTRAL}}]) {{
              neutralsBefore neutralsAfter neutralToConvertCount
              neutralsToConvert(first: 2) {{ converterStrength reason stakeholder {{ name stance }} converter {{ {NODE} }} }}
              coverageGapCount(asOf: "{AS_OF}")
              coverageGaps(asOf: "{AS_OF}", first: 3) {{ kind stakeholder {{ name stance }} singlePoint {{ {NODE} }} }}
              powerMap {{ circleCount circles(first: 1) {{ stanceBalance circle {{ name }} }} }} }}
           neutralToConvertCount
           stakeholders(search: "周敏") {{ nodes {{ stance }} }}""",
        cfo=cfo,
    )
    simulation = account["simulate"]
    assert (simulation["neutralsBefore"], simulation["neutralsAfter"]) == (11, 12)
    assert simulation["neutralToConvertCount"] == account["neutralToConvertCount"] + 1
    assert [(r["stakeholder"], r["converter"], r["converterStrength"]) for r in simulation["neutralsToConvert"]] == [
        ({"name": "山田浩二", "stance": "NEUTRAL"}, {"__typename": "Stakeholder", "name": "王磊"}, pytest.approx(0.64)),
        ({"name": "周敏", "stance": "NEUTRAL"}, {"__typename": "Stakeholder", "name": "王磊"}, pytest.approx(0.24)),
    ]
    assert simulation["neutralsToConvert"][1]["reason"] == (
        "周敏 (财务总监) is NEUTRAL and has leverage 1. To win them over, use 王磊 (SUPPORTER): 王磊 (生产部经理) "
        "reaches 周敏 in 2 hops: 王磊 → 孙丽 → 周敏, 2/5 × 3/5 = 0.24."
    )
    assert simulation["coverageGaps"] == [
        {"kind": "UNCOVERED_KEY_PERSON", "stakeholder": {"name": "周敏", "stance": "NEUTRAL"}, "singlePoint": None},
        {"kind": "UNCOVERED_KEY_PERSON", "stakeholder": {"name": "山田浩二", "stance": "NEUTRAL"}, "singlePoint": None},
        {
            "kind": "SINGLE_POINT_OF_FAILURE",
            "stakeholder": {"name": "周敏", "stance": "NEUTRAL"},
            "singlePoint": {"__typename": "Stakeholder", "name": "唐军"},
        },
    ]
    assert simulation["coverageGapCount"] == 14
    assert simulation["powerMap"]["circles"] == [
        {"stanceBalance": pytest.approx(-4 / 21), "circle": {"name": "红色圈 财务-行政圈"}}
    ]
    assert account["stakeholders"]["nodes"] == [{"stance": "OPPONENT"}]  # nothing written


async def test_a_bad_simulated_change_is_named(demo: GraphQLClient) -> None:
    body = await demo.execute(
        "query($s: String!, $i: String!) { accountByExternalId(source: $s, id: $i) { "
        'simulate(changes: [{stakeholder: "nope", stance: NEUTRAL}]) { powerMap { circleCount } } } }',
        {"s": "demo", "i": "acc-canon-zh"},
    )
    assert body["errors"][0]["message"] == "`changes.0.stakeholder` is not a Stakeholder id."


async def test_the_v2_analytics_share_the_requests_snapshot(demo: GraphQLClient, query_count: QueryCounterView) -> None:
    cfo = await person_id(demo, "周敏")
    query_count.reset()
    await account_data(
        demo,
        f"""overdueContacts {{ reason stakeholder {{ contactDueAt }} }} overdueContactCount brokers {{ reason }}
            brokerCount coverageGaps {{ singlePoint {{ {NODE} }} }}
            simulate(changes: [{{stakeholder: $cfo, stance: NEUTRAL}}]) {{ coverageGaps {{ kind }}
              neutralsToConvert {{ stakeholder {{ name }} }} powerMap {{ circles {{ members }} }} }}""",
        cfo=cfo,
    )
    # the account, the graph clock and one snapshot; the team member named as a single point, one batch
    assert query_count.value == 4
