"""The same text limits on every path that writes text: the whole-account import, the hand-made
mutations and contact sync (one table, `service.rules.validation.TEXT_RULES`)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.schema.factories import USER_ERRORS, import_account, mutate

LONG = "x" * 10_001
INVISIBLE_NAME = "\u200b\u200d\u2060 "
CONTROL = "Sales\x07"

IMPORT = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) { created userErrors { field message code } }
}
"""

UPSERT = """
mutation Upsert($input: StakeholdersUpsertInput!) {
  stakeholdersUpsert(input: $input) { results { status userErrors { field message } } userErrors { field } }
}
"""


def _errors(payload: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    return [(tuple(e["field"]), e["message"]) for e in payload["userErrors"]]


async def test_import_refuses_long_circle_texts_and_invisible_names(client: GraphQLClient) -> None:
    document = {
        "source": "crm",
        "account": {"externalId": "A", "name": "Account A"},
        "stakeholders": [
            {"externalId": "p1", "name": INVISIBLE_NAME},
            {"externalId": "p2", "name": "Ok", "title": CONTROL},
        ],
        "circles": [{"key": "c1", "name": "Finance", "businessValue": LONG}],
        "team": [{"externalId": "t1", "name": "\x00\x01", "role": "SALES"}],
    }
    payload = (await client.data(IMPORT, {"input": document}))["accountGraphImport"]
    assert payload["created"] == 0
    assert _errors(payload) == [
        (("input", "stakeholders", "0", "name"), "name must not be empty."),
        (("input", "stakeholders", "1", "title"), "title must not contain control characters."),
        (("input", "circles", "0", "businessValue"), "businessValue must be at most 10000 characters."),
        (("input", "team", "0", "name"), "name must not be empty."),
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"name": INVISIBLE_NAME}, (("input", "name"), "name must not be empty.")),
        (
            {"name": "Finance", "businessValue": LONG},
            (("input", "businessValue"), "businessValue must be at most 10000 characters."),
        ),
        ({"name": "Finance", "color": CONTROL}, (("input", "color"), "color must not contain control characters.")),
    ],
)
async def test_circle_create_applies_the_same_limits(
    client: GraphQLClient, values: dict[str, Any], expected: tuple[tuple[str, ...], str]
) -> None:
    acc = await import_account(client)
    payload = await mutate(client, "circleCreate", {"account": acc.account, **values}, f"circle {{ id }} {USER_ERRORS}")
    assert (payload["circle"], _errors(payload)) == (None, [expected])


async def test_stakeholder_create_refuses_an_invisible_name(client: GraphQLClient) -> None:
    acc = await import_account(client)
    payload = await mutate(
        client,
        "stakeholderCreate",
        {"account": acc.account, "name": INVISIBLE_NAME},
        f"stakeholder {{ id }} {USER_ERRORS}",
    )
    assert (payload["stakeholder"], _errors(payload)) == (None, [(("input", "name"), "name must not be empty.")])


async def test_contact_sync_applies_the_same_limits(client: GraphQLClient) -> None:
    await import_account(client)
    contacts = [
        {"externalId": "n1", "name": INVISIBLE_NAME},
        {"externalId": "n2", "name": "Fine", "title": CONTROL},
        {"externalId": "n3", "name": "Fine", "department": "y" * 201},
        {"externalId": "n4", "name": "Fine"},
    ]
    data = {"source": "crm", "account": "acc-1", "contacts": contacts}
    payload = (await client.data(UPSERT, {"input": data}))["stakeholdersUpsert"]
    assert [(r["status"], [e["message"] for e in r["userErrors"]]) for r in payload["results"]] == [
        ("FAILED", ["name must not be empty."]),
        ("FAILED", ["title must not contain control characters."]),
        ("FAILED", ["department must be at most 200 characters."]),
        ("CREATED", []),
    ]
