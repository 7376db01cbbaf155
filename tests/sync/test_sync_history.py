"""Contact sync writes the change log like every other write: creations with every stored value, updates
with the fields that changed, reporting lines as they are linked and moved; a replay logs nothing. The
log alone rebuilds what is stored."""

from __future__ import annotations

import json
from typing import Any

from service.graph.database import Database
from tests.conftest import GraphQLClient
from tests.sync.helpers import contact, create_account, people, rows, upsert

LOG = """
MATCH (c:Change {workspaceId: $ws, entity: 'Stakeholder'})
RETURN c.entityId AS id, c.op AS op, c.fields AS fields, c.old AS old, c.new AS new, c.txId AS tx
ORDER BY c.at, c.txId, c.seq
"""


async def log(db: Database, workspace: str) -> list[dict[str, Any]]:
    """Every stakeholder change: op and field -> (old, new), decoded, oldest first."""
    found = await rows(db, workspace, LOG)
    return [
        {
            "id": row["id"],
            "op": row["op"],
            "fields": {
                name: (json.loads(old), json.loads(new))
                for name, old, new in zip(row["fields"], row["old"], row["new"], strict=True)
            },
        }
        for row in found
    ]


def rebuilt(changes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each stakeholder's values as the log says they are now (a removed value is left out)."""
    state: dict[str, dict[str, Any]] = {}
    for change in changes:
        values = state.setdefault(change["id"], {})
        for name, (_, new) in change["fields"].items():
            if new is None:
                values.pop(name, None)
            else:
                values[name] = new
    return state


async def test_creations_links_and_updates_are_logged_and_replays_are_not(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    await upsert(client, [contact("a", "Ann", title="CFO", reportsTo="b"), contact("c", "Cy")])
    await upsert(client, [contact("b", "Bo", level="SENIOR")])
    edit = [contact("c", "Cy", title="Buyer", email=None, reportsTo="b")]
    await upsert(client, edit)
    before_replay = await log(db, workspace)
    await upsert(client, edit)
    await upsert(client, [contact("a", "Ann", title=None, reportsTo=None)])

    stored = await people(db, workspace)
    ids = {key: person["id"] for key, person in stored.items()}
    new = {"stance": (None, "UNKNOWN"), "buyingRoles": (None, []), "buyerTypes": (None, [])}
    assert await log(db, workspace) == before_replay + [
        {"id": ids["a"], "op": "UPDATED", "fields": {"title": ("CFO", None), "reportsTo": (ids["b"], None)}},
    ]
    assert before_replay == [
        {"id": ids["a"], "op": "CREATED", "fields": {"name": (None, "Ann"), "title": (None, "CFO"), **new}},
        {"id": ids["c"], "op": "CREATED", "fields": {"name": (None, "Cy"), **new}},
        {"id": ids["b"], "op": "CREATED", "fields": {"name": (None, "Bo"), "level": (None, "SENIOR"), **new}},
        {"id": ids["a"], "op": "UPDATED", "fields": {"reportsTo": (None, ids["b"])}},
        {"id": ids["c"], "op": "UPDATED", "fields": {"title": (None, "Buyer"), "reportsTo": (None, ids["b"])}},
    ]


async def test_the_log_alone_rebuilds_the_synced_people(client: GraphQLClient, db: Database, workspace: str) -> None:
    await create_account(client)
    batch = [contact(f"p{i}", title=f"T{i % 3}", reportsTo=f"p{(i - 1) // 3}" if i else None) for i in range(40)]
    await upsert(client, list(reversed(batch)))  # managers come after their reports: linked in the same call
    await upsert(client, [contact(f"p{i}", title="Moved", reportsTo="p0") for i in range(5, 40, 5)])
    await upsert(client, [contact(f"p{i}", department="Sales", phone=None) for i in range(0, 40, 3)])

    stored = await people(db, workspace)
    ids = {key: person["id"] for key, person in stored.items()}
    managers = await rows(
        db, workspace, "MATCH (s:Stakeholder {workspaceId: $ws})-[:REPORTS_TO]->(m) RETURN s.id AS s, m.id AS m"
    )
    reports_to = {row["s"]: row["m"] for row in managers}
    expected = {
        ids[key]: {
            **{name: p[name] for name in ("name", "title", "department", "phone", "stance") if p.get(name) is not None},
            "buyingRoles": [],
            "buyerTypes": [],
            **({"reportsTo": reports_to[ids[key]]} if ids[key] in reports_to else {}),
        }
        for key, p in stored.items()
    }
    assert rebuilt(await log(db, workspace)) == expected


RAW_LOG = """
MATCH (c:Change {workspaceId: $ws, entity: 'Stakeholder'})
RETURN c.op AS op, c.fields AS fields, c.old AS old, c.new AS new, c.seq AS seq, c.txId AS tx
ORDER BY c.at, c.txId, c.seq
"""


async def test_logged_values_are_the_json_python_writes_for_every_text(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    """The write logs its changes in Cypher: texts come out as `json.dumps` writes them, byte for byte, also
    those that need escaping (a control character can only be stored some other way: set here directly)."""
    await create_account(client)
    odd = 'say "hi" \\ café 中文 😀'
    await upsert(client, [contact("a", odd, title="x")])
    await rows(
        db,
        workspace,
        "MATCH (s:Stakeholder {workspaceId: $ws}) SET s.title = $title RETURN s.id AS id",
        title='tab\there\nand \x01 "q" \\',
    )
    await upsert(client, [contact("a", odd, title=odd, department="d")])

    found = await rows(db, workspace, RAW_LOG)
    python = [
        (
            "CREATED",
            ["buyerTypes", "buyingRoles", "name", "stance", "title"],
            ["null"] * 5,
            ["[]", "[]", json.dumps(odd, ensure_ascii=False), '"UNKNOWN"', '"x"'],
        ),
        (
            "UPDATED",
            ["department", "title"],
            ["null", json.dumps('tab\there\nand \x01 "q" \\', ensure_ascii=False)],
            ['"d"', json.dumps(odd, ensure_ascii=False)],
        ),
    ]
    assert [(r["op"], r["fields"], r["old"], r["new"]) for r in found] == python
    assert [r["seq"] for r in found] == [0, 0]
    assert found[0]["tx"] != found[1]["tx"]
