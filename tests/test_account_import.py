"""accountGraphImport against the real database: counts, idempotency, REPLACE, validation, history."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from service.demo import demo_documents
from service.graph.database import Database
from tests.conftest import ACCOUNT_DATA, GraphQLClient

IMPORT = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) {
    account { name }
    created updated unchanged archived removed
    userErrors { field message code }
  }
}
"""

CANON_RECORDS = 1 + 16 + 2 + 20 + 9 + 6 + 3 + 5  # account, people, circles, influences, ties, team, coverage, visits


def canon() -> dict[str, Any]:
    return copy.deepcopy(demo_documents()[0])


def shanghai() -> dict[str, Any]:
    return copy.deepcopy(demo_documents()[1])


async def run_import(client: GraphQLClient, variables: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = (await client.data(IMPORT, variables))["accountGraphImport"]
    return payload


async def count_nodes(db: Database, workspace: str) -> int:
    records, _, _ = await db.driver.execute_query(
        f"MATCH (n {{workspaceId: $ws}}) WHERE {ACCOUNT_DATA} RETURN count(n) AS n", ws=workspace
    )
    total: int = records[0]["n"]
    return total


def counts(payload: dict[str, Any]) -> tuple[int, ...]:
    return tuple(payload[k] for k in ("created", "updated", "unchanged", "archived", "removed"))


async def test_canon_imports_every_record_then_reimports_unchanged(client: GraphQLClient) -> None:
    first = await run_import(client, canon())
    second = await run_import(client, canon())
    assert (first["userErrors"], counts(first)) == ([], (CANON_RECORDS, 0, 0, 0, 0))
    assert (second["userErrors"], counts(second)) == ([], (0, 0, CANON_RECORDS, 0, 0))


async def test_reimport_writes_nothing_and_bumps_no_version(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await run_import(client, canon())
    versions = "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN collect(s.version) AS v, max(s.updatedAt) AS t"
    before, _, _ = await db.driver.execute_query(versions, ws=workspace)
    await run_import(client, canon())
    after, _, _ = await db.driver.execute_query(versions, ws=workspace)
    assert (after[0]["v"], after[0]["t"]) == (before[0]["v"], before[0]["t"])


async def test_replace_without_a_stakeholder_archives_them(client: GraphQLClient) -> None:
    await run_import(client, canon())
    document = canon()
    body = document["input"]
    body["stakeholders"] = [s for s in body["stakeholders"] if s["externalId"] != "p-acct"]
    body["circles"][0]["members"] = [m for m in body["circles"][0]["members"] if m["stakeholder"] != "p-acct"]

    payload = await run_import(client, document)

    assert counts(payload) == (0, 1, CANON_RECORDS - 2, 1, 0)  # the red circle lost a member
    page = await client.data(
        """query($source: String!, $id: String!) { accountByExternalId(source: $source, id: $id) {
             active: stakeholders(first: 100) { totalCount nodes { name } }
             all: stakeholders(first: 100, includeArchived: true) { totalCount nodes { name archived } } } }""",
        {"source": "demo", "id": "acc-canon-zh"},
    )
    account = page["accountByExternalId"]
    assert account["active"]["totalCount"] == 15
    assert "许静" not in [n["name"] for n in account["active"]["nodes"]]
    assert {"name": "许静", "archived": True} in account["all"]["nodes"]
    assert account["all"]["totalCount"] == 16


async def test_replace_removes_links_the_document_dropped(client: GraphQLClient) -> None:
    await run_import(client, canon())
    document = canon()
    document["input"]["influences"] = document["input"]["influences"][1:]
    document["input"]["ties"] = document["input"]["ties"][1:]

    payload = await run_import(client, document)

    assert counts(payload) == (0, 0, CANON_RECORDS - 2, 0, 2)


async def test_merge_keeps_what_the_document_leaves_out(client: GraphQLClient) -> None:
    await run_import(client, canon())
    document = canon()
    document["input"]["mode"] = "MERGE"
    document["input"]["influences"] = []
    for s in document["input"]["stakeholders"]:
        s.pop("stance", None)

    payload = await run_import(client, document)

    assert counts(payload) == (0, 0, CANON_RECORDS - 20, 0, 0)


async def test_namesakes_in_two_accounts_stay_two_people(client: GraphQLClient) -> None:
    await run_import(client, canon())
    await run_import(client, shanghai())
    data = await client.data(
        '{ accounts(first: 10) { nodes { name stakeholders(first: 100, search: "唐军") { nodes { id title } } } } }'
    )
    found = {a["name"]: a["stakeholders"]["nodes"] for a in data["accounts"]["nodes"]}
    assert len(found["日本佳能公司(广东珠海)"]) == len(found["上海烟草工业印刷厂"]) == 1
    assert found["日本佳能公司(广东珠海)"][0]["id"] != found["上海烟草工业印刷厂"][0]["id"]


async def test_stance_change_is_recorded_in_history(client: GraphQLClient) -> None:
    await run_import(client, canon())
    document = canon()
    cfo = next(s for s in document["input"]["stakeholders"] if s["externalId"] == "p-cfo")
    cfo["stance"] = "NEUTRAL"

    payload = await run_import(client, document)
    data = await client.data(
        """{ accounts(first: 1) { nodes { stakeholders(first: 1, search: "财务总监") { nodes {
             version history { entity field oldValue newValue by } } } } } }"""
    )

    assert counts(payload) == (0, 1, CANON_RECORDS - 1, 0, 0)
    me = (await client.data("{ me { id } }"))["me"]["id"]
    person = data["accounts"]["nodes"][0]["stakeholders"]["nodes"][0]
    assert person["version"] == 2
    assert person["history"][0] == {
        "entity": "Stakeholder",
        "field": "stance",
        "oldValue": '"OPPONENT"',
        "newValue": '"NEUTRAL"',
        "by": me,
    }


def _document_with(**changes: Any) -> dict[str, Any]:
    document = canon()
    for path, value in changes.items():
        target: Any = document["input"]
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return document


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"stakeholders__2__influence": 6},
            (["input", "stakeholders", "2", "influence"], "INVALID", "influence must be between 1 and 5, got 6."),
        ),
        (
            {"influences__0__strength": 0},
            (["input", "influences", "0", "strength"], "INVALID", "strength must be between 1 and 5, got 0."),
        ),
        (
            {"influences__0__to": "p-cfo"},
            (
                ["input", "influences", "0", "to"],
                "INVALID",
                "an influence link cannot link a stakeholder to themselves.",
            ),
        ),
        (
            {"influences__0__from": "p-nobody"},
            (["input", "influences", "0", "from"], "NOT_FOUND", "no stakeholder with key 'p-nobody' in this document."),
        ),
        (
            {"ties__0__strength": 9},
            (["input", "ties", "0", "strength"], "INVALID", "strength must be between 1 and 5, got 9."),
        ),
        (
            {"ties__0__b": "p-cfo"},
            (["input", "ties", "0", "b"], "INVALID", "a tie cannot link a stakeholder to themselves."),
        ),
        (
            {"coverage__0__relationshipStep": 7},
            (
                ["input", "coverage", "0", "relationshipStep"],
                "INVALID",
                "relationshipStep must be between 1 and 5, got 7.",
            ),
        ),
        (
            {"coverage__0__teamMember": "t-ghost"},
            (
                ["input", "coverage", "0", "teamMember"],
                "NOT_FOUND",
                "no team member with key 't-ghost' in this document.",
            ),
        ),
        (
            {"stakeholders__0__name": "  "},
            (["input", "stakeholders", "0", "name"], "INVALID", "name must not be empty."),
        ),
        (
            {"account__name": ""},
            (["input", "account", "name"], "INVALID", "name must not be empty."),
        ),
        (
            {"circles__0__members__0__stakeholder": "p-ghost"},
            (
                ["input", "circles", "0", "members", "0", "stakeholder"],
                "NOT_FOUND",
                "no stakeholder with key 'p-ghost' in this document.",
            ),
        ),
        (
            {"stakeholders__1__reportsTo": "p-gm2"},
            (
                ["input", "stakeholders", "1", "reportsTo"],
                "NOT_FOUND",
                "no stakeholder with key 'p-gm2' in this document.",
            ),
        ),
    ],
)
async def test_invalid_document_names_the_field_and_writes_nothing(
    client: GraphQLClient, db: Database, changes: dict[str, Any], error: tuple[list[str], str, str], workspace: str
) -> None:
    payload = await run_import(client, _document_with(**changes))

    field, code, message = error
    assert payload["userErrors"] == [{"field": field, "code": code, "message": message}]
    assert (payload["account"], counts(payload)) == (None, (0, 0, 0, 0, 0))
    assert await count_nodes(db, workspace) == 0


async def test_duplicate_stakeholder_key_is_a_conflict(client: GraphQLClient, db: Database, workspace: str) -> None:
    document = canon()
    document["input"]["stakeholders"].append(dict(document["input"]["stakeholders"][0]))

    payload = await run_import(client, document)

    assert payload["userErrors"] == [
        {
            "field": ["input", "stakeholders", "16", "externalId"],
            "code": "CONFLICT",
            "message": "duplicates stakeholders[0]; each may appear once.",
        }
    ]
    assert await count_nodes(db, workspace) == 0


async def test_reporting_cycle_is_refused(client: GraphQLClient, db: Database, workspace: str) -> None:
    document = canon()
    gm = next(s for s in document["input"]["stakeholders"] if s["externalId"] == "p-gm")
    gm["reportsTo"] = "p-cfo"

    payload = await run_import(client, document)

    assert [e["field"] for e in payload["userErrors"]] == [
        ["input", "stakeholders", "1", "reportsTo"],
        ["input", "stakeholders", "2", "reportsTo"],
    ]
    assert await count_nodes(db, workspace) == 0


async def test_stakeholder_of_another_account_is_a_conflict(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await run_import(client, canon())
    before = await count_nodes(db, workspace)
    document = shanghai()
    document["input"]["stakeholders"][0]["externalId"] = "p-tangjun"
    document["input"]["stakeholders"][3]["reportsTo"] = "p2-hr"
    for interaction in document["input"]["interactions"]:
        interaction["stakeholders"] = ["p-tangjun"]
    document["input"]["influences"][1]["from"] = "p-tangjun"
    document["input"]["coverage"][0]["stakeholder"] = "p-tangjun"

    payload = await run_import(client, document)

    assert payload["userErrors"] == [
        {
            "field": ["input", "stakeholders", "0", "externalId"],
            "code": "CONFLICT",
            "message": "'p-tangjun' of source 'demo' belongs to another account.",
        }
    ]
    assert await count_nodes(db, workspace) == before


CHANGE_LOG = """
MATCH (c:Change {workspaceId: $ws})
RETURN c.entity AS entity, c.op AS op, count(*) AS n ORDER BY entity, op
"""


async def change_log(db: Database, ws: str) -> dict[tuple[str, str], int]:
    rows, _, _ = await db.driver.execute_query(CHANGE_LOG, ws=ws)
    return {(row["entity"], row["op"]): row["n"] for row in rows}


async def test_every_kind_of_change_of_an_import_is_logged(client: GraphQLClient, db: Database, workspace: str) -> None:
    document = canon()
    await run_import(client, document)
    created = await change_log(db, workspace)
    assert created == {
        ("Account", "CREATED"): 1,
        ("Circle", "CREATED"): 2,
        ("CircleRelation", "CREATED"): 1,
        ("Coverage", "CREATED"): 3,
        ("InfluenceLink", "CREATED"): 20,
        ("Interaction", "CREATED"): 5,
        ("Membership", "CREATED"): sum(len(c.get("members", [])) for c in document["input"]["circles"]),
        ("Stakeholder", "CREATED"): 16,
        ("TeamAssignment", "CREATED"): 6,
        ("TeamMember", "CREATED"): 6,
        ("Tie", "CREATED"): 9,
    }
    changed = canon()
    changed["input"]["mode"] = "REPLACE"
    changed["input"]["account"]["tier"] = "B"
    people = changed["input"]["stakeholders"]
    people[0]["reportsTo"] = None
    dropped = people.pop()
    changed["input"]["influences"] = [
        i for i in changed["input"]["influences"] if dropped["externalId"] not in (i["from"], i["to"])
    ]
    changed["input"]["ties"] = [t for t in changed["input"]["ties"] if dropped["externalId"] not in (t["a"], t["b"])]
    for circle in changed["input"]["circles"]:
        circle["members"] = [m for m in circle.get("members", []) if m["stakeholder"] != dropped["externalId"]]
    changed["input"]["coverage"] = [
        c for c in changed["input"]["coverage"] if c["stakeholder"] != dropped["externalId"]
    ]
    for visit in changed["input"]["interactions"]:
        visit["stakeholders"] = [s for s in visit["stakeholders"] if s != dropped["externalId"]]
    changed["input"]["interactions"] = [v for v in changed["input"]["interactions"] if v["stakeholders"]]
    payload = await run_import(client, changed)
    assert payload["userErrors"] == []
    after = await change_log(db, workspace)
    assert after[("Account", "UPDATED")] == 1
    assert after[("Stakeholder", "ARCHIVED")] == 1
    reporting = """
    MATCH (c:Change {workspaceId: $ws, entity: 'Stakeholder', op: 'UPDATED'})
    RETURN c.fields AS fields, c.old AS old, c.new AS new
    """
    rows, _, _ = await db.driver.execute_query(reporting, ws=workspace)
    manager = (
        await db.driver.execute_query(
            "MATCH (:StakeholderRef {workspaceId: $ws, externalId: 'p-gm'})-[:IDENTIFIES]->(s) RETURN s.id AS id",
            ws=workspace,
        )
    )[0][0]["id"]
    assert [(row["fields"], row["old"], row["new"]) for row in rows] == [(["reportsTo"], [f'"{manager}"'], ["null"])]
