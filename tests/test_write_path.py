"""The one write path: per-account clocks, the request's caches after a write, and who made a change."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, import_account, mutate

CLOCKS = "MATCH (a:Account {workspaceId: $ws}) RETURN a.name AS name, a.clock AS clock"


async def clocks(db: Database, ws: str) -> dict[str, Any]:
    rows, _, _ = await db.driver.execute_query(CLOCKS, ws=ws)
    return {row["name"]: row["clock"] for row in rows}


async def test_a_write_ticks_only_the_accounts_it_touches(client: GraphQLClient, db: Database, workspace: str) -> None:
    one = await import_account(client, "acc-1", team=["t1"])
    two = await import_account(client, "acc-2", ["q1"])
    before = await clocks(db, workspace)
    await mutate(client, "stakeholderUpdate", {"id": one["p1"], "stance": "SUPPORTER"}, USER_ERRORS)
    after_update = await clocks(db, workspace)
    assert after_update["Account acc-1"] != before["Account acc-1"]
    assert after_update["Account acc-2"] == before["Account acc-2"]

    await mutate(client, "teamMemberUpdate", {"id": one.team["t1"], "name": "Renamed"}, USER_ERRORS)
    after_rename = await clocks(db, workspace)
    assert after_rename["Account acc-1"] != after_update["Account acc-1"]  # the member is on acc-1's team
    assert after_rename["Account acc-2"] == before["Account acc-2"]

    cover = {"teamMember": one.team["t1"], "stakeholder": two["q1"], "relationshipStep": 2}
    await mutate(client, "coverageSet", cover, USER_ERRORS)
    after_cover = await clocks(db, workspace)
    assert after_cover["Account acc-2"] != before["Account acc-2"]
    await mutate(client, "teamMemberUpdate", {"id": one.team["t1"], "name": "Renamed again"}, USER_ERRORS)
    after_second = await clocks(db, workspace)
    assert after_second["Account acc-1"] != after_cover["Account acc-1"]
    assert after_second["Account acc-2"] != after_cover["Account acc-2"]  # now covers someone there too


async def test_a_refused_write_ticks_nothing(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client)
    before = await clocks(db, workspace)
    payload = await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "influence": 9}, USER_ERRORS)
    assert payload["userErrors"][0]["field"] == ["input", "influence"]
    assert await clocks(db, workspace) == before


async def test_a_write_in_a_request_shows_in_what_the_request_reads_next(client: GraphQLClient) -> None:
    acc = await import_account(client, circles=["red"])
    red = acc.circles["red"]
    members = "circle { members { stakeholder { name } } }"
    three = f"""
        mutation Three($red: ID!, $p1: ID!) {{
          first: circleMemberSet(input: {{circle: $red, stakeholder: $p1}}) {{ {members} }}
          rename: stakeholderUpdate(input: {{id: $p1, name: "Renamed"}}) {{ stakeholder {{ name }} }}
          again: circleMemberSet(input: {{circle: $red, stakeholder: $p1, core: true}}) {{ {members} }}
        }}
    """
    data = await client.data(three, {"red": red, "p1": acc["p1"]})
    assert data["first"]["circle"]["members"] == [{"stakeholder": {"name": "Person p1"}}]
    assert data["rename"]["stakeholder"]["name"] == "Renamed"
    assert data["again"]["circle"]["members"] == [{"stakeholder": {"name": "Renamed"}}]


async def test_history_names_the_acting_principal(client: GraphQLClient) -> None:
    acc = await import_account(client)
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "stance": "MENTOR"}, USER_ERRORS)
    query = "query H($id: ID!) { stakeholder(id: $id) { history(first: 1) { field by } } }"
    rows = (await client.data(query, {"id": acc["p1"]}))["stakeholder"]["history"]
    me = (await client.data("{ me { id } }"))["me"]["id"]
    assert me.startswith("key:")
    assert rows == [{"field": "stance", "by": me}]
