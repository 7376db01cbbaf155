"""stakeholdersUpsert against the real database: statuses, per-contact errors, what is (never) written."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from tests.conftest import GraphQLClient, QueryCounterView
from tests.sync.helpers import (
    ACCOUNT,
    UPSERT_WITH_STAKEHOLDERS,
    contact,
    create_account,
    graph_snapshot,
    people,
    rows,
    statuses,
    upsert,
)


async def test_creates_updates_and_reports_unchanged(client: GraphQLClient, db: Database, workspace: str) -> None:
    await create_account(client)
    first = await upsert(client, [contact("a", "Ann", title="CFO"), contact("b", "Bo")])
    second = await upsert(client, [contact("a", "Ann", title="CEO"), contact("b", "Bo"), contact("c", "Cy")])

    assert statuses(first) == ["CREATED", "CREATED"]
    assert (first["created"], first["updated"], first["unchanged"], first["failed"]) == (2, 0, 0, 0)
    assert statuses(second) == ["UPDATED", "UNCHANGED", "CREATED"]
    assert (second["created"], second["updated"], second["unchanged"], second["failed"]) == (1, 1, 1, 0)
    stored = await people(db, workspace)
    assert {key: (p["name"], p.get("title"), p["version"]) for key, p in stored.items()} == {
        "a": ("Ann", "CEO", 2),
        "b": ("Bo", None, 1),
        "c": ("Cy", None, 1),
    }


async def test_replay_reports_unchanged_and_writes_nothing(
    client: GraphQLClient, db: Database, query_count: QueryCounterView, workspace: str
) -> None:
    await create_account(client)
    batch = [
        contact(f"k{i}", title=f"T{i}", department="Ops", email=f"p{i}@x.test", phone="1", level="MANAGEMENT")
        for i in range(50)
    ]
    batch += [contact("late", reportsTo="boss"), contact("staff", reportsTo="k1")]
    await upsert(client, batch)
    before = await graph_snapshot(db, workspace)

    query_count.reset()
    replay = await upsert(client, batch)

    assert set(statuses(replay)) == {"UNCHANGED"}
    assert replay["unchanged"] == len(batch)
    assert await graph_snapshot(db, workspace) == before
    assert query_count.value == 1  # the whole batch, its audit entry included, is one round trip


async def test_each_contact_fails_alone_with_its_path(client: GraphQLClient, db: Database, workspace: str) -> None:
    await create_account(client)
    payload = await upsert(
        client,
        [
            contact("ok-1"),
            contact("bad-email", email="nope"),
            contact("", "No Key"),
            contact("ok-2", name="  "),
            contact("ok-1", "Again"),
            contact("self", reportsTo="self"),
            contact("ok-3"),
        ],
    )

    assert statuses(payload) == ["CREATED", "FAILED", "FAILED", "FAILED", "FAILED", "FAILED", "CREATED"]
    errors = {r["index"]: [(e["field"], e["code"]) for e in r["userErrors"]] for r in payload["results"]}
    assert errors == {
        0: [],
        1: [(["input", "contacts", "1", "email"], "INVALID")],
        2: [(["input", "contacts", "2", "externalId"], "INVALID")],
        3: [(["input", "contacts", "3", "name"], "INVALID")],
        4: [(["input", "contacts", "4", "externalId"], "CONFLICT")],
        5: [(["input", "contacts", "5", "reportsTo"], "INVALID")],
        6: [],
    }
    assert [r["externalId"] for r in payload["results"]] == ["ok-1", "bad-email", "", "ok-2", "ok-1", "self", "ok-3"]
    assert (payload["created"], payload["failed"]) == (2, 5)
    assert {key: p["name"] for key, p in (await people(db, workspace)).items()} == {
        "ok-1": "Person ok-1",
        "ok-3": "Person ok-3",
    }


async def test_more_than_a_thousand_contacts_are_refused_whole(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    payload = await upsert(client, [contact(f"k{i}") for i in range(1001)])

    assert payload["results"] == []
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "contacts"], "LIMIT_EXCEEDED")]
    assert await people(db, workspace) == {}


async def test_unknown_account_is_not_found_and_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client, "acc-1", source="other-system")
    before = await graph_snapshot(db, workspace)

    payload = await upsert(client, [contact("a")], account="acc-1")

    assert payload["results"] == []
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "account"], "NOT_FOUND")]
    assert await graph_snapshot(db, workspace) == before


async def test_new_people_get_unknown_stance_and_intelligence_is_never_touched(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(
        client,
        stakeholders=[
            {"externalId": "imp", "name": "Imported", "stance": "SUPPORTER", "influence": 4,
             "buyingRoles": ["DECISION_MAKER"], "notes": "our coach", "title": "GM"},
        ],
    )  # fmt: skip
    payload = await upsert(
        client,
        [contact("imp", "Imported Renamed", title="CEO"), contact("new", "Newcomer")],
        query=UPSERT_WITH_STAKEHOLDERS,
    )

    imported, newcomer = (r["stakeholder"] for r in payload["results"])
    assert (imported["name"], imported["title"], imported["stance"], imported["buyingRoles"]) == (
        "Imported Renamed",
        "CEO",
        "SUPPORTER",
        ["DECISION_MAKER"],
    )
    assert (newcomer["stance"], newcomer["buyingRoles"], newcomer["version"]) == ("UNKNOWN", [], 1)
    stored = await people(db, workspace)
    assert (stored["imp"]["influence"], stored["imp"]["notes"]) == (4, "our coach")
    assert (stored["new"]["buyerTypes"], stored["new"]["archived"]) == ([], False)


async def test_a_field_left_out_is_kept_and_null_clears_it(client: GraphQLClient, db: Database, workspace: str) -> None:
    await create_account(client)
    await upsert(client, [contact("a", title="CFO", email="a@x.test", phone="123", level="SENIOR", reportsTo="b")])
    await upsert(client, [contact("b", "Boss")])

    payload = await upsert(client, [contact("a", email=None, level=None)])
    unchanged = await upsert(client, [contact("a")])

    assert (statuses(payload), statuses(unchanged)) == (["UPDATED"], ["UNCHANGED"])
    stored = (await people(db, workspace))["a"]
    assert (stored.get("title"), stored.get("email"), stored.get("phone"), stored.get("level")) == (
        "CFO",
        None,
        "123",
        None,
    )
    assert stored["managers"] == ["Boss"]


async def test_someone_of_another_account_is_a_conflict_and_stays_there(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client, "acc-1")
    await create_account(client, "acc-2")
    await upsert(client, [contact("a", "Ann")], account="acc-1")

    payload = await upsert(client, [contact("a", "Ann Moved"), contact("b")], account="acc-2")

    assert statuses(payload) == ["FAILED", "CREATED"]
    [error] = payload["results"][0]["userErrors"]
    assert (error["field"], error["code"]) == (["input", "contacts", "0", "externalId"], "CONFLICT")
    assert "another account" in error["message"]
    placed = await rows(
        db,
        workspace,
        "MATCH (r:StakeholderRef {workspaceId: $ws, source: 'crm'})-[:IDENTIFIES]->(s:Stakeholder),"
        " (ar:AccountRef {workspaceId: $ws})-[:IDENTIFIES]->(a:Account)"
        " WHERE a.id = s.accountId RETURN r.externalId AS key, s.name AS name, ar.externalId AS account ORDER BY key",
    )
    assert placed == [
        {"key": "a", "name": "Ann", "account": "acc-1"},
        {"key": "b", "name": "Person b", "account": "acc-2"},
    ]


async def test_manager_in_another_account_fails_the_contact(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client, "acc-1")
    await create_account(client, "acc-2")
    await upsert(client, [contact("boss")], account="acc-1")

    payload = await upsert(client, [contact("a", reportsTo="boss")], account="acc-2")

    assert statuses(payload) == ["FAILED"]
    [error] = payload["results"][0]["userErrors"]
    assert (error["field"], error["code"]) == (["input", "contacts", "0", "reportsTo"], "CONFLICT")
    assert set(await people(db, workspace)) == {"boss"}


async def test_reports_to_resolves_within_a_batch_and_across_calls(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    first = await upsert(
        client,
        [
            contact("staff-1", reportsTo="mgr"),
            contact("mgr", "Manager", reportsTo="ceo"),
            contact("staff-2", reportsTo="mgr"),
        ],
    )
    pending = await people(db, workspace)
    later = await upsert(client, [contact("ceo", "Chief")])
    linked = await people(db, workspace)

    assert statuses(first) == ["CREATED"] * 3
    assert {key: p["managers"] for key, p in pending.items()} == {
        "staff-1": ["Manager"],
        "staff-2": ["Manager"],
        "mgr": [],
    }
    assert (pending["mgr"]["reportsToKey"], pending["mgr"]["reportsToSource"]) == ("ceo", "crm")
    assert statuses(later) == ["CREATED"]
    assert linked["mgr"]["managers"] == ["Chief"]
    assert "reportsToKey" not in linked["mgr"]
    assert linked["mgr"]["version"] == 1  # linking the awaited manager is no change to the contact
    replay = await upsert(client, [contact("mgr", "Manager", reportsTo="ceo")])
    assert statuses(replay) == ["UNCHANGED"]


async def test_changing_and_clearing_reports_to(client: GraphQLClient, db: Database, workspace: str) -> None:
    await create_account(client)
    await upsert(client, [contact("m1"), contact("m2"), contact("a", reportsTo="m1")])

    moved = await upsert(client, [contact("a", reportsTo="m2")])
    after_move = (await people(db, workspace))["a"]
    to_unknown = await upsert(client, [contact("a", reportsTo="m3")])
    after_unknown = (await people(db, workspace))["a"]
    cleared = await upsert(client, [contact("a", reportsTo=None)])
    after_clear = (await people(db, workspace))["a"]

    assert statuses(moved) + statuses(to_unknown) + statuses(cleared) == ["UPDATED"] * 3
    assert after_move["managers"] == ["Person m2"]
    assert (after_unknown["managers"], after_unknown["reportsToKey"]) == ([], "m3")
    assert (after_clear["managers"], after_clear.get("reportsToKey"), after_clear["version"]) == ([], None, 4)


async def test_archived_people_stay_archived_while_their_contact_fields_sync(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    await upsert(client, [contact("gone", "Gone", title="CFO")])
    await db.driver.execute_query(
        "MATCH (s:Stakeholder {workspaceId: $ws, name: 'Gone'}) SET s.archived = true", ws=workspace
    )

    updated = await upsert(client, [contact("gone", "Gone", title="CEO")], query=UPSERT_WITH_STAKEHOLDERS)
    unchanged = await upsert(client, [contact("gone", "Gone", title="CEO")])

    assert (statuses(updated), statuses(unchanged)) == (["UPDATED"], ["UNCHANGED"])
    stakeholder = updated["results"][0]["stakeholder"]
    assert (stakeholder["archived"], stakeholder["title"]) == (True, "CEO")


async def test_dry_run_reports_what_would_change_and_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    await upsert(client, [contact("a", "Ann"), contact("b", "Bo")])
    await create_account(client, "acc-2")
    await upsert(client, [contact("elsewhere")], account="acc-2")
    before = await graph_snapshot(db, workspace)

    payload = await upsert(
        client,
        [contact("a", "Ann"), contact("b", "Bob"), contact("c"), contact("elsewhere"), contact("d", email="x")],
        dryRun=True,
    )

    assert statuses(payload) == ["UNCHANGED", "UPDATED", "CREATED", "FAILED", "FAILED"]
    assert payload["dryRun"] is True
    assert await graph_snapshot(db, workspace) == before


async def test_selected_stakeholders_come_with_the_write(
    client: GraphQLClient, db: Database, query_count: QueryCounterView
) -> None:
    await create_account(client)
    await upsert(client, [contact("boss", "Boss")])

    query_count.reset()
    payload = await upsert(
        client, [contact("a", "Ann", reportsTo="boss"), contact("x", email="bad")], query=UPSERT_WITH_STAKEHOLDERS
    )

    first, failed = payload["results"]
    assert (first["stakeholder"]["name"], first["stakeholder"]["reportsTo"], failed["stakeholder"]) == (
        "Ann",
        {"name": "Boss"},
        None,
    )
    assert query_count.value == 2  # the write (stakeholders, clock and audit entry included), the reportsTo loader


async def test_a_sync_that_changes_something_ticks_its_account_clock_and_a_replay_does_not(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    await create_account(client, "acc-2")
    clock = (
        "MATCH (:AccountRef {workspaceId: $ws, externalId: $ref})-[:IDENTIFIES]->(a:Account) RETURN a.clock AS clock"
    )

    async def read() -> tuple[Any, Any]:
        mine, other = (
            (await rows(db, workspace, clock, ref=ACCOUNT))[0],
            (await rows(db, workspace, clock, ref="acc-2"))[0],
        )
        return mine["clock"], other["clock"]

    before = await read()
    batch = [contact("a"), contact("b", reportsTo="later")]
    await upsert(client, batch)
    after_write = await read()
    await upsert(client, batch)
    after_replay = await read()
    await upsert(client, [contact("later", "Manager")])  # links b: a change to the account
    after_link = await read()

    account, other = zip(before, after_write, after_replay, after_link, strict=True)
    assert len(set(other)) == 1  # a sync touches its own account only
    created, ticked, replayed, linked = account
    assert None not in account
    assert ticked != created
    assert replayed == ticked
    assert linked != ticked
