"""stakeholderCreate, stakeholderUpdate (versions, STALE, UNSET vs null), archive/restore, and history."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from service.graph.database import Database
from service.schema.ids import encode_id, raw_id_of
from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, error, import_account, import_elsewhere, mutate, snapshot

PERSON = "id name title email stance influence buyingRoles notes archived version reportsTo { id }"
HISTORY = """
query H($id: ID!) { stakeholder(id: $id) { history { entity operation field oldValue newValue by at } } }
"""
READ = f"query R($id: ID!) {{ stakeholder(id: $id) {{ {PERSON} }} }}"


async def read(client: GraphQLClient, stakeholder_id: str) -> dict[str, object]:
    found: dict[str, object] = (await client.data(READ, {"id": stakeholder_id}))["stakeholder"]
    return found


async def history(client: GraphQLClient, stakeholder_id: str, *, created: bool = False) -> list[dict[str, str]]:
    """The person's history, newest first; without the rows of their creation unless `created`."""
    rows: list[dict[str, str]] = (await client.data(HISTORY, {"id": stakeholder_id}))["stakeholder"]["history"]
    kept = [row for row in rows if created or row["operation"] != "CREATED"]
    for row in kept:
        row.pop("operation")
    return kept


async def test_create_adds_a_person_to_the_account(client: GraphQLClient) -> None:
    acc = await import_account(client)
    payload = await mutate(
        client,
        "stakeholderCreate",
        {
            "account": acc.account,
            "name": "Dora",
            "title": "CFO",
            "reportsTo": acc["p1"],
            "stance": "SUPPORTER",
            "influence": 4,
            "buyingRoles": ["APPROVER"],
        },
        f"stakeholder {{ {PERSON} account {{ id }} }} {USER_ERRORS}",
    )
    created = payload["stakeholder"]
    assert payload == {
        "stakeholder": {
            "id": created["id"],
            "name": "Dora",
            "title": "CFO",
            "email": None,
            "stance": "SUPPORTER",
            "influence": 4,
            "buyingRoles": ["APPROVER"],
            "notes": None,
            "archived": False,
            "version": 1,
            "reportsTo": {"id": acc["p1"]},
            "account": {"id": acc.account},
        },
        "userErrors": [],
    }
    assert await read(client, created["id"]) == {k: v for k, v in created.items() if k != "account"}
    assert [(h["field"], h["oldValue"], h["newValue"]) for h in await history(client, created["id"], created=True)] == [
        ("buyerTypes", None, "[]"),
        ("buyingRoles", None, '["APPROVER"]'),
        ("influence", None, "4"),
        ("name", None, '"Dora"'),
        ("reportsTo", None, f'"{raw_id_of(acc["p1"], "Stakeholder")}"'),
        ("stance", None, '"SUPPORTER"'),
        ("title", None, '"CFO"'),
    ]


async def test_create_reports_every_problem_and_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(client)
    other = await import_account(client, "acc-2", ["q1"])
    before = await snapshot(db, workspace)
    payload = await mutate(
        client,
        "stakeholderCreate",
        {"account": acc.account, "name": " ", "email": "nope", "influence": 6, "reportsTo": other["q1"]},
        f"stakeholder {{ id }} {USER_ERRORS}",
    )
    assert payload == {
        "stakeholder": None,
        "userErrors": [
            error(["input", "reportsTo"], f"stakeholder {other['q1']!r} is in another account than `account`."),
            error(["input", "name"], "name must not be empty."),
            error(["input", "email"], "'nope' is not an email address."),
            error(["input", "influence"], "influence must be between 1 and 5, got 6."),
        ],
    }
    assert await snapshot(db, workspace) == before


async def test_create_in_an_unknown_account_is_not_found(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client)
    before = await snapshot(db, workspace)
    payload = await mutate(
        client, "stakeholderCreate", {"account": acc["p1"], "name": "Dora"}, f"stakeholder {{ id }} {USER_ERRORS}"
    )
    assert payload == {
        "stakeholder": None,
        "userErrors": [error(["input", "account"], f"no account with id {acc['p1']!r}.", "NOT_FOUND")],
    }
    assert await snapshot(db, workspace) == before


async def test_update_changes_given_fields_and_counts_a_version(client: GraphQLClient) -> None:
    acc = await import_account(client)
    payload = await mutate(
        client,
        "stakeholderUpdate",
        {"id": acc["p2"], "version": 1, "title": "CTO", "stance": "MENTOR", "reportsTo": acc["p1"]},
        f"stakeholder {{ {PERSON} }} {USER_ERRORS}",
    )
    expected = {
        "id": acc["p2"],
        "name": "Person p2",
        "title": "CTO",
        "email": None,
        "stance": "MENTOR",
        "influence": None,
        "buyingRoles": [],
        "notes": None,
        "archived": False,
        "version": 2,
        "reportsTo": {"id": acc["p1"]},
    }
    assert payload == {"stakeholder": expected, "userErrors": []}
    assert await read(client, acc["p2"]) == expected


async def test_update_leaves_out_unset_fields_and_clears_explicit_nulls(client: GraphQLClient) -> None:
    acc = await import_account(client)
    await mutate(
        client,
        "stakeholderUpdate",
        {"id": acc["p1"], "stance": "SUPPORTER", "influence": 3, "notes": "met twice", "buyingRoles": ["USER"]},
        USER_ERRORS,
    )
    payload = await mutate(
        client,
        "stakeholderUpdate",
        {"id": acc["p1"], "stance": None, "notes": None, "buyingRoles": None},
        f"stakeholder {{ stance influence notes buyingRoles version }} {USER_ERRORS}",
    )
    assert payload == {
        "stakeholder": {"stance": "UNKNOWN", "influence": 3, "notes": None, "buyingRoles": [], "version": 3},
        "userErrors": [],
    }


async def test_update_without_a_change_keeps_the_version_and_records_nothing(client: GraphQLClient) -> None:
    acc = await import_account(client)
    payload = await mutate(
        client,
        "stakeholderUpdate",
        {"id": acc["p1"], "version": 1, "name": "Person p1", "stance": "UNKNOWN"},
        f"stakeholder {{ version }} {USER_ERRORS}",
    )
    assert payload == {"stakeholder": {"version": 1}, "userErrors": []}
    assert await history(client, acc["p1"]) == []


async def test_update_with_a_stale_version_is_refused(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client)
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "version": 1, "stance": "NEUTRAL"}, USER_ERRORS)
    before = await snapshot(db, workspace)
    payload = await mutate(
        client,
        "stakeholderUpdate",
        {"id": acc["p1"], "version": 1, "stance": "ENEMY"},
        f"stakeholder {{ id }} {USER_ERRORS}",
    )
    message = "the stakeholder was changed meanwhile: version 2, not 1; reload and retry."
    assert payload == {"stakeholder": None, "userErrors": [error(["input", "version"], message, "STALE")]}
    assert await snapshot(db, workspace) == before
    assert (await read(client, acc["p1"]))["stance"] == "NEUTRAL"


async def test_stance_change_is_recorded_in_history(client: GraphQLClient) -> None:
    acc = await import_account(client)
    before = datetime.now(UTC)
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "stance": "SUPPORTER", "title": "CEO"}, USER_ERRORS)
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "stance": "MENTOR"}, USER_ERRORS)
    rows = await history(client, acc["p1"])
    stamps = [datetime.fromisoformat(row.pop("at")) for row in rows]
    me = (await client.data("{ me { id } }"))["me"]["id"]
    assert rows == [
        {"entity": "Stakeholder", "field": "stance", "oldValue": '"SUPPORTER"', "newValue": '"MENTOR"', "by": me},
        {"entity": "Stakeholder", "field": "stance", "oldValue": '"UNKNOWN"', "newValue": '"SUPPORTER"', "by": me},
        {"entity": "Stakeholder", "field": "title", "oldValue": None, "newValue": '"CEO"', "by": me},
    ]
    assert all(before <= at <= datetime.now(UTC) + timedelta(seconds=1) for at in stamps)


async def test_unknown_malformed_wrong_type_and_foreign_ids_are_not_found(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    acc = await import_account(client)
    elsewhere = await import_elsewhere(db, other_workspace)
    missing = encode_id("Stakeholder", "no-such-id")
    before = await snapshot(db, workspace, other_workspace)
    for given in (missing, "%%%", acc.account, elsewhere["p1"]):
        payload = await mutate(
            client, "stakeholderUpdate", {"id": given, "stance": "ENEMY"}, f"stakeholder {{ id }} {USER_ERRORS}"
        )
        assert payload == {
            "stakeholder": None,
            "userErrors": [error(["input", "id"], f"no stakeholder with id {given!r}.", "NOT_FOUND")],
        }
    assert await snapshot(db, workspace, other_workspace) == before


async def test_reporting_lines_refuse_self_cycles_and_other_accounts(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    acc = await import_account(client)
    other = await import_account(client, "acc-2", ["q1"])
    await mutate(client, "stakeholderUpdate", {"id": acc["p2"], "reportsTo": acc["p1"]}, USER_ERRORS)
    before = await snapshot(db, workspace)
    cases = [
        (acc["p1"], acc["p1"], "a stakeholder cannot report to themselves."),
        (acc["p1"], acc["p2"], "reporting lines would form a cycle."),
        (acc["p1"], other["q1"], f"stakeholder {other['q1']!r} is in another account than the stakeholder."),
    ]
    for person, manager, message in cases:
        payload = await mutate(client, "stakeholderUpdate", {"id": person, "reportsTo": manager}, USER_ERRORS)
        assert payload == {"userErrors": [error(["input", "reportsTo"], message)]}
    assert await snapshot(db, workspace) == before


async def test_archive_and_restore(client: GraphQLClient) -> None:
    acc = await import_account(client)
    archived = await mutate(
        client, "stakeholderArchive", {"id": acc["p1"]}, f"stakeholder {{ id archived version }} {USER_ERRORS}"
    )
    assert archived == {"stakeholder": {"id": acc["p1"], "archived": True, "version": 2}, "userErrors": []}
    listed = "query L($id: ID!) { account(id: $id) { stakeholders { nodes { id } } } }"
    assert (await client.data(listed, {"id": acc.account}))["account"]["stakeholders"]["nodes"] == [
        {"id": acc["p2"]},
        {"id": acc["p3"]},
    ]
    restored = await mutate(
        client, "stakeholderRestore", {"id": acc["p1"]}, f"stakeholder {{ id archived version }} {USER_ERRORS}"
    )
    assert restored == {"stakeholder": {"id": acc["p1"], "archived": False, "version": 3}, "userErrors": []}
    assert [(h["field"], h["oldValue"], h["newValue"]) for h in await history(client, acc["p1"])] == [
        ("archived", "true", "false"),
        ("archived", "false", "true"),
    ]


async def test_archive_of_an_unknown_stakeholder_is_not_found(client: GraphQLClient) -> None:
    acc = await import_account(client)
    payload = await mutate(client, "stakeholderArchive", {"id": acc.account}, f"stakeholder {{ id }} {USER_ERRORS}")
    assert payload == {
        "stakeholder": None,
        "userErrors": [error(["input", "id"], f"no stakeholder with id {acc.account!r}.", "NOT_FOUND")],
    }


async def test_concurrent_updates_from_the_same_version_let_exactly_one_win(client: GraphQLClient) -> None:
    acc = await import_account(client)
    stances = ["SUPPORTER", "ENEMY", "MENTOR", "OPPONENT"]
    payloads = await asyncio.gather(
        *(
            mutate(
                client,
                "stakeholderUpdate",
                {"id": acc["p1"], "version": 1, "stance": s},
                f"stakeholder {{ stance }} {USER_ERRORS}",
            )
            for s in stances
        )
    )
    winners = [p["stakeholder"]["stance"] for p in payloads if p["stakeholder"] is not None]
    assert len(winners) == 1
    assert sorted(e["code"] for p in payloads for e in p["userErrors"]) == ["STALE"] * 3
    found = await read(client, acc["p1"])
    assert (found["stance"], found["version"]) == (winners[0], 2)
    assert len(await history(client, acc["p1"])) == 1


async def test_history_records_reporting_lines_and_pages_in_order(client: GraphQLClient) -> None:
    acc = await import_account(client)
    for manager in ("p2", "p3"):
        await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "reportsTo": acc[manager]}, USER_ERRORS)
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "reportsTo": None}, USER_ERRORS)
    p2, p3 = (f'"{raw_id_of(acc[key], "Stakeholder")}"' for key in ("p2", "p3"))
    assert [(h["field"], h["oldValue"], h["newValue"]) for h in await history(client, acc["p1"])] == [
        ("reportsTo", p3, None),
        ("reportsTo", p2, p3),
        ("reportsTo", None, p2),
    ]
    paged = "query H($id: ID!, $after: String) { stakeholder(id: $id) { history(first: 2, after: $after) { field cursor } } }"
    everything = await history(client, acc["p1"], created=True)
    seen: list[str] = []
    after = None
    while True:
        page = (await client.data(paged, {"id": acc["p1"], "after": after}))["stakeholder"]["history"]
        seen += [row["field"] for row in page]
        if len(page) < 2:
            break
        after = page[-1]["cursor"]
    assert seen == [row["field"] for row in everything]


async def test_history_page_size_is_capped(client: GraphQLClient) -> None:
    acc = await import_account(client)
    body = await client.execute(
        "query H($id: ID!) { stakeholder(id: $id) { history(first: 101) { field } } }", {"id": acc["p1"]}
    )
    assert body["errors"][0]["message"] == "`first` must be between 0 and 100, got 101."
    assert body["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED", "field": "first"}
    bad = await client.execute(
        'query H($id: ID!) { stakeholder(id: $id) { history(after: "nope") { field } } }', {"id": acc["p1"]}
    )
    assert bad["errors"][0]["extensions"] == {"code": "INVALID_CURSOR", "field": "after"}
