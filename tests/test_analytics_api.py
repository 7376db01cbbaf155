"""The analytics over GraphQL on the demo account: findings, arguments, errors and one shared snapshot."""

from __future__ import annotations

import re
from typing import Any

import pytest

from service.graph.analytics import ACCOUNT_GRAPH, RECORD_FIELDS, load_account_graph
from service.graph.database import Database
from service.graph.snapshots import SnapshotCache
from service.rules.account_graph import AccountGraph
from service.rules.enums import AccountTier, PortfolioClass
from service.schema.ids import require_raw_id
from service.settings import Settings
from tests.conftest import GraphQLClient, QueryCounterView
from tests.sync.helpers import contact, create_account, upsert
from tests.test_account_import import canon, run_import

CANON = {"source": "demo", "id": "acc-canon-zh"}


async def account_data(client: GraphQLClient, fields: str, **variables: Any) -> dict[str, Any]:
    declared = "".join(f", ${name}: ID!" for name in variables)
    query = f"query($source: String!, $id: String!{declared}) {{ accountByExternalId(source: $source, id: $id) {{ {fields} }} }}"
    data = await client.data(query, {**CANON, **variables})
    account: dict[str, Any] = data["accountByExternalId"]
    return account


async def person_id(client: GraphQLClient, name: str) -> str:
    page = await account_data(client, f'stakeholders(search: "{name}") {{ nodes {{ id name }} }}')
    return next(str(n["id"]) for n in page["stakeholders"]["nodes"] if n["name"] == name)


@pytest.fixture
async def demo(client: GraphQLClient) -> GraphQLClient:
    await run_import(client, canon())
    return client


async def test_influencers_of_the_decision_maker(demo: GraphQLClient) -> None:
    account = await account_data(
        demo, "influencers(maxHops: 1) { strength hops reason influencer { name } target { name } path { name } }"
    )
    rows = [(r["influencer"]["name"], r["target"]["name"], r["strength"], r["hops"]) for r in account["influencers"]]
    assert rows == [("周敏", "山田浩二", 1.0, 1), ("刘建华", "山田浩二", 0.8, 1), ("李娜", "山田浩二", 0.4, 1)]
    assert account["influencers"][0]["path"] == [{"name": "周敏"}, {"name": "山田浩二"}]
    assert "周敏" in account["influencers"][0]["reason"]
    assert "5/5" in account["influencers"][0]["reason"]


async def test_neutrals_to_convert_name_their_converter(demo: GraphQLClient) -> None:
    account = await account_data(
        demo,
        """neutralsToConvert(first: 3) { leverage converterStrength reason stakeholder { name }
             converter { __typename ... on Stakeholder { name } ... on TeamMember { name } }
             path { __typename ... on Stakeholder { name } ... on TeamMember { name } } }""",
    )
    top = account["neutralsToConvert"][0]
    assert (top["stakeholder"]["name"], top["leverage"]) == ("山田浩二", 1.0)
    vp = next(r for r in account["neutralsToConvert"] if r["stakeholder"]["name"] == "刘建华")
    assert (vp["converter"], vp["converterStrength"], vp["leverage"]) == (
        {"__typename": "Stakeholder", "name": "王磊"},
        0.8,
        0.8,
    )
    assert vp["path"] == [
        {"__typename": "Stakeholder", "name": "王磊"},
        {"__typename": "Stakeholder", "name": "刘建华"},
    ]


async def test_unlinked_supporters_are_paired_with_a_reason(demo: GraphQLClient) -> None:
    account = await account_data(
        demo, "supporterConsolidation { unlinkedPairs { a { name } b { name } reason } isolatedSupporters { name } }"
    )
    assert account["supporterConsolidation"] == {
        "unlinkedPairs": [
            {
                "a": {"name": "唐军"},
                "b": {"name": "王磊"},
                "reason": "唐军 (办公室主任) and 王磊 (生产部经理) both support us but have no link or tie.",
            },
            {
                "a": {"name": "唐军"},
                "b": {"name": "赵强"},
                "reason": "唐军 (办公室主任) and 赵强 (生产线主管) both support us but have no link or tie.",
            },
        ],
        "isolatedSupporters": [],
    }


async def test_decision_circle_has_no_covered_core(demo: GraphQLClient) -> None:
    account = await account_data(
        demo,
        """coverageGaps { kind severity reason suggestion circle { name } stakeholder { name } }
           powerMap { circles { decisionCircle coreMembers coveredCoreMembers circle { name } } }""",
    )
    kinds = {g["kind"] for g in account["coverageGaps"]}
    assert "NO_CORE_ACCESS" in kinds
    assert "SINGLE_THREADED" not in kinds
    core_gap = next(g for g in account["coverageGaps"] if g["kind"] == "NO_CORE_ACCESS")
    assert (core_gap["circle"], core_gap["severity"]) == ({"name": "红色圈 财务-行政圈"}, 1.0)
    assert core_gap["suggestion"]
    assert account["powerMap"]["circles"][0] == {
        "decisionCircle": True,
        "coreMembers": 2,
        "coveredCoreMembers": 0,
        "circle": {"name": "红色圈 财务-行政圈"},
    }


async def test_coach_candidates_apply_the_seed_rule(demo: GraphQLClient) -> None:
    account = await account_data(demo, "coachCandidates(first: 20) { qualified breadth stakeholder { name } }")
    names = [c["stakeholder"]["name"] for c in account["coachCandidates"]]
    assert "唐军" not in names  # our warmest contact, but influence 2 and a narrow network
    assert {"郑雪", "孙丽"} <= set(names)


async def test_support_score_and_simulation(demo: GraphQLClient) -> None:
    cfo = await person_id(demo, "周敏")
    account = await account_data(
        demo,
        """supportScore simulate(changes: [{stakeholder: $cfo, stance: NEUTRAL}]) {
             supportScoreBefore supportScoreAfter neutralsBefore neutralsAfter opponentsBefore opponentsAfter }""",
        cfo=cfo,
    )
    assert account["supportScore"] == pytest.approx(-0.125)
    simulation = account["simulate"]
    assert simulation["supportScoreBefore"] == pytest.approx(-0.125)
    assert (
        simulation["neutralsAfter"] - simulation["neutralsBefore"],
        simulation["opponentsBefore"] - simulation["opponentsAfter"],
    ) == (1, 1)


async def test_max_hops_out_of_range_is_a_clear_error(demo: GraphQLClient) -> None:
    body = await demo.execute(
        "query($s: String!, $i: String!) { accountByExternalId(source: $s, id: $i) { influencers(maxHops: 7) { hops } } }",
        {"s": "demo", "i": "acc-canon-zh"},
    )
    assert body["errors"][0]["extensions"] == {"code": "INVALID_ARGUMENT", "field": "maxHops"}
    assert body["errors"][0]["message"].startswith("`maxHops`:")


async def test_unknown_target_id_is_a_clear_error(demo: GraphQLClient) -> None:
    body = await demo.execute(
        'query($s: String!, $i: String!) { accountByExternalId(source: $s, id: $i) { accessPaths(to: "nope") { strength } } }',
        {"s": "demo", "i": "acc-canon-zh"},
    )
    assert body["errors"][0]["message"] == "`to` is not a Stakeholder id."


async def test_all_analytics_in_one_request_load_one_snapshot(
    demo: GraphQLClient, query_count: QueryCounterView
) -> None:
    gm = await person_id(demo, "山田浩二")
    query_count.reset()
    await account_data(
        demo,
        """influencers { strength } neutralsToConvert { leverage } opponentsToNeutralize { leverage }
           supporterConsolidation { isolatedSupporters { id } } coverageGaps { kind } coachCandidates { breadth }
           powerMap { circles { members } } supportScore accessPaths(to: $gm) { strength }
           simulate(changes: []) { neutralsBefore }""",
        gm=gm,
    )
    # the account, the graph clock and one snapshot, shared by every analytic; and the team member the
    # access path to the GM starts at (张华 → 唐军 → GM, DOMAIN.md rule 13), one batch
    assert query_count.value == 4


async def test_stakeholders_named_by_analytics_come_with_the_snapshot(
    demo: GraphQLClient, query_count: QueryCounterView
) -> None:
    gm = await person_id(demo, "山田浩二")
    query_count.reset()
    account = await account_data(
        demo,
        """influencers(maxHops: 6) { path { name } } powerMap { unaffiliated { name } circles { circle { name } } }
           coverageGaps { stakeholder { name } } coachCandidates { introducedVia { name } }
           neutralsToConvert { path { ... on Stakeholder { name } ... on TeamMember { name } } }
           accessPaths(to: $gm) { path { id } }""",
        gm=gm,
    )
    assert len(account["influencers"]) == 14  # everyone but 许静, who influences nobody
    # the account, the clock and the snapshot (with every stakeholder named), every circle named (one batch),
    # the team member the access path to the GM starts at (one batch)
    assert query_count.value == 5


STAKEHOLDER_FIELDS = """id name title department email phone level stance influence buyingRoles buyerTypes
                        adaptability personality contactTier notes archived version updatedAt lastContactAt"""


def test_the_snapshot_reads_the_record_fields_in_their_order() -> None:
    listed = re.search(r"collect\(\[\[(.*?)\],", ACCOUNT_GRAPH, re.DOTALL)
    assert listed is not None
    fields = [f.strip().removeprefix("s.").removesuffix(".epochMillis") for f in listed.group(1).split(",")]
    assert fields == list(RECORD_FIELDS)


async def test_stakeholders_named_by_analytics_show_what_a_direct_read_shows(demo: GraphQLClient) -> None:
    account = await account_data(demo, f"coachCandidates(first: 100) {{ stakeholder {{ {STAKEHOLDER_FIELDS} }} }}")
    named = [row["stakeholder"] for row in account["coachCandidates"]]
    assert named
    for person in named:
        direct = await demo.data(
            f"query($id: ID!) {{ node(id: $id) {{ ... on Stakeholder {{ {STAKEHOLDER_FIELDS} }} }} }}",
            {"id": person["id"]},
        )
        assert direct["node"] == person


async def test_cached_snapshot_is_reused_until_the_next_write(
    demo: GraphQLClient, query_count: QueryCounterView
) -> None:
    assert (await account_data(demo, "supportScore"))["supportScore"] == pytest.approx(-0.125)
    query_count.reset()
    assert (await account_data(demo, "supportScore"))["supportScore"] == pytest.approx(-0.125)
    assert query_count.value == 2  # the account and the graph clock: the snapshot came from the cache

    document = canon()
    cfo = next(s for s in document["input"]["stakeholders"] if s["externalId"] == "p-cfo")
    cfo["stance"] = "SUPPORTER"
    await run_import(demo, document)

    assert (await account_data(demo, "supportScore"))["supportScore"] == pytest.approx(
        (-4 + 2 * 4) / 32
    )  # 周敏, influence 4, from -1 to +1


async def test_archived_people_leave_the_snapshot_with_everything_that_touches_them(
    demo: GraphQLClient, db: Database, settings: Settings
) -> None:
    zhou = await person_id(demo, "周敏")
    await demo.data("mutation($id: ID!) { stakeholderArchive(input: {id: $id}) { userErrors { code } } }", {"id": zhou})
    raw = require_raw_id(zhou, "Stakeholder", "id")
    account = await account_data(demo, "id")
    graph = await db.read(load_account_graph, settings.workspace_id, require_raw_id(account["id"], "Account", "id"))
    assert raw not in {p.id for p in graph.people}
    named = (
        [(source, target) for source, target, _ in graph.links]
        + [(tie.a, tie.b) for tie in graph.ties]
        + [(line.person, line.manager) for line in graph.reporting_lines]
        + [(m.person, m.circle) for m in graph.memberships]
        + [(c.person, c.team_member) for c in graph.coverage]
    )
    assert named, "the demo account keeps links, ties, lines, memberships and coverage"
    assert [pair for pair in named if raw in pair] == []
    rows = (await account_data(demo, "influencers(maxHops: 1) { influencer { name } }"))["influencers"]
    assert [r["influencer"]["name"] for r in rows] == ["刘建华", "李娜"]


async def test_people_named_by_analytics_are_kept_with_the_snapshot_until_the_next_write(
    demo: GraphQLClient, query_count: QueryCounterView
) -> None:
    fields = (
        "influencers(maxHops: 1) { influencer { id name } } supporterConsolidation { unlinkedPairs { a { name } } }"
    )
    first = await account_data(demo, fields)
    query_count.reset()
    assert await account_data(demo, fields) == first
    assert query_count.value == 2  # the account and the graph clock: answers and people came with the snapshot

    renamed = first["influencers"][0]["influencer"]
    await demo.data(
        'mutation($id: ID!) { stakeholderUpdate(input: {id: $id, name: "刘建华 (new)"}) { userErrors { code } } }',
        {"id": renamed["id"]},
    )
    again = await account_data(demo, fields)
    assert [r["influencer"]["name"] for r in again["influencers"]] == [
        "刘建华 (new)" if r["influencer"]["id"] == renamed["id"] else r["influencer"]["name"]
        for r in first["influencers"]
    ]


async def test_a_sync_drops_the_cached_snapshot_of_its_own_account_only(
    demo: GraphQLClient, query_count: QueryCounterView
) -> None:
    await create_account(demo)  # another account, known to the CRM
    unaffiliated = "powerMap { unaffiliated { name } }"
    before = [p["name"] for p in (await account_data(demo, unaffiliated))["powerMap"]["unaffiliated"]]

    await upsert(demo, [contact("elsewhere-1")])  # into the other account
    query_count.reset()
    assert [p["name"] for p in (await account_data(demo, unaffiliated))["powerMap"]["unaffiliated"]] == before
    assert query_count.value == 2  # the account and the clocks: the snapshot and its answers stayed cached

    await upsert(demo, [contact("canon-new", "新同事")], account=CANON["id"], source=CANON["source"])
    after = [p["name"] for p in (await account_data(demo, unaffiliated))["powerMap"]["unaffiliated"]]
    assert sorted(after) == sorted([*before, "新同事"])


async def test_the_snapshot_cache_is_bounded_by_the_people_it_holds(
    demo: GraphQLClient, db: Database, settings: Settings
) -> None:
    small = require_raw_id(
        await create_account(demo, stakeholders=[{"externalId": "x1", "name": "X"}]), "Account", "id"
    )
    canon_account = require_raw_id((await account_data(demo, "id"))["id"], "Account", "id")

    async def load(cache: SnapshotCache, account_id: str) -> AccountGraph:
        return await db.read(cache.load, settings.workspace_id, account_id)

    canon_people = len((await db.read(load_account_graph, settings.workspace_id, canon_account)).people)

    roomy = SnapshotCache(people=canon_people + 1)  # room for the canon account and the small one's 1
    canon_graph, small_graph = await load(roomy, canon_account), await load(roomy, small)
    assert await load(roomy, canon_account) is canon_graph
    assert await load(roomy, small) is small_graph

    tight = SnapshotCache(people=canon_people)
    canon_graph = await load(tight, canon_account)
    small_graph = await load(tight, small)  # one person too many: the least recently used goes
    assert await load(tight, small) is small_graph
    assert await load(tight, canon_account) is not canon_graph


async def test_the_snapshot_carries_the_accounts_tier_and_portfolio_class(
    demo: GraphQLClient, db: Database, settings: Settings
) -> None:
    """They set the visit cadence (DOMAIN.md rule 14)."""
    account = await account_data(demo, "id")
    raw = require_raw_id(account["id"], "Account", "id")
    graph = await db.read(load_account_graph, settings.workspace_id, raw)
    assert (graph.tier, graph.portfolio_class) == (AccountTier.C, None)  # the demo: tier C, no class
    update = "mutation($input: AccountUpdateInput!) { accountUpdate(input: $input) { userErrors { code } } }"
    changed = await demo.data(update, {"input": {"id": account["id"], "tier": "A", "portfolioClass": "DOG"}})
    assert changed["accountUpdate"]["userErrors"] == []
    graph = await db.read(load_account_graph, settings.workspace_id, raw)
    assert (graph.tier, graph.portfolio_class) == (AccountTier.A, PortfolioClass.DOG)
