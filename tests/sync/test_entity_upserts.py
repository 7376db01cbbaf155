"""interactionsUpsert, teamMembersUpsert, coverageUpsert and their removals against the real database:
statuses, per-item errors with their paths, what is (never) written, the change log, replays."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from service.graph.database import Database, json_value
from tests.conftest import GraphQLClient, QueryCounterView
from tests.sync.entity_helpers import (
    call,
    changes,
    clock,
    coverage,
    covers,
    errors,
    interactions,
    member,
    setup_account,
    statuses,
    team,
    visit,
)
from tests.sync.helpers import contact, graph_snapshot, rows, upsert


async def test_interactions_are_created_updated_and_replays_are_unchanged(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client)
    first = await call(
        client,
        "interactionsUpsert",
        account="acc-1",
        interactions=[
            visit("v1", "p1", "p2", teamMember="m1", summary="Kick-off"),
            visit("v2", "p3", at="2026-11-03T09:00:00+08:00"),
        ],
    )
    second = await call(
        client,
        "interactionsUpsert",
        account="acc-1",
        interactions=[
            visit("v1", "p2", "p1", teamMember="m1", summary="Kick-off"),
            visit("v2", "p3", "p1", at="2026-11-03T01:00:00Z", teamMember="m2", nextStep="Demo"),
            visit("v3", "p1", teamMember=None),
        ],
    )

    assert statuses(first) == ["CREATED", "CREATED"]
    assert (first["created"], first["updated"], first["unchanged"], first["failed"]) == (2, 0, 0, 0)
    assert all(r["id"] for r in first["results"])
    assert statuses(second) == ["UNCHANGED", "UPDATED", "CREATED"]
    assert await interactions(db, workspace) == {
        "v1": {
            "type": "VISIT",
            "summary": "Kick-off",
            "nextStep": None,
            "at": "2026-11-02T10:00:00Z",
            "members": ["m1"],
            "met": ["p1", "p2"],
        },
        "v2": {
            "type": "VISIT",
            "summary": None,
            "nextStep": "Demo",
            "at": "2026-11-03T01:00:00Z",
            "members": ["m2"],
            "met": ["p1", "p3"],
        },
        "v3": {
            "type": "VISIT",
            "summary": None,
            "nextStep": None,
            "at": "2026-11-02T10:00:00Z",
            "members": [],
            "met": ["p1"],
        },
    }


async def test_a_field_left_out_keeps_its_value_and_null_clears_it(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client)
    await call(client, "interactionsUpsert", account="acc-1", interactions=[visit("v1", teamMember="m1", summary="S")])

    kept = await call(client, "interactionsUpsert", account="acc-1", interactions=[visit("v1")])
    cleared = await call(
        client, "interactionsUpsert", account="acc-1", interactions=[visit("v1", teamMember=None, summary=None)]
    )

    assert (statuses(kept), statuses(cleared)) == (["UNCHANGED"], ["UPDATED"])
    stored = (await interactions(db, workspace))["v1"]
    assert (stored["summary"], stored["members"]) == (None, [])


async def test_replay_of_every_upsert_writes_nothing_not_even_a_clock(
    client: GraphQLClient, db: Database, query_count: QueryCounterView, workspace: str
) -> None:
    await setup_account(client)
    batches = {
        "teamMembersUpsert": {"teamMembers": [member("m1", email="m1@x.test"), member("m3", role="ENGINEER")]},
        "coverageUpsert": {"coverage": [covers("m1", "p1", relationshipStep=3), covers("m3", "p2")]},
        "interactionsUpsert": {"account": "acc-1", "interactions": [visit("v1", "p1", "p2", teamMember="m3")]},
    }
    for name, batch in batches.items():
        await call(client, name, **batch)
    before = (await graph_snapshot(db, workspace), await clock(db, workspace))

    for name, batch in batches.items():
        query_count.reset()
        replay = await call(client, name, **batch)

        assert set(statuses(replay)) == {"UNCHANGED"}, name
        # the batch is one round trip, its audit entry the second; the interactions' query closes the write itself
        assert query_count.value == (1 if name == "interactionsUpsert" else 2), name
    assert (await graph_snapshot(db, workspace), await clock(db, workspace)) == before


async def test_unknown_references_fail_their_item_naming_the_field(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client)
    await setup_account(client, people=1, account="acc-2")  # p1 exists, but in the other account... same key
    payload = await call(
        client,
        "interactionsUpsert",
        account="acc-1",
        interactions=[
            visit("ok", "p1"),
            visit("bad-member", "p1", teamMember="nobody"),
            visit("bad-person", "p1", "ghost", "p2"),
            visit("both", "ghost", teamMember="nobody"),
        ],
    )

    assert statuses(payload) == ["CREATED", "FAILED", "FAILED", "FAILED"]
    assert errors(payload) == {
        0: [],
        1: [(["input", "interactions", "1", "teamMember"], "NOT_FOUND")],
        2: [(["input", "interactions", "2", "stakeholders", "1"], "NOT_FOUND")],
        3: [
            (["input", "interactions", "3", "teamMember"], "NOT_FOUND"),
            (["input", "interactions", "3", "stakeholders", "0"], "NOT_FOUND"),
        ],
    }
    assert set(await interactions(db, workspace)) == {"ok"}

    cover = await call(client, "coverageUpsert", coverage=[covers("nobody", "p1"), covers("m1", "ghost")])
    assert errors(cover) == {
        0: [(["input", "coverage", "0", "teamMember"], "NOT_FOUND")],
        1: [(["input", "coverage", "1", "stakeholder"], "NOT_FOUND")],
    }


async def test_validation_fails_each_item_alone_with_its_path(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client)
    visits = await call(
        client,
        "interactionsUpsert",
        account="acc-1",
        interactions=[
            visit("", "p1"),
            {**visit("no-one"), "stakeholders": []},
            visit("long", "p1", summary="x" * 10_001),
            visit("naive", "p1", at="2026-11-02T10:00:00"),
            visit("fine", "p1"),
            visit("fine", "p2"),
        ],
    )
    members = await call(
        client,
        "teamMembersUpsert",
        teamMembers=[member("t1", name=" "), member("t2", email="nope"), member("", "No Key"), member("t4")],
    )
    cover = await call(client, "coverageUpsert", coverage=[covers("m1", "p1", relationshipStep=6), covers("m1", "")])

    assert errors(visits) == {
        0: [(["input", "interactions", "0", "externalId"], "INVALID")],
        1: [(["input", "interactions", "1", "stakeholders"], "INVALID")],
        2: [(["input", "interactions", "2", "summary"], "INVALID")],
        3: [(["input", "interactions", "3", "at"], "INVALID")],
        4: [],
        5: [(["input", "interactions", "5", "externalId"], "CONFLICT")],
    }
    assert errors(members) == {
        0: [(["input", "teamMembers", "0", "name"], "INVALID")],
        1: [(["input", "teamMembers", "1", "email"], "INVALID")],
        2: [(["input", "teamMembers", "2", "externalId"], "INVALID")],
        3: [],
    }
    assert errors(cover) == {
        0: [(["input", "coverage", "0", "relationshipStep"], "INVALID")],
        1: [(["input", "coverage", "1", "stakeholder"], "INVALID")],
    }
    assert set(await interactions(db, workspace)) == {"fine"}
    assert set(await team(db, workspace)) == {"m1", "m2", "t4"}


async def test_a_call_over_a_thousand_items_or_for_an_unknown_account_writes_nothing(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client)
    before = await graph_snapshot(db, workspace)

    too_many = await call(client, "teamMembersUpsert", teamMembers=[member(f"t{n}") for n in range(1001)])
    unknown = await call(client, "interactionsUpsert", account="acc-9", interactions=[visit("v1")])
    removal = await call(client, "interactionsRemove", account="acc-9", externalIds=["v1"])

    assert [(e["field"], e["code"]) for e in too_many["userErrors"]] == [(["input", "teamMembers"], "LIMIT_EXCEEDED")]
    assert [(e["field"], e["code"]) for e in unknown["userErrors"]] == [(["input", "account"], "NOT_FOUND")]
    assert [(e["field"], e["code"]) for e in removal["userErrors"]] == [(["input", "account"], "NOT_FOUND")]
    assert too_many["results"] == unknown["results"] == removal["results"] == []
    assert await graph_snapshot(db, workspace) == before


async def test_team_members_and_coverage_are_upserted_by_key(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client)
    members = await call(
        client, "teamMembersUpsert", teamMembers=[member("m1", "Ann", email="ann@x.test"), member("m3", "Cy")]
    )
    cover = await call(
        client,
        "coverageUpsert",
        coverage=[covers("m1", "p1", relationshipStep=2, relationshipType="FRIEND"), covers("m3", "p1")],
    )
    again = await call(client, "coverageUpsert", coverage=[covers("m1", "p1", relationshipStep=4), covers("m3", "p1")])

    assert statuses(members) == ["UPDATED", "CREATED"]
    assert statuses(cover) == ["CREATED", "CREATED"]
    assert statuses(again) == ["UPDATED", "UNCHANGED"]
    assert await team(db, workspace) == {
        "m1": {"name": "Ann", "role": "SALES", "email": "ann@x.test"},
        "m2": {"name": "Member m2", "role": "SALES", "email": None},
        "m3": {"name": "Cy", "role": "SALES", "email": None},
    }
    assert await coverage(db, workspace) == {
        ("m1", "p1"): {"relationshipStep": 4, "relationshipType": "FRIEND"},
        ("m3", "p1"): {"relationshipStep": None, "relationshipType": None},
    }


async def test_removals_by_key_and_their_replays(client: GraphQLClient, db: Database, workspace: str) -> None:
    await setup_account(client)
    await call(client, "coverageUpsert", coverage=[covers("m1", "p1"), covers("m2", "p2")])
    await call(client, "interactionsUpsert", account="acc-1", interactions=[visit("v1", teamMember="m2"), visit("v2")])

    visits = await call(client, "interactionsRemove", account="acc-1", externalIds=["v1", "v9", ""])
    cover = await call(client, "coveragesRemove", coverage=[covers("m1", "p1"), covers("m1", "p2")])
    members = await call(client, "teamMembersRemove", externalIds=["m2", "m9"])
    before = await graph_snapshot(db, workspace)
    replays = [
        await call(client, "interactionsRemove", account="acc-1", externalIds=["v1"]),
        await call(client, "coveragesRemove", coverage=[covers("m1", "p1")]),
        await call(client, "teamMembersRemove", externalIds=["m2"]),
    ]

    assert statuses(visits) == ["REMOVED", "UNCHANGED", "FAILED"]
    assert errors(visits)[2] == [(["input", "externalIds", "2"], "INVALID")]
    assert (visits["removed"], visits["unchanged"], visits["failed"]) == (1, 1, 1)
    assert statuses(cover) == ["REMOVED", "UNCHANGED"]
    assert statuses(members) == ["REMOVED", "UNCHANGED"]
    assert [statuses(replay) for replay in replays] == [["UNCHANGED"]] * 3
    assert await graph_snapshot(db, workspace) == before
    assert set(await interactions(db, workspace)) == {"v2"}
    assert set(await team(db, workspace)) == {"m1"}
    assert await coverage(db, workspace) == {}
    refs = await rows(db, workspace, "MATCH (r:TeamMemberRef {workspaceId: $ws}) RETURN r.externalId AS key")
    assert refs == [{"key": "m1"}]


async def test_every_change_is_logged_with_every_stored_value(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client, people=2)
    ids = await rows(
        db,
        workspace,
        """
        MATCH (r:StakeholderRef {workspaceId: $ws})-[:IDENTIFIES]->(s) RETURN r.externalId AS key, s.id AS id,
        s.accountId AS account
        """,
    )
    person = {row["key"]: row["id"] for row in ids}
    account = ids[0]["account"]
    made = await call(
        client,
        "interactionsUpsert",
        account="acc-1",
        interactions=[visit("v1", "p1", teamMember="m1", summary="S")],
    )
    member_ids = await rows(
        db,
        workspace,
        "MATCH (r:TeamMemberRef {workspaceId: $ws})-[:IDENTIFIES]->(t) RETURN r.externalId AS k, t.id AS id",
    )
    m = {row["k"]: row["id"] for row in member_ids}
    await call(client, "interactionsUpsert", account="acc-1", interactions=[visit("v1", "p2", summary="T")])
    await call(client, "interactionsRemove", account="acc-1", externalIds=["v1"])

    logged = await changes(db, workspace, "Interaction")
    [created, updated, deleted] = logged
    visit_id = created["entityId"]
    assert made["results"][0]["id"]
    assert created == {
        "op": "CREATED",
        "entityId": visit_id,
        "accountId": account,
        "values": {
            "at": (None, "2026-11-02 10:00:00+00:00"),
            "externalId": (None, "v1"),
            "source": (None, "crm"),
            "stakeholderIds": (None, [person["p1"]]),
            "summary": (None, "S"),
            "teamMemberId": (None, m["m1"]),
            "type": (None, "VISIT"),
        },
        "about": [person["p1"]],
    }
    assert updated["op"] == "UPDATED"
    assert updated["values"] == {"stakeholderIds": ([person["p1"]], [person["p2"]]), "summary": ("S", "T")}
    assert updated["about"] == sorted([person["p1"], person["p2"]])
    assert deleted["op"] == "DELETED"
    assert deleted["values"] == {
        "at": ("2026-11-02 10:00:00+00:00", None),
        "externalId": ("v1", None),
        "source": ("crm", None),
        "stakeholderIds": ([person["p2"]], None),
        "summary": ("T", None),
        "teamMemberId": (m["m1"], None),
        "type": ("VISIT", None),
    }

    await call(client, "coverageUpsert", coverage=[covers("m1", "p1", relationshipStep=2)])
    await call(client, "teamMembersRemove", externalIds=["m1"])
    assert [(c["op"], c["values"]) for c in await changes(db, workspace, "Coverage")] == [
        (
            "CREATED",
            {"teamMemberId": (None, m["m1"]), "stakeholderId": (None, person["p1"]), "relationshipStep": (None, 2)},
        ),
        (
            "DELETED",
            {"teamMemberId": (m["m1"], None), "stakeholderId": (person["p1"], None), "relationshipStep": (2, None)},
        ),
    ]
    assert [(c["op"], c["values"]) for c in await changes(db, workspace, "TeamMember")][-1] == (
        "DELETED",
        {"name": ("Member m1", None), "role": ("SALES", None)},
    )


async def test_the_logged_interaction_values_are_the_json_python_writes(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    """The upsert logs its changes in Cypher: its values are what `json_value` makes of the values as Python
    reads them, byte for byte (times with milliseconds, several people met, texts that need escaping)."""
    await setup_account(client, people=3)
    odd = 'say "hi" \\ café 😀'
    first = visit("v1", "p3", "p1", at="2026-11-02T10:00:00.120+02:00", teamMember="m1", summary=odd)
    await call(client, "interactionsUpsert", account="acc-1", interactions=[first, visit("v2", "p2")])
    await call(
        client,
        "interactionsUpsert",
        account="acc-1",
        interactions=[visit("v1", "p2", at="1969-12-31T23:59:59.001Z", teamMember=None, summary="plain", nextStep=odd)],
    )
    found = await rows(
        db,
        workspace,
        """
        MATCH (c:Change {workspaceId: $ws, entity: 'Interaction'})
        RETURN c.op AS op, c.fields AS fields, c.old AS old, c.new AS new, c.seq AS seq
        ORDER BY c.at, c.seq
        """,
    )
    people = await rows(
        db,
        workspace,
        "MATCH (r:StakeholderRef {workspaceId: $ws})-[:IDENTIFIES]->(s) RETURN r.externalId AS k, s.id AS id",
    )
    p = {row["k"]: row["id"] for row in people}
    members = await rows(
        db,
        workspace,
        "MATCH (r:TeamMemberRef {workspaceId: $ws})-[:IDENTIFIES]->(t) RETURN r.externalId AS k, t.id AS id",
    )
    m1 = next(row["id"] for row in members if row["k"] == "m1")
    at = datetime(2026, 11, 2, 8, 0, 0, 120_000, UTC)
    later = datetime(1969, 12, 31, 23, 59, 59, 1000, UTC)

    def encoded(values: dict[str, Any]) -> tuple[list[str], list[str]]:
        return sorted(values), [json_value(values[name]) for name in sorted(values)]

    created = {"at": at, "externalId": "v1", "source": "crm", "summary": odd, "type": "VISIT"}
    created |= {"teamMemberId": m1, "stakeholderIds": sorted([p["p1"], p["p3"]])}
    second = {"at": datetime(2026, 11, 2, 10, 0, tzinfo=UTC), "externalId": "v2", "source": "crm", "type": "VISIT"}
    second["stakeholderIds"] = [p["p2"]]
    old = {"at": at, "nextStep": None, "stakeholderIds": sorted([p["p1"], p["p3"]]), "summary": odd, "teamMemberId": m1}
    new = {"at": later, "nextStep": odd, "stakeholderIds": [p["p2"]], "summary": "plain", "teamMemberId": None}
    fields, new_json = encoded(created)
    second_fields, second_json = encoded(second)
    update_fields, old_json = encoded(old)
    assert [(r["op"], r["fields"], r["old"], r["new"], r["seq"]) for r in found] == [
        ("CREATED", fields, ["null"] * len(fields), new_json, 0),
        ("CREATED", second_fields, ["null"] * len(second_fields), second_json, 1),
        ("UPDATED", update_fields, old_json, encoded(new)[1], 0),
    ]


AUDIT = "{ auditLog(first: 10) { nodes { operation outcome entityIds entityCount } } }"


async def test_a_bulk_upsert_writes_its_audit_entry_in_its_one_query_and_an_unknown_account_as_not_found(
    client: GraphQLClient, db: Database, query_count: QueryCounterView, workspace: str
) -> None:
    await setup_account(client)
    [account] = await rows(db, workspace, "MATCH (a:Account {workspaceId: $ws}) RETURN a.id AS id")

    query_count.reset()
    await call(client, "interactionsUpsert", account="acc-1", interactions=[visit("v1", "p1")])
    assert query_count.value == 1
    await call(client, "interactionsUpsert", account="acc-9", interactions=[visit("v2", "p1")])
    await upsert(client, [contact("p9")], account="acc-9")

    [made] = await rows(db, workspace, "MATCH (i:Interaction {workspaceId: $ws}) RETURN i.id AS id")
    entries = (await client.data(AUDIT))["auditLog"]["nodes"]
    assert [(e["operation"], e["outcome"], e["entityIds"], e["entityCount"]) for e in entries[:3]] == [
        ("stakeholdersUpsert", "NOT_FOUND", [], 0),
        ("interactionsUpsert", "NOT_FOUND", [], 0),
        ("interactionsUpsert", "OK", [made["id"], account["id"]], 2),
    ]
