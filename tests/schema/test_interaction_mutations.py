"""interactionRecord and interactionDelete: the visit log."""

from __future__ import annotations

from service.graph.database import Database
from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, error, import_account, mutate, snapshot

INTERACTION = "id at type summary nextStep account { id } teamMember { id } stakeholders { id }"
LAST_CONTACT = "query L($id: ID!) { stakeholder(id: $id) { lastContactAt coveredBy { lastContactAt } } }"


async def test_record_and_delete(client: GraphQLClient) -> None:
    acc = await import_account(client, team=["t1"], coverage=[{"teamMember": "t1", "stakeholder": "p1"}])
    payload = await mutate(
        client,
        "interactionRecord",
        {
            "account": acc.account,
            "at": "2025-03-04T10:00:00+08:00",
            "type": "VISIT",
            "teamMember": acc.team["t1"],
            "stakeholders": [acc["p2"], acc["p1"]],
            "summary": "site tour",
            "nextStep": "send samples",
            "externalId": {"source": "crm", "id": "v-1"},
        },
        f"interaction {{ {INTERACTION} }} {USER_ERRORS}",
    )
    interaction_id = payload["interaction"]["id"]
    assert payload == {
        "interaction": {
            "id": interaction_id,
            "at": "2025-03-04T10:00:00+08:00",
            "type": "VISIT",
            "summary": "site tour",
            "nextStep": "send samples",
            "account": {"id": acc.account},
            "teamMember": {"id": acc.team["t1"]},
            "stakeholders": [{"id": acc["p1"]}, {"id": acc["p2"]}],
        },
        "userErrors": [],
    }
    seen = {"lastContactAt": "2025-03-04T10:00:00+08:00", "coveredBy": [{"lastContactAt": "2025-03-04T10:00:00+08:00"}]}
    assert (await client.data(LAST_CONTACT, {"id": acc["p1"]}))["stakeholder"] == seen

    deleted = await mutate(client, "interactionDelete", {"id": interaction_id}, f"deletedId {USER_ERRORS}")
    assert deleted == {"deletedId": interaction_id, "userErrors": []}
    gone = {"lastContactAt": None, "coveredBy": [{"lastContactAt": None}]}
    assert (await client.data(LAST_CONTACT, {"id": acc["p1"]}))["stakeholder"] == gone


async def test_record_problems_write_nothing(client: GraphQLClient, db: Database) -> None:
    acc = await import_account(client)
    other = await import_account(client, "acc-2", ["q1"])
    base = {"account": acc.account, "at": "2025-03-04T10:00:00+08:00", "type": "PHONE"}
    await mutate(
        client,
        "interactionRecord",
        {**base, "stakeholders": [acc["p1"]], "externalId": {"source": "crm", "id": "v-1"}},
        USER_ERRORS,
    )
    before = await snapshot(db)
    cases = [
        (
            {**base, "at": "2025-03-04T10:00:00", "stakeholders": []},
            [
                error(["input", "at"], "`at` needs a time zone offset."),
                error(["input", "stakeholders"], "an interaction meets at least one stakeholder."),
            ],
        ),
        (
            {**base, "stakeholders": [acc["p1"], other["q1"], "nope"], "teamMember": acc["p2"]},
            [
                error(["input", "teamMember"], f"no team member with id {acc['p2']!r}.", "NOT_FOUND"),
                error(["input", "stakeholders", "2"], "no stakeholder with id 'nope'.", "NOT_FOUND"),
                error(
                    ["input", "stakeholders", "1"], f"stakeholder {other['q1']!r} is in another account than `account`."
                ),
            ],
        ),
        (
            {**base, "stakeholders": [acc["p2"]], "externalId": {"source": "crm", "id": "v-1"}},
            [error(["input", "externalId"], "the account already has interaction 'v-1' of source 'crm'.", "CONFLICT")],
        ),
    ]
    for given, expected in cases:
        payload = await mutate(client, "interactionRecord", given, f"interaction {{ id }} {USER_ERRORS}")
        assert payload == {"interaction": None, "userErrors": expected}
    missing = await mutate(client, "interactionDelete", {"id": acc.account}, f"deletedId {USER_ERRORS}")
    message = f"no interaction with id {acc.account!r}."
    assert missing == {"deletedId": None, "userErrors": [error(["input", "id"], message, "NOT_FOUND")]}
    assert await snapshot(db) == before


async def test_update_changes_what_is_given_and_keeps_the_rest(client: GraphQLClient, db: Database) -> None:
    acc = await import_account(client, team=["t1"])
    recorded = await mutate(
        client,
        "interactionRecord",
        {
            "account": acc.account,
            "at": "2025-03-04T10:00:00+08:00",
            "type": "VISIT",
            "stakeholders": [acc["p1"]],
            "summary": "first talk",
        },
        f"interaction {{ id }} {USER_ERRORS}",
    )
    interaction_id = recorded["interaction"]["id"]
    updated = await mutate(
        client,
        "interactionUpdate",
        {
            "id": interaction_id,
            "type": "MEETING",
            "teamMember": acc.team["t1"],
            "stakeholders": [acc["p2"], acc["p1"]],
            "nextStep": "send offer",
        },
        f"interaction {{ {INTERACTION} }} {USER_ERRORS}",
    )
    assert updated == {
        "interaction": {
            "id": interaction_id,
            "at": "2025-03-04T10:00:00+08:00",
            "type": "MEETING",
            "summary": "first talk",
            "nextStep": "send offer",
            "account": {"id": acc.account},
            "teamMember": {"id": acc.team["t1"]},
            "stakeholders": [{"id": acc["p1"]}, {"id": acc["p2"]}],  # by name
        },
        "userErrors": [],
    }
    before = await snapshot(db)
    refused = await mutate(
        client,
        "interactionUpdate",
        {"id": interaction_id, "at": None, "stakeholders": [], "summary": "x" * 10_001},
        f"interaction {{ id }} {USER_ERRORS}",
    )
    assert refused == {
        "interaction": None,
        "userErrors": [
            error(["input", "at"], "`at` cannot be cleared."),
            error(["input", "summary"], "summary must be at most 10000 characters."),
            error(["input", "stakeholders"], "an interaction meets at least one stakeholder."),
        ],
    }
    assert await snapshot(db) == before
