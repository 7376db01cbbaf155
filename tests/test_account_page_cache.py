"""The account page and the stakeholder detail come from their caches while the account's clock stands: one
tiny round trip, the same answer, and every kind of write shows at the next read, through any process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest_asyncio

from service.graph.database import Database
from service.graph.neighbourhood import NOTHING
from service.graph.page_cache import AccountPageCache
from service.graph.pages import StakeholderFilter
from service.rules.access import Principal, Role
from service.rules.paging import PageRequest
from service.schema.ids import require_raw_id
from service.schema.operations import execute_operation
from service.settings import Settings
from service.usecases.services import Services
from tests.conftest import GraphQLClient, QueryCounterView, admin_of_own_app
from tests.schema.factories import USER_ERRORS, import_account, mutate
from tests.sync.helpers import contact, upsert
from tests.test_account_import import canon, run_import
from tests.test_neighbourhood import DETAIL

PAGE = """
query Page($id: ID!) {
  account(id: $id) {
    id name tier
    stakeholders(first: 100) {
      nodes {
        id name stance influence
        reportsTo { id name }
        influences { strength to { id name stance } }
        influencedBy { strength from { id name } }
        ties { kind a { name } b { name } }
        circles { core circle { id name } }
        coveredBy { relationshipStep lastContactAt teamMember { id name } }
      }
    }
  }
}
"""

Read = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


@pytest_asyncio.fixture
async def other_process(settings: Settings, workspace: str) -> AsyncIterator[GraphQLClient]:
    """An admin of the test's workspace on a second app: another worker process, with caches of its own."""
    async with admin_of_own_app(settings, workspace, "other process") as client:
        yield client


async def imported_account(client: GraphQLClient) -> str:
    await run_import(client, canon())
    account: str = (await client.data("{ accounts(first: 1) { nodes { id } } }"))["accounts"]["nodes"][0]["id"]
    return account


def uncached(db: Database, workspace: str) -> Read:
    """A screen as stored: read by a process that has cached nothing."""

    async def read(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        principal = Principal(workspace, Role.ADMIN, "oracle")
        return await execute_operation(Services(db), principal, query, variables)

    return read


async def test_an_unchanged_screen_costs_one_round_trip_and_answers_the_same(
    client: GraphQLClient, query_count: QueryCounterView
) -> None:
    account = await imported_account(client)
    query_count.reset()
    first = await client.data(PAGE, {"id": account})
    assert query_count.value == 2  # the clock, then the page
    query_count.reset()
    assert await client.data(PAGE, {"id": account}) == first
    assert query_count.value == 1  # the clock only
    assert len(first["account"]["stakeholders"]["nodes"]) == 16

    person = {"id": first["account"]["stakeholders"]["nodes"][0]["id"]}
    query_count.reset()
    detail = await client.data(DETAIL, person)
    assert query_count.value == 2
    query_count.reset()
    assert await client.data(DETAIL, person) == detail
    assert query_count.value == 1


async def test_every_kind_of_write_through_another_process_shows_at_the_next_read(
    client: GraphQLClient, other_process: GraphQLClient, db: Database, workspace: str
) -> None:
    account = await imported_account(client)
    as_stored = uncached(db, workspace)
    page = (await client.data(PAGE, {"id": account}))["account"]
    people = {p["name"]: p["id"] for p in page["stakeholders"]["nodes"]}
    tang = next(p for p in page["stakeholders"]["nodes"] if p["name"] == "唐军")
    circle, member = tang["circles"][0]["circle"]["id"], tang["coveredBy"][0]["teamMember"]["id"]

    writes: list[tuple[str, dict[str, Any]]] = [
        ("stakeholderUpdate", {"id": people["李娜"], "name": "李娜 (new)", "stance": "MENTOR"}),
        ("influenceLinkSet", {"from": people["周敏"], "to": people["唐军"], "strength": 3}),
        ("circleUpdate", {"id": circle, "name": "renamed circle"}),
        ("teamMemberUpdate", {"id": member, "name": "renamed member"}),
        (
            "interactionRecord",
            {
                "account": account,
                "at": "2026-12-01T09:00:00+08:00",
                "type": "VISIT",
                "stakeholders": [people["唐军"]],
                "teamMember": member,
            },
        ),
        ("coverageSet", {"teamMember": member, "stakeholder": people["周敏"], "relationshipStep": 4}),
        ("stakeholderArchive", {"id": people["吴芳"]}),
        ("accountUpdate", {"id": account, "name": "renamed account"}),
    ]
    tang_only = {"id": tang["id"]}
    changed_around_tang = []
    for name, input in writes:
        before = await client.data(PAGE, {"id": account})  # cached from here on
        detail_before = await client.data(DETAIL, tang_only)
        assert (await mutate(other_process, name, input, USER_ERRORS))["userErrors"] == []
        after = await client.data(PAGE, {"id": account})
        assert after != before, name
        assert after == await as_stored(PAGE, {"id": account}), name
        detail = await client.data(DETAIL, tang_only)
        assert detail == await as_stored(DETAIL, tang_only), name
        changed_around_tang.append(detail != detail_before)
    assert changed_around_tang == [True, True, True, True, True, False, False, False]

    before = await client.data(PAGE, {"id": account})
    synced = await upsert(other_process, [contact("canon-new", "新同事")], account="acc-canon-zh", source="demo")
    assert synced["userErrors"] == []
    after = await client.data(PAGE, {"id": account})
    assert len(after["account"]["stakeholders"]["nodes"]) == len(before["account"]["stakeholders"]["nodes"]) + 1
    assert after == await as_stored(PAGE, {"id": account})


async def test_the_cache_keeps_the_pages_read_last_within_its_bounds(
    client: GraphQLClient, db: Database, workspace: str, query_count: QueryCounterView
) -> None:
    accounts = [
        require_raw_id((await import_account(client, key, [f"{key}1", f"{key}2"])).account, "Account", "id")
        for key in ("a", "b", "c")
    ]

    async def trips(cache: AccountPageCache, *read: int) -> list[int]:
        """Round trips of each read of the accounts at `read` (2: clock and page, 1: from the cache)."""
        counted = []
        for index in read:
            query_count.reset()
            await db.read(cache.load, workspace, accounts[index], StakeholderFilter(), NOTHING, PageRequest(100))
            counted.append(query_count.value)
        return counted

    assert await trips(AccountPageCache(size=2), 0, 1, 2, 2, 1, 0) == [2, 2, 2, 1, 1, 2]
    assert await trips(AccountPageCache(people=3), 0, 1, 1, 0) == [2, 2, 1, 2]  # 2 people a page
    assert await trips(AccountPageCache(people=0), 0, 0) == [1, 1]  # turned off: no clock, the page each time
