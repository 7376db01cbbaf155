"""Reads: the account page, Relay pagination, node lookup and batching (no N+1)."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient, QueryCounterView
from tests.test_account_import import canon, run_import, shanghai

ACCOUNT_PAGE = """
query AccountPage($source: String!, $id: String!) {
  accountByExternalId(source: $source, id: $id) {
    id name industry tier externalIds { source id }
    decisionMakers { name }
    circles { name color members { core stakeholder { name } } rivals { name } }
    team { name role }
    stakeholders(first: 100) {
      totalCount
      nodes {
        name title stance influence buyingRoles buyerTypes level contactTier lastContactAt
        reportsTo { name }
        circles { core circle { name } }
        influences { strength to { name } }
        coveredBy { relationshipStep relationshipType teamMember { name } }
      }
    }
  }
}
"""


def synthetic_account(key: str, people: int) -> dict[str, Any]:
    """An account of `people` stakeholders in a chain of influence, each covered by one team member."""
    ids = [f"{key}-p{i}" for i in range(people)]
    return {
        "input": {
            "source": "synthetic",
            "account": {"externalId": key, "name": f"Account {key}"},
            "stakeholders": [
                {"externalId": p, "name": f"Person {p}", "stance": "NEUTRAL", "influence": 3} for p in ids
            ],
            "influences": [{"from": a, "to": b, "strength": 4} for a, b in zip(ids, ids[1:], strict=False)],
            "team": [{"externalId": f"{key}-t", "name": f"Rep {key}", "role": "SALES"}],
            "coverage": [{"teamMember": f"{key}-t", "stakeholder": p} for p in ids],
        }
    }


async def test_account_page_for_the_demo_account(client: GraphQLClient) -> None:
    await run_import(client, canon())

    data = await client.data(ACCOUNT_PAGE, {"source": "demo", "id": "acc-canon-zh"})

    account = data["accountByExternalId"]
    assert (account["name"], account["tier"], account["externalIds"]) == (
        "日本佳能公司(广东珠海)",
        "C",
        [{"source": "demo", "id": "acc-canon-zh"}],
    )
    assert account["decisionMakers"] == [{"name": "山田浩二"}]
    assert [(c["name"], c["rivals"]) for c in account["circles"]] == [
        ("红色圈 财务-行政圈", [{"name": "绿色圈 生产-技术圈"}]),
        ("绿色圈 生产-技术圈", [{"name": "红色圈 财务-行政圈"}]),
    ]
    assert [m["stakeholder"]["name"] for m in account["circles"][0]["members"] if m["core"]] == ["周敏", "山田浩二"]
    assert len(account["team"]) == 6
    people = {p["name"]: p for p in account["stakeholders"]["nodes"]}
    assert account["stakeholders"]["totalCount"] == len(people) == 16
    tang = people["唐军"]
    assert tang == {
        "name": "唐军",
        "title": "办公室主任",
        "stance": "SUPPORTER",
        "influence": 2,
        "buyingRoles": ["RECOMMENDER"],
        "buyerTypes": ["COACH"],
        "level": "MANAGEMENT",
        "contactTier": "FREQUENT",
        "lastContactAt": "2024-03-17T10:00:00+08:00",
        "reportsTo": {"name": "山田浩二"},
        "circles": [{"core": False, "circle": {"name": "红色圈 财务-行政圈"}}],
        "influences": [{"strength": 2, "to": {"name": "李娜"}}, {"strength": 1, "to": {"name": "周敏"}}],
        "coveredBy": [{"relationshipStep": 3, "relationshipType": "FRIEND", "teamMember": {"name": "张华"}}],
    }
    assert people["周敏"]["influences"] == [{"strength": 5, "to": {"name": "山田浩二"}}]


async def test_stakeholders_paginate_forward_and_backward_with_keyset_cursors(client: GraphQLClient) -> None:
    await run_import(client, synthetic_account("k", 7))
    query = """query($after: String, $before: String, $first: Int, $last: Int) {
      accounts(first: 1) { nodes { stakeholders(first: $first, after: $after, last: $last, before: $before) {
        totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }"""

    async def page(**args: Any) -> dict[str, Any]:
        result: dict[str, Any] = (await client.data(query, args))["accounts"]["nodes"][0]["stakeholders"]
        return result

    first = await page(first=3)
    second = await page(first=3, after=first["pageInfo"]["endCursor"])
    third = await page(first=3, after=second["pageInfo"]["endCursor"])
    back = await page(last=3, before=third["pageInfo"]["startCursor"])

    names = [f"Person k-p{i}" for i in range(7)]
    assert [e["node"]["name"] for e in first["edges"]] == names[0:3]
    assert [e["node"]["name"] for e in second["edges"]] == names[3:6]
    assert [e["node"]["name"] for e in third["edges"]] == names[6:7]
    assert [e["node"]["name"] for e in back["edges"]] == names[3:6]
    assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (True, False)
    assert (third["pageInfo"]["hasNextPage"], third["pageInfo"]["hasPreviousPage"]) == (False, True)
    assert (back["pageInfo"]["hasNextPage"], back["pageInfo"]["hasPreviousPage"]) == (True, True)
    assert first["totalCount"] == third["totalCount"] == 7


async def test_stakeholder_filters_by_stance_role_and_search(client: GraphQLClient) -> None:
    await run_import(client, canon())
    data = await client.data(
        """{ accounts(first: 1) { nodes {
             supporters: stakeholders(stance: [SUPPORTER, MENTOR]) { totalCount nodes { name } }
             recommenders: stakeholders(role: [RECOMMENDER]) { totalCount }
             quality: stakeholders(search: "质检") { nodes { name } } } } }"""
    )
    account = data["accounts"]["nodes"][0]
    assert [n["name"] for n in account["supporters"]["nodes"]] == ["唐军", "王磊", "赵强"]
    assert account["supporters"]["totalCount"] == 3
    assert account["recommenders"]["totalCount"] == 8
    assert [n["name"] for n in account["quality"]["nodes"]] == ["孙丽", "陈静"]


async def test_node_resolves_every_kind_by_its_opaque_id(client: GraphQLClient) -> None:
    await run_import(client, canon())
    ids = await client.data(
        """{ accounts(first: 1) { nodes { id circles { id } team { id } influenceLinks { id } ties { id }
             stakeholders(first: 1) { nodes { id } } } } }"""
    )
    account = ids["accounts"]["nodes"][0]
    wanted = {
        account["id"]: "Account",
        account["circles"][0]["id"]: "PoliticalCircle",
        account["team"][0]["id"]: "TeamMember",
        account["influenceLinks"][0]["id"]: "InfluenceLink",
        account["ties"][0]["id"]: "Tie",
        account["stakeholders"]["nodes"][0]["id"]: "Stakeholder",
    }
    for global_id, type_name in wanted.items():
        data = await client.data("query($id: ID!) { node(id: $id) { __typename id } }", {"id": global_id})
        assert data["node"] == {"__typename": type_name, "id": global_id}
    missing = await client.data('{ node(id: "bm90LWFuLWlk") { id } stakeholder(id: "x") { id } }')
    assert missing == {"node": None, "stakeholder": None}


NESTED = """{
  accounts(first: 10) { nodes { name
    stakeholders(first: 100) { nodes { name influences { strength to { name stance } } } } } }
}"""


async def test_three_level_query_costs_a_constant_number_of_round_trips(
    client: GraphQLClient, query_count: QueryCounterView
) -> None:
    await run_import(client, canon())
    await run_import(client, shanghai())
    query_count.reset()
    small = await client.data(NESTED)
    small_trips = query_count.value

    for key in ("a", "b", "c", "d"):
        await run_import(client, synthetic_account(key, 40))
    query_count.reset()
    large = await client.data(NESTED)
    large_trips = query_count.value

    rows = sum(len(a["stakeholders"]["nodes"]) for a in large["accounts"]["nodes"])
    assert (len(small["accounts"]["nodes"]), len(large["accounts"]["nodes"]), rows) == (2, 6, 180)
    # the accounts page; the stakeholder pages with their influence links and the people those lead to
    assert small_trips == large_trips == 2


async def test_visit_log_newest_first_and_node_lookup(client: GraphQLClient) -> None:
    await run_import(client, canon())
    data = await client.data(
        """{ accounts(first: 1) { nodes { interactions(first: 2) {
             id at type teamMember { name } stakeholders { name } } } } }"""
    )
    log = data["accounts"]["nodes"][0]["interactions"]
    assert [(i["at"], i["type"], i["teamMember"]["name"], i["stakeholders"]) for i in log] == [
        ("2024-03-17T10:00:00+08:00", "PHONE", "张华", [{"name": "唐军"}]),
        ("2024-03-02T10:00:00+08:00", "VISIT", "张华", [{"name": "唐军"}]),
    ]
    node = await client.data("query($id: ID!) { node(id: $id) { __typename } }", {"id": log[0]["id"]})
    assert node == {"node": {"__typename": "Interaction"}}
