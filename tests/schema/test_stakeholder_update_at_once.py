"""stakeholderUpdate as a write that is one query (`stakeholder_edit`, run by `Database.write_one_query`): it writes,
logs, audits, ticks and publishes exactly what the step-by-step path writes for the same edit, and nothing at all
for a refused or empty one."""

from __future__ import annotations

from typing import Any

import pytest

from service.graph.database import Database, Scope
from service.graph.writes.stakeholders import Edited, stakeholder_edit
from service.rules.access import Role
from service.rules.entity_changes.diff import assigned
from service.rules.entity_changes.refs import IdArg
from service.rules.entity_changes.rejected import Rejected, reject_if
from service.rules.enums import ErrorCode
from service.rules.identity import AuditNote
from service.rules.models import Stakeholder
from service.rules.validation import Problem
from service.schema.ids import encode_id, raw_id_of
from service.usecases.stakeholders import StakeholderEdit, _update
from tests.conftest import GraphQLClient, QueryCounterView
from tests.schema.factories import USER_ERRORS, error, import_account, mutate, snapshot

ODD = 'say "hi"\n\\ café 😀 \t\r/ end \u2028'
"""A note with what `json.dumps` escapes (quotes, backslashes, control characters a note may hold) and non-ASCII
that it keeps."""

START = {
    "name": "Jo Doe",
    "title": 'Head of "IT"\nand \x01\x1f Ops',
    "notes": ODD,
    "buyingRoles": ["USER"],
    "influence": 2,
    "phone": "1",
}
"""What both people hold before the edits, set directly: texts no input may give (every control character)."""

EDITS: list[dict[str, Any]] = [
    {"notes": "plain", "title": 'a "quoted" \\ title ☃'},
    {"buyingRoles": ("DECISION_MAKER", "USER", "APPROVER"), "influence": 5, "stance": "MENTOR", "notes": ODD},
    {"stance": None, "notes": None, "name": 'Ünïcødé ☃ "q"'},
    {"stance": None, "notes": None},
    {"buyingRoles": None, "influence": None, "email": "a@b.example", "phone": None},
    {"buyerTypes": ("ECONOMIC",), "level": "SENIOR", "department": "\u2028line\u2029", "contactTier": "VIP"},
    {"buyerTypes": (), "influence": 1, "title": ""},
    {"title": "", "influence": 1},
]
"""Texts that need escaping, lists of enums (empty too), integers, clearing (stance to UNKNOWN, lists to [], others
absent), a field never set, and edits that change nothing."""

STATE = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
RETURN s {.*, id: null, updatedAt: null} AS props, s.updatedAt AS updatedAt,
       [(c:Change {workspaceId: $ws})-[:ABOUT]->(s) WHERE c.entityId = s.id |
        c {.op, .fields, .old, .new, .seq, .entity, .accountId, .txId, .at}] AS changes,
       COLLECT { MATCH (a:Account {workspaceId: $ws, id: s.accountId}) RETURN a.clock }[0] AS clock
"""

AUDIT = """
MATCH (e:AuditEntry {workspaceId: $ws, requestId: $request})
RETURN e {.*, id: null, at: null, requestId: null} AS entry
"""

COMMITS = "MATCH (q:ChangeCommit {workspaceId: $ws, txId: $txId}) RETURN q.changes AS changes"


async def state(db: Database, ws: str, person: str) -> dict[str, Any]:
    rows, _, _ = await db.driver.execute_query(STATE, ws=ws, id=person)
    found = rows[0].data()
    found["changes"] = sorted(found["changes"], key=lambda c: (c.pop("at"), c["seq"]))
    return found


async def audit_entries(db: Database, ws: str, request: str) -> list[dict[str, Any]]:
    rows, _, _ = await db.driver.execute_query(AUDIT, ws=ws, request=request)
    return [row["entry"] for row in rows]


async def audit_log(db: Database, ws: str) -> list[tuple[str, str, list[str], int]]:
    """Operation, outcome, entity ids and count of every audit entry of `ws`, oldest first."""
    rows, _, _ = await db.driver.execute_query(
        "MATCH (e:AuditEntry {workspaceId: $ws}) RETURN e ORDER BY e.at, e.id", ws=ws
    )
    return [(r["e"]["operation"], r["e"]["outcome"], r["e"]["entityIds"], r["e"]["entityCount"]) for r in rows]


async def commits(db: Database, ws: str, tx_id: str) -> list[int]:
    rows, _, _ = await db.driver.execute_query(COMMITS, ws=ws, txId=tx_id)
    return [row["changes"] for row in rows]


def internal(global_id: str) -> str:
    found = raw_id_of(global_id, "Stakeholder")
    assert found is not None
    return found


def person_arg(person: str) -> IdArg:
    return IdArg(("id",), "Stakeholder", person, person)


def finished(edited: Edited) -> Stakeholder | None:
    return edited.stakeholder if edited.finished else None


async def edit_at_once(db: Database, scope: Scope, person: str, values: dict[str, Any]) -> Stakeholder | None:
    one = stakeholder_edit(person, assigned(values), None)
    assert one is not None
    return await db.write_one_query(scope, one, finished)


async def edit_in_steps(db: Database, scope: Scope, person: str, values: dict[str, Any]) -> Stakeholder | None:
    return await db.write(scope, _update, StakeholderEdit(person_arg(person), values))


async def test_the_one_query_path_writes_what_the_step_by_step_path_writes(
    client: GraphQLClient, db: Database, workspace: str, query_count: QueryCounterView
) -> None:
    acc = await import_account(client, people=["stepwise", "at-once"])
    stepwise, at_once = internal(acc["stepwise"]), internal(acc["at-once"])
    await db.driver.execute_query("MATCH (s:Stakeholder {workspaceId: $ws}) SET s += $props", ws=workspace, props=START)
    for n, values in enumerate(EDITS):
        results = {}
        for person, edit in ((stepwise, edit_in_steps), (at_once, edit_at_once)):
            request = f"edit {n} of {person}"
            scope = Scope(workspace, "tester", audit=AuditNote("stakeholderUpdate", Role.ADMIN, request))
            before = await state(db, workspace, person)
            query_count.reset()
            answer = await edit(db, scope, person, dict(values))
            queries = query_count.value
            after = await state(db, workspace, person)
            assert answer is not None
            assert answer.updated_at == after.pop("updatedAt").to_native(), values  # exact, changed or not
            assert answer.version == after["props"]["version"], values
            earlier = {c["txId"] for c in before["changes"]}
            new = [c for c in after["changes"] if c["txId"] not in earlier]
            tx_ids = {c.pop("txId") for c in new}
            [entry] = await audit_entries(db, workspace, request)
            entry["entityIds"] = ["person" if i == person else i for i in entry["entityIds"]]
            results[edit] = {
                "props": after["props"],
                "new changes": new,
                "commits": [await commits(db, workspace, tx_id) for tx_id in tx_ids],
                "ticked": after["clock"] != before["clock"],
                "audit": entry,
            }
            if edit is edit_at_once:
                assert queries == 1, values
        assert results[edit_at_once] == results[edit_in_steps], values
    changed = [e for e in EDITS if e != {"stance": None, "notes": None} and e != {"title": "", "influence": 1}]
    assert len((await state(db, workspace, at_once))["changes"]) == len(changed) + 1  # and its creation


async def test_a_no_op_edit_writes_nothing_but_its_audit_entry(
    client: GraphQLClient, db: Database, workspace: str, query_count: QueryCounterView
) -> None:
    acc = await import_account(client)
    before = await snapshot(db, workspace)
    audited = await audit_log(db, workspace)
    query_count.reset()
    payload = await mutate(
        client,
        "stakeholderUpdate",
        {"id": acc["p1"], "version": 1, "name": "Person p1", "stance": "UNKNOWN", "buyingRoles": [], "notes": None},
        f"stakeholder {{ version }} {USER_ERRORS}",
    )
    assert payload == {"stakeholder": {"version": 1}, "userErrors": []}
    assert query_count.value == 1
    assert await snapshot(db, workspace) == before
    assert await audit_log(db, workspace) == audited + [("stakeholderUpdate", "OK", [], 0)]


async def test_stale_and_unknown_edits_write_nothing_but_their_refusal(
    client: GraphQLClient, db: Database, workspace: str, query_count: QueryCounterView
) -> None:
    acc = await import_account(client)
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "stance": "NEUTRAL"}, USER_ERRORS)
    unknown = encode_id("Stakeholder", "0" * 32)
    cases = [
        (
            {"id": acc["p1"], "version": 1, "stance": "ENEMY", "notes": ODD},
            error(
                ["input", "version"],
                "the stakeholder was changed meanwhile: version 2, not 1; reload and retry.",
                "STALE",
            ),
        ),
        (
            {"id": unknown, "notes": "x"},
            error(["input", "id"], f"no stakeholder with id {unknown!r}.", "NOT_FOUND"),
        ),
    ]
    for edit, expected in cases:
        before = await snapshot(db, workspace)
        audited = await audit_log(db, workspace)
        query_count.reset()
        payload = await mutate(client, "stakeholderUpdate", edit, f"stakeholder {{ id }} {USER_ERRORS}")
        assert payload == {"stakeholder": None, "userErrors": [expected]}
        assert query_count.value == 2  # the edit, rolled back; the refusal's audit entry
        assert await snapshot(db, workspace) == before
        assert await audit_log(db, workspace) == audited + [("stakeholderUpdate", expected["code"], [], 0)]


async def test_the_feed_shows_each_update_once(client: GraphQLClient, db: Database, workspace: str) -> None:
    acc = await import_account(client)
    feed = """query($after: String) { changes(after: $after, first: 100) {
      entries { entityId operation fields { name old new } } endCursor } }"""
    start = (await client.data(feed))["changes"]["endCursor"]
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "notes": ODD, "influence": 3}, USER_ERRORS)
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "notes": ODD}, USER_ERRORS)  # nothing changes
    await mutate(client, "stakeholderArchive", {"id": acc["p2"]}, USER_ERRORS)
    entries = (await client.data(feed, {"after": start}))["changes"]["entries"]
    escaped = '"say \\"hi\\"\\n\\\\ café 😀 \\t\\r/ end \u2028"'
    assert entries == [
        {
            "entityId": acc["p1"],
            "operation": "UPDATED",
            "fields": [{"name": "influence", "old": None, "new": "3"}, {"name": "notes", "old": None, "new": escaped}],
        },
        {
            "entityId": acc["p2"],
            "operation": "ARCHIVED",
            "fields": [{"name": "archived", "old": "false", "new": "true"}],
        },
    ]
    rows, _, _ = await db.driver.execute_query(
        "MATCH (q:ChangeCommit {workspaceId: $ws}) RETURN q.number AS number, q.changes AS changes ORDER BY number",
        ws=workspace,
    )
    assert [row["changes"] for row in rows][-2:] == [1, 1]


async def test_a_stored_value_of_another_kind_takes_the_step_by_step_path(
    client: GraphQLClient, db: Database, workspace: str, query_count: QueryCounterView
) -> None:
    """A float where an integer belongs (no API writes one) is compared and logged as Python does it."""
    acc = await import_account(client)
    person = internal(acc["p1"])
    await db.driver.execute_query(
        "MATCH (s:Stakeholder {workspaceId: $ws, id: $id}) SET s.influence = 2.0, s.notes = 'n'",
        ws=workspace,
        id=person,
    )
    query_count.reset()
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "influence": 2, "notes": "m"}, USER_ERRORS)
    assert query_count.value == 1 + 3  # the one query found the float; then lock and read, set, finish
    found = await state(db, workspace, person)
    assert found["props"]["influence"] == 2.0  # 2 == 2.0: unchanged, as Python compares them
    assert [(c["fields"], c["old"], c["new"]) for c in found["changes"] if c["op"] == "UPDATED"] == [
        (["notes"], ['"n"'], ['"m"'])
    ]
    query_count.reset()
    await mutate(client, "stakeholderUpdate", {"id": acc["p1"], "influence": 3}, USER_ERRORS)
    found = await state(db, workspace, person)
    assert [(c["fields"], c["old"], c["new"]) for c in found["changes"] if c["op"] == "UPDATED"][-1] == (
        ["influence"],
        ["2.0"],
        ["3"],
    )


async def test_a_refusal_or_no_conclusion_rolls_the_one_query_back(
    db: Database, workspace: str, client: GraphQLClient
) -> None:
    """The query made the edit, logged and audited it; what the conclusion says undoes all of it."""
    acc = await import_account(client)
    person = internal(acc["p1"])
    before = await snapshot(db, workspace), await audit_log(db, workspace)
    scope = Scope(workspace, "tester", audit=AuditNote("stakeholderUpdate", Role.ADMIN, "r"))
    one = stakeholder_edit(person, {"notes": "x"}, None)
    assert one is not None

    def refuse(edited: Edited) -> Stakeholder | None:
        assert edited.finished
        reject_if([Problem(("input", "notes"), "refused.", ErrorCode.INVALID)])
        return edited.stakeholder

    with pytest.raises(Rejected) as refused:
        await db.write_one_query(scope, one, refuse)
    assert [p.code.value for p in refused.value.problems] == ["INVALID"]
    assert (await snapshot(db, workspace), await audit_log(db, workspace)) == before

    def roll_back(edited: Edited) -> Stakeholder | None:
        return None

    assert await db.write_one_query(scope, one, roll_back) is None
    assert (await snapshot(db, workspace), await audit_log(db, workspace)) == before
