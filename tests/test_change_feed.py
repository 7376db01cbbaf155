"""The change feed through the API: commit order, paging, filters, roles, isolation, bad and expired cursors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from service.rules.access import Role
from service.rules.change_feed import Cursor, decode_cursor, encode_cursor
from tests.conftest import ClientFactory, GraphQLClient
from tests.deals.support import import_deals
from tests.schema.factories import USER_ERRORS, import_account, mutate
from tests.sync.entity_helpers import call, visit

FEED = """query($after: String, $first: Int! = 100, $types: [String!], $account: ID) {
  changes(after: $after, first: $first, entityTypes: $types, accountId: $account) {
    entries { entityType entityId externalIds { source id } accountId operation fields { name old new } fieldValues
      cursor }
    endCursor hasMore } }"""


async def feed(client: GraphQLClient, **variables: Any) -> dict[str, Any]:
    page: dict[str, Any] = (await client.data(FEED, variables))["changes"]
    return page


async def read_all(client: GraphQLClient, after: str | None = None, first: int = 100, **filters: Any) -> list[Any]:
    """Every entry after `after`, page by page."""
    entries: list[Any] = []
    while True:
        page = await feed(client, after=after, first=first, **filters)
        entries += page["entries"]
        after = page["endCursor"]
        if not page["hasMore"]:
            return entries


def summary(entries: list[dict[str, Any]]) -> list[tuple[str, str, list[str]]]:
    return [(e["entityType"], e["operation"], [f["name"] for f in e["fields"]]) for e in entries]


async def test_entries_come_in_commit_order_with_external_ids_and_values(client: GraphQLClient) -> None:
    acc = await import_account(client, people=["p1"])
    start = await feed(client)
    assert summary(start["entries"]) == [
        ("Account", "CREATED", ["name"]),
        ("Stakeholder", "CREATED", ["buyerTypes", "buyingRoles", "name", "stance"]),
    ]
    account, person = start["entries"]
    assert (account["entityId"], account["externalIds"]) == (acc.account, [{"source": "crm", "id": "acc-1"}])
    assert (person["entityId"], person["externalIds"], person["accountId"]) == (
        acc["p1"],
        [{"source": "crm", "id": "p1"}],
        acc.account,
    )
    assert start["hasMore"] is False

    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "stance": "SUPPORTER", "title": "CFO"}, USER_ERRORS)
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "title": "CEO"}, USER_ERRORS)
    later = await feed(client, after=start["endCursor"])
    assert [(e["operation"], e["fields"]) for e in later["entries"]] == [
        (
            "UPDATED",
            [
                {"name": "stance", "old": '"UNKNOWN"', "new": '"SUPPORTER"'},
                {"name": "title", "old": None, "new": '"CFO"'},
            ],
        ),
        ("UPDATED", [{"name": "title", "old": '"CFO"', "new": '"CEO"'}]),
    ]
    assert [e["fieldValues"] for e in later["entries"]] == [
        {"stance": {"old": "UNKNOWN", "new": "SUPPORTER"}, "title": {"old": None, "new": "CFO"}},
        {"title": {"old": "CFO", "new": "CEO"}},
    ]
    assert (await feed(client, after=later["endCursor"]))["entries"] == []


async def test_pages_resume_from_any_cursor_without_skipping_or_repeating(client: GraphQLClient) -> None:
    acc = await import_account(client, people=["p1", "p2", "p3", "p4"])
    for index in range(3):
        await mutate(client, "stakeholderUpdate", {"id": acc["p2"], "title": f"Title {index}"}, USER_ERRORS)
    everything = await read_all(client)
    assert len(everything) == 8
    positions = [_position(e["cursor"]) for e in everything]
    assert positions == sorted(set(positions))
    in_threes = await read_all(client, first=3)
    assert (_keys(in_threes), [_position(e["cursor"]) for e in in_threes]) == (_keys(everything), positions)
    middle = everything[4]["cursor"]
    assert _keys(await read_all(client, after=middle, first=2)) == _keys(everything[5:])
    first_two = await feed(client, first=2)
    assert (len(first_two["entries"]), first_two["hasMore"]) == (2, True)
    assert _keys((await feed(client, after=first_two["endCursor"], first=1))["entries"]) == _keys(everything[2:3])
    nothing = await feed(client, first=0)
    assert (nothing["entries"], nothing["hasMore"]) == ([], True)


def _position(cursor: str) -> tuple[int, int]:
    decoded = decode_cursor(cursor)
    assert decoded is not None
    return decoded.position.number, decoded.position.seq


def _keys(entries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["entityId"], e["operation"], str(e["fields"])) for e in entries]


async def test_filters_by_entity_type_and_account(client: GraphQLClient) -> None:
    one = await import_account(client, "acc-1", people=["p1"], team=["t1"])
    two = await import_account(client, "acc-2", people=["q1"])
    await mutate(client, "stakeholderUpdate", {"id": two["q1"], "title": "Buyer"}, USER_ERRORS)
    people = await read_all(client, types=["Stakeholder"])
    assert [(e["entityId"], e["operation"]) for e in people] == [
        (one["p1"], "CREATED"),
        (two["q1"], "CREATED"),
        (two["q1"], "UPDATED"),
    ]
    of_two = await read_all(client, account=two.account, first=1)
    assert [(e["entityType"], e["operation"]) for e in of_two] == [
        ("Account", "CREATED"),
        ("Stakeholder", "CREATED"),
        ("Stakeholder", "UPDATED"),
    ]
    assert await read_all(client, types=["NoSuchKind"]) == []
    team = await read_all(client, types=["TeamMember"])
    assert [(e["entityId"], e["externalIds"]) for e in team] == [(one.team["t1"], [{"source": "crm", "id": "t1"}])]


async def test_every_kind_of_entity_comes_with_its_external_ids(client: GraphQLClient) -> None:
    deals = await import_deals(client)
    payload = await call(client, "interactionsUpsert", account="acc-d", interactions=[visit("v1", "p1")])
    assert payload["failed"] == 0
    entries = await read_all(client)
    found = {(e["entityType"], e["entityId"]): [ref["id"] for ref in e["externalIds"]] for e in entries}
    expected = {
        ("Account", deals.account): ["acc-d"],
        **{("Stakeholder", deals[key]): [key] for key in ("p1", "p2", "p3", "p4")},
        ("TeamMember", deals["t1"]): ["t1"],
        **{("Competitor", deals[key]): [key] for key in ("c1", "c2")},
        **{("CompetitorRep", deals[key]): [key] for key in ("r1", "r2")},
        **{("Opportunity", deals[key]): [key] for key in ("o1", "o2")},
        ("Interaction", payload["results"][0]["id"]): ["v1"],
    }
    assert {key: found.get(key) for key in expected} == expected
    assert all(refs == [] for key, refs in found.items() if key not in expected)


async def test_an_integration_key_sees_no_intelligence(clients: ClientFactory) -> None:
    admin = await clients(Role.ADMIN)
    acc = await import_account(
        admin, people=["p1", "p2"], influences=[{"from": "p1", "to": "p2", "strength": 3}], circles=["red"]
    )
    await mutate(admin, "stakeholderUpdate", {"id": acc["p1"], "stance": "SUPPORTER"}, USER_ERRORS)
    await mutate(admin, "stakeholderUpdate", {"id": acc["p1"], "stance": "MENTOR", "title": "CFO"}, USER_ERRORS)
    everything = summary(await read_all(admin))
    assert ("InfluenceLink", "CREATED", ["from", "strength", "to"]) in everything
    assert ("Circle", "CREATED", ["name"]) in everything
    assert ("Stakeholder", "UPDATED", ["stance"]) in everything
    for role in (Role.VIEWER, Role.STRATEGIST):
        assert summary(await read_all(await clients(role))) == everything
    integration = await read_all(await clients(Role.INTEGRATION), first=2)
    assert summary(integration) == [
        ("Account", "CREATED", ["name"]),
        ("Stakeholder", "CREATED", ["name"]),
        ("Stakeholder", "CREATED", ["name"]),
        ("Stakeholder", "UPDATED", ["title"]),  # the stance is left out, and the stance-only change
    ]
    assert [list(e["fieldValues"]) for e in integration] == [[f["name"] for f in e["fields"]] for e in integration]
    assert "SUPPORTER" not in str(integration)
    assert "MENTOR" not in str(integration)


async def test_another_workspace_changes_never_show(clients: ClientFactory, other_workspace: str) -> None:
    mine = await clients(Role.ADMIN)
    theirs = await clients(Role.ADMIN, other_workspace)
    await import_account(theirs, "acc-1", people=["p1", "p2"])
    await import_account(mine, "acc-1", people=["p1"])
    my_page = await feed(mine)
    assert summary(my_page["entries"]) == [
        ("Account", "CREATED", ["name"]),
        ("Stakeholder", "CREATED", ["buyerTypes", "buyingRoles", "name", "stance"]),
    ]
    assert (await feed(theirs, after=my_page["endCursor"]))["entries"] == []  # a position, nothing more
    assert len(await read_all(theirs)) == 3


async def test_a_bad_cursor_or_page_size_is_a_client_error_naming_it(client: GraphQLClient) -> None:
    forged = [base64.urlsafe_b64encode(text.encode()).decode() for text in ("f1:x:1:1", "f0:1:1:1", "f1:-5:0:1")]
    for after in ("not a cursor", *forged):
        body = await client.execute(FEED, {"after": after})
        error = body["errors"][0]
        assert (error["extensions"]["code"], error["extensions"]["field"]) == ("INVALID_CURSOR", "after")
        assert error["message"] == "`after` is not a change feed cursor."
    too_many = (await client.execute(FEED, {"first": 1001}))["errors"][0]
    assert too_many["message"] == "`first` must be between 0 and 1000, got 1001."
    assert (await client.execute(FEED, {"account": "bm90IGFuIGlk"}))["errors"][0]["extensions"]["field"] == "accountId"


async def test_a_cursor_past_the_retention_expires(client: GraphQLClient) -> None:
    await import_account(client, people=["p1"])
    page = await feed(client, first=1)
    cursor = decode_cursor(page["endCursor"])
    assert cursor is not None
    now = datetime.now(UTC)
    fresh = encode_cursor(Cursor(cursor.position, now - timedelta(days=29)))
    assert len((await feed(client, after=fresh))["entries"]) == 1
    stale = encode_cursor(Cursor(cursor.position, now - timedelta(days=31)))
    error = (await client.execute(FEED, {"after": stale}))["errors"][0]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("CURSOR_EXPIRED", "after")
    assert "retention (30 days)" in error["message"]
    assert "full sync" in error["message"]


async def test_an_entitys_external_ids_come_in_the_order_its_own_field_gives(client: GraphQLClient) -> None:
    acc = await import_account(client, people=["p1", "p2"])
    await mutate(client, "stakeholderMerge", {"survivor": acc["p1"], "duplicate": acc["p2"]}, USER_ERRORS)
    own = await client.data("query($id: ID!) { stakeholder(id: $id) { externalIds { source id } } }", {"id": acc["p1"]})
    of_survivor = [
        e["externalIds"] for e in await read_all(client, types=["Stakeholder"]) if e["entityId"] == acc["p1"]
    ]
    assert own["stakeholder"]["externalIds"] == [{"source": "crm", "id": "p1"}, {"source": "crm", "id": "p2"}]
    assert of_survivor == [own["stakeholder"]["externalIds"]] * 2  # created, then merged into
