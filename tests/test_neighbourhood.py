"""Reading people with what the query selects around them: the same answers as the field-by-field
DataLoader reads, in a fixed number of round trips."""

from __future__ import annotations

from service.graph import reads
from service.graph.database import Database
from service.graph.neighbourhood import NOTHING, Around, stakeholders_around
from service.schema.ids import encode_id
from service.schema.selection import around_of
from tests.conftest import GraphQLClient, QueryCounterView
from tests.schema.factories import USER_ERRORS, mutate
from tests.test_account_import import canon, run_import, shanghai

EVERYTHING = Around(
    influences=True,
    influenced_by=True,
    ties=True,
    memberships=True,
    coverage=True,
    last_contact=True,
    reports_to=True,
    direct_reports=True,
    people=True,
)

ZHOU = "MATCH (s:Stakeholder {workspaceId: $ws, name: '周敏'}) RETURN s.id AS id"
PEOPLE = "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN s.id AS id ORDER BY s.name, s.id"


async def everyone(db: Database, workspace: str) -> list[str]:
    rows, _, _ = await db.driver.execute_query(PEOPLE, ws=workspace)
    return [row["id"] for row in rows]


async def test_surroundings_equal_what_each_field_reads_alone(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await run_import(client, canon())
    await run_import(client, shanghai())
    ids = await everyone(db, workspace)
    rows, _, _ = await db.driver.execute_query(ZHOU, ws=workspace)  # influences people, in a circle, covered
    gone = encode_id("Stakeholder", rows[0]["id"])
    await mutate(client, "stakeholderArchive", {"id": gone}, f"stakeholder {{ archived }} {USER_ERRORS}")

    records, hood = await db.read(stakeholders_around, workspace, EVERYTHING, ids)

    assert [r.id if r else None for r in records] == ids
    alone = {
        "influences": await db.read(reads.influences_from, workspace, ids),
        "influenced_by": await db.read(reads.influences_to, workspace, ids),
        "ties": await db.read(reads.ties_of, workspace, ids),
        "memberships": await db.read(reads.memberships_by_stakeholder, workspace, ids),
        "coverage": await db.read(reads.coverage_of, workspace, ids),
        "reports_to": [[m.id] if m else [] for m in await db.read(reads.manager_by_stakeholder, workspace, ids)],
        "direct_reports": [[s.id for s in found] for found in await db.read(reads.direct_reports, workspace, ids)],
    }
    for name, expected in alone.items():
        assert [list(getattr(hood.of(i), name)) for i in ids] == expected, name
    assert sum(len(found) for found in alone["influences"]) > 15
    assert any(c.last_contact_at for found in alone["coverage"] for c in found)

    named = {c.circle_id for i in ids for c in hood.of(i).memberships or ()}
    assert hood.circles == {c.id: c for c in await db.read(reads.circles_by_ids, workspace, sorted(named))}
    covering = sorted({c.team_member_id for i in ids for c in hood.of(i).coverage or ()})
    assert hood.team_members == dict(
        zip(covering, await db.read(reads.team_members_by_ids, workspace, covering), strict=True)
    )
    assert set(hood.people) == set(ids)  # everyone named is among the people read


async def test_nothing_asked_reads_no_surroundings(client: GraphQLClient, db: Database, workspace: str) -> None:
    await run_import(client, canon())
    ids = await everyone(db, workspace)
    records, hood = await db.read(stakeholders_around, workspace, NOTHING, ids[:3])
    assert [r.id if r else None for r in records] == ids[:3]
    assert (dict(hood.around), hood.circles, hood.team_members, set(hood.people)) == (
        {i: hood.of(i) for i in ids[:3]},
        {},
        {},
        set(ids[:3]),
    )
    assert all(getattr(hood.of(i), field) is None for i in ids[:3] for field in ("influences", "ties", "coverage"))


def test_people_are_read_whole_only_when_more_than_their_id_is_selected() -> None:
    page = ("nodes.", "edges.node.")

    def around(*paths: str) -> Around:
        return around_of(frozenset(paths), page)

    ids_only = around("nodes.influences", "nodes.influences.to", "nodes.influences.to.id", "nodes.circles")
    assert ids_only == Around(influences=True, memberships=True)
    named = around("edges.node.influences", "edges.node.influences.to", "edges.node.influences.to.name")
    assert named == Around(influences=True, people=True)
    typename = around("nodes.reportsTo", "nodes.reportsTo.__typename", "nodes.reportsTo.id")
    assert typename == Around(reports_to=True)
    own_end = around("nodes.influences", "nodes.influences.from", "nodes.influences.from.name")
    assert own_end == Around(influences=True)  # the link's own end is the person read
    assert around("nodes.coveredBy", "nodes.coveredBy.lastContactAt") == Around(coverage=True, last_contact=True)
    assert around_of(frozenset({"ties", "ties.b", "ties.b.stance"}), ("",)) == Around(ties=True, people=True)


ACCOUNT_PAGE = """
query AccountPage($id: ID!) {
  account(id: $id) {
    id name industry tier
    stakeholders(first: 100) {
      nodes {
        id name stance influence buyingRoles
        influences { strength to { id } }
        circles { core circle { id name } }
        coveredBy { relationshipStep teamMember { id name } }
      }
    }
  }
}
"""

DETAIL = """
query Detail($id: ID!) {
  stakeholder(id: $id) {
    id name stance
    reportsTo { id name }
    directReports { id name }
    circles { core circle { id name } }
    influences { strength kind to { id name } }
    influencedBy { strength kind from { id name } }
    ties { kind strength a { id name } b { id name } }
    coveredBy { relationshipStep relationshipType lastContactAt teamMember { id name } }
  }
}
"""

SAME_THROUGH_LOADERS = """
query Loaders($id: ID!) {
  stakeholder(id: $id) {
    influences { to { id name
      reportsTo { id name }
      directReports { id name }
      circles { core circle { id name } }
      influences { strength kind to { id name } }
      influencedBy { strength kind from { id name } }
      ties { kind strength a { id name } b { id name } }
      coveredBy { relationshipStep relationshipType lastContactAt teamMember { id name } }
    } }
  }
}
"""
"""The people a stakeholder's links lead to are read whole, without their own surroundings: those come
from the DataLoaders, field by field."""


async def test_the_account_page_and_the_detail_cost_one_round_trip_each_and_one_tiny_one_unchanged(
    client: GraphQLClient, query_count: QueryCounterView
) -> None:
    await run_import(client, canon())
    account = (await client.data("{ accounts(first: 1) { nodes { id } } }"))["accounts"]["nodes"][0]["id"]

    query_count.reset()
    page = (await client.data(ACCOUNT_PAGE, {"id": account}))["account"]
    assert query_count.value == 2  # the clock; the account, its people with their links, circles and coverage
    query_count.reset()
    assert (await client.data(ACCOUNT_PAGE, {"id": account}))["account"] == page
    assert query_count.value == 1  # the clock: the page came from the page cache

    people = {p["name"]: p for p in page["stakeholders"]["nodes"]}
    ids = {name: p["id"] for name, p in people.items()}
    assert len(people) == 16
    assert people["唐军"]["influences"] == [
        {"strength": 2, "to": {"id": ids["李娜"]}},
        {"strength": 1, "to": {"id": ids["周敏"]}},
    ]
    assert people["唐军"]["circles"][0]["circle"]["name"] == "红色圈 财务-行政圈"
    assert people["唐军"]["coveredBy"][0]["teamMember"]["name"] == "张华"

    query_count.reset()
    detail = (await client.data(DETAIL, {"id": ids["山田浩二"]}))["stakeholder"]
    assert query_count.value == 2  # the clock; the person with everything around
    query_count.reset()
    assert (await client.data(DETAIL, {"id": ids["山田浩二"]}))["stakeholder"] == detail
    assert query_count.value == 1  # the clock: the detail came from the detail cache
    assert [r["name"] for r in detail["directReports"]] == ["刘建华", "吴芳", "周敏", "唐军", "李娜"]
    assert len(detail["influencedBy"]) == 3


async def test_read_with_the_person_or_field_by_field_the_answers_are_the_same(client: GraphQLClient) -> None:
    await run_import(client, canon())
    await run_import(client, shanghai())
    accounts = (await client.data("{ accounts(first: 2) { nodes { id } } }"))["accounts"]["nodes"]
    compared = 0
    for account in accounts:
        page = (await client.data(ACCOUNT_PAGE, {"id": account["id"]}))["account"]["stakeholders"]["nodes"]
        for person in page:
            links = (await client.data(SAME_THROUGH_LOADERS, {"id": person["id"]}))["stakeholder"]["influences"]
            for link in links:
                field_by_field = link["to"]
                with_the_person = (await client.data(DETAIL, {"id": field_by_field["id"]}))["stakeholder"]
                assert field_by_field == {key: with_the_person[key] for key in field_by_field}
                compared += 1
    assert compared > 20


async def test_two_pages_of_one_account_read_for_themselves(
    client: GraphQLClient, query_count: QueryCounterView
) -> None:
    await run_import(client, canon())
    account = (await client.data("{ accounts(first: 1) { nodes { id } } }"))["accounts"]["nodes"][0]["id"]
    two = """query($id: ID!) { account(id: $id) {
        first: stakeholders(first: 3) { nodes { name influences { to { name } } } }
        rest: stakeholders(first: 20, after: $after) { nodes { name } } } }"""
    one = (await client.data(ACCOUNT_PAGE, {"id": account}))["account"]["stakeholders"]["nodes"]
    after = (await client.data(ONE_CURSOR, {"id": account}))["account"]["stakeholders"]["pageInfo"]["endCursor"]

    query_count.reset()
    both = (await client.data(two.replace("$after", f'"{after}"'), {"id": account}))["account"]
    assert query_count.value == 4  # the clock (for the response cache); the account; each page with what it selects
    query_count.reset()
    assert (await client.data(two.replace("$after", f'"{after}"'), {"id": account}))["account"] == both
    assert query_count.value == 1  # the clock: the whole answer is kept
    assert [p["name"] for p in both["first"]["nodes"]] == [p["name"] for p in one[:3]]
    assert [p["name"] for p in both["rest"]["nodes"]] == [p["name"] for p in one[3:]]
    assert all(link["to"]["name"] for p in both["first"]["nodes"] for link in p["influences"])


ONE_CURSOR = "query($id: ID!) { account(id: $id) { stakeholders(first: 3) { pageInfo { endCursor } } } }"


async def test_a_filtered_page_is_read_with_its_account_whether_arguments_are_literals_or_variables(
    client: GraphQLClient, query_count: QueryCounterView
) -> None:
    await run_import(client, canon())
    listed = """{ accounts(first: 1) { nodes { id
        stakeholders(first: 5, stance: [SUPPORTER, MENTOR], includeArchived: false) { nodes { name stance } } } } }"""
    account = (await client.data(listed))["accounts"]["nodes"][0]
    literal = """query($id: ID!) { account(id: $id) {
        stakeholders(first: 5, stance: [SUPPORTER, MENTOR], includeArchived: false) { nodes { name stance } } } }"""
    variables = """query($id: ID!, $first: Int, $stance: [Stance!]) { account(id: $id) {
        stakeholders(first: $first, stance: $stance) { nodes { name stance } } } }"""

    query_count.reset()
    by_literal = (await client.data(literal, {"id": account["id"]}))["account"]["stakeholders"]
    assert query_count.value == 2  # the clock; the account with its page
    query_count.reset()
    given = {"id": account["id"], "first": 5, "stance": ["SUPPORTER", "MENTOR"]}
    by_variables = (await client.data(variables, given))["account"]["stakeholders"]
    assert query_count.value == 1  # the clock: both plan the same page, which came from the page cache
    assert by_literal == by_variables == account["stakeholders"]
    assert {p["stance"] for p in by_literal["nodes"]} <= {"SUPPORTER", "MENTOR"}
    assert [p["name"] for p in by_literal["nodes"]] == ["唐军", "王磊", "赵强"]
