"""stakeholderMerge: everything of the duplicate moves to the survivor, conflicts are explained, nothing is lost."""

from __future__ import annotations

from typing import Any

from service.graph.database import Database
from service.schema.ids import raw_id_of
from tests.conftest import GraphQLClient
from tests.sync.helpers import IMPORT, contact, create_account, graph_snapshot, people, rows, statuses, upsert

MERGE = """
mutation Merge($input: StakeholderMergeInput!) {
  stakeholderMerge(input: $input) {
    survivor { id name }
    duplicate { id name archived }
    moved conflicts
    userErrors { field message code }
  }
}
"""

PERSON = """
query Person($id: ID!) {
  stakeholder(id: $id) {
    name title stance buyingRoles archived version
    externalIds { source id }
    reportsTo { name }
    directReports { name }
    influences { to { name } strength }
    influencedBy { from { name } strength }
    ties { kind a { name } b { name } strength }
    circles { circle { name } core }
    coveredBy { teamMember { name } relationshipStep }
    history(first: 100) { field newValue }
  }
}
"""

NAMES = """
query($source: String!, $id: String!) {
  accountByExternalId(source: $source, id: $id) { stakeholders(first: 100, includeArchived: true) { nodes { id name } } }
}
"""


def document() -> dict[str, Any]:
    def person(key: str, name: str, **fields: Any) -> dict[str, Any]:
        return {"externalId": key, "name": name, **fields}

    return {
        "input": {
            "source": "crm",
            "account": {"externalId": "acc-1", "name": "Canon Zhuhai"},
            "stakeholders": [
                person("s", "Sato", stance="SUPPORTER", influence=4, reportsTo="boss"),
                person("d", "Sato T.", stance="NEUTRAL", title="CFO", buyingRoles=["APPROVER"], reportsTo="z"),
                person("y", "山田浩二"),
                person("z", "Zed"),
                person("boss", "Boss"),
                person("r", "Report", reportsTo="d"),
            ],
            "influences": [
                {"from": "s", "to": "y", "strength": 4},
                {"from": "d", "to": "y", "strength": 3},
                {"from": "d", "to": "z", "strength": 2},
                {"from": "z", "to": "d", "strength": 5},
                {"from": "d", "to": "s", "strength": 3},
            ],
            "ties": [
                {"kind": "KNOWS", "a": "d", "b": "z"},
                {"kind": "ALLY", "a": "d", "b": "s"},
                {"kind": "KNOWS", "a": "s", "b": "y", "strength": 4},
                {"kind": "KNOWS", "a": "d", "b": "y", "strength": 2},
            ],
            "circles": [
                {"key": "red", "name": "Red", "members": [{"stakeholder": "s"}, {"stakeholder": "d", "core": True}]},
                {"key": "green", "name": "Green", "members": [{"stakeholder": "d"}]},
            ],
            "team": [
                {"externalId": "t1", "name": "Zhang Hua", "role": "SALES"},
                {"externalId": "t2", "name": "Li Wei", "role": "ENGINEER"},
            ],
            "coverage": [
                {"teamMember": "t1", "stakeholder": "s", "relationshipStep": 3},
                {"teamMember": "t1", "stakeholder": "d", "relationshipStep": 4},
                {"teamMember": "t2", "stakeholder": "d", "relationshipStep": 2},
            ],
            "interactions": [
                {"externalId": "i1", "at": "2026-10-01T09:00:00+08:00", "type": "VISIT", "teamMember": "t1",
                 "stakeholders": ["s", "d"]},
                {"externalId": "i2", "at": "2026-10-08T09:00:00+08:00", "type": "PHONE", "teamMember": "t2",
                 "stakeholders": ["d"]},
            ],
        }
    }  # fmt: skip


async def setup(client: GraphQLClient) -> dict[str, str]:
    payload = (await client.data(IMPORT, document()))["accountGraphImport"]
    assert payload["userErrors"] == []
    nodes = (await client.data(NAMES, {"source": "crm", "id": "acc-1"}))["accountByExternalId"]["stakeholders"]["nodes"]
    return {node["name"]: node["id"] for node in nodes}


async def merge(client: GraphQLClient, survivor: str, duplicate: str) -> dict[str, Any]:
    payload: dict[str, Any] = (await client.data(MERGE, {"input": {"survivor": survivor, "duplicate": duplicate}}))[
        "stakeholderMerge"
    ]
    return payload


async def person(client: GraphQLClient, global_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await client.data(PERSON, {"id": global_id}))["stakeholder"]
    return found


async def test_merge_moves_everything_and_explains_conflicts(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    ids = await setup(client)

    payload = await merge(client, ids["Sato"], ids["Sato T."])

    assert payload["userErrors"] == []
    assert (payload["survivor"]["name"], payload["duplicate"]["archived"]) == ("Sato", True)
    assert sorted(payload["conflicts"]) == sorted(
        [
            "both influence 山田浩二: kept strength 4 (survivor), dropped 3 (duplicate)",
            "both have a KNOWS tie with 山田浩二: kept strength 4 (survivor), dropped 2 (duplicate)",
            "both are in circle Red: kept core False (survivor), dropped True (duplicate)",
            "Zhang Hua covers both: kept relationship step 3 (survivor), dropped 4 (duplicate)",
            "managers differ: kept Boss (survivor), dropped Zed (duplicate)",
            "dropped the influence link (strength 3) between the two: it would link the survivor to itself",
            "dropped the ALLY tie between the two: it would link the survivor to itself",
            "stance: kept SUPPORTER (survivor), dropped NEUTRAL (duplicate)",
            "name: kept Sato (survivor), dropped Sato T. (duplicate)",
        ]
    )
    survivor = await person(client, ids["Sato"])
    assert (survivor["title"], survivor["stance"], survivor["buyingRoles"]) == ("CFO", "SUPPORTER", ["APPROVER"])
    assert sorted((e["source"], e["id"]) for e in survivor["externalIds"]) == [("crm", "d"), ("crm", "s")]
    assert survivor["reportsTo"] == {"name": "Boss"}
    assert survivor["directReports"] == [{"name": "Report"}]
    assert sorted((i["to"]["name"], i["strength"]) for i in survivor["influences"]) == [("Zed", 2), ("山田浩二", 4)]
    assert survivor["influencedBy"] == [{"from": {"name": "Zed"}, "strength": 5}]
    assert sorted((t["kind"], t["strength"] or 0) for t in survivor["ties"]) == [("KNOWS", 0), ("KNOWS", 4)]
    assert sorted((c["circle"]["name"], c["core"]) for c in survivor["circles"]) == [("Green", False), ("Red", False)]
    assert sorted((c["teamMember"]["name"], c["relationshipStep"]) for c in survivor["coveredBy"]) == [
        ("Li Wei", 2),
        ("Zhang Hua", 3),
    ]
    fields = [change["field"] for change in survivor["history"]]
    assert "mergedFrom" in fields
    assert "buyingRoles" in fields
    assert fields.count("stance") == 2  # the survivor's own stance and the duplicate's, from the import
    met = await rows(
        db,
        workspace,
        "MATCH (i:Interaction {workspaceId: $ws})-[:MET]->(s:Stakeholder) RETURN i.externalId AS visit, collect(s.name) AS met ORDER BY visit",
    )
    assert met == [{"visit": "i1", "met": ["Sato"]}, {"visit": "i2", "met": ["Sato"]}]
    leftovers = await rows(
        db,
        workspace,
        "MATCH (d:Stakeholder {workspaceId: $ws, name: 'Sato T.'}) RETURN d.archived AS archived, d.mergedInto AS into,"
        " [(d)-[r]-() WHERE type(r) <> 'ABOUT' | type(r)] AS links, d._mergeLock AS lock",
    )
    assert leftovers == [{"archived": True, "into": raw_id_of(ids["Sato"], "Stakeholder"), "links": [], "lock": None}]
    self_links = await rows(db, workspace, "MATCH (a:Stakeholder {workspaceId: $ws})-[r]->(a) RETURN count(r) AS n")
    assert self_links == [{"n": 0}]


async def test_merging_again_changes_nothing(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await setup(client)
    await merge(client, ids["Sato"], ids["Sato T."])
    before = await graph_snapshot(db, workspace)

    again = await merge(client, ids["Sato"], ids["Sato T."])

    assert (again["userErrors"], again["conflicts"], again["moved"]) == ([], [], 0)
    assert await graph_snapshot(db, workspace) == before


async def test_a_sync_by_the_duplicates_key_updates_the_survivor(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    ids = await setup(client)
    await merge(client, ids["Sato"], ids["Sato T."])

    payload = await upsert(client, [contact("d", "Sato", title="CFO"), contact("s", "Sato")])

    assert statuses(payload) == ["UNCHANGED", "UNCHANGED"]
    assert {key: p["name"] for key, p in (await people(db, workspace)).items() if key in ("s", "d")} == {
        "s": "Sato",
        "d": "Sato",
    }


async def test_refused_merges_write_nothing(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await setup(client)
    await create_account(client, "acc-2")
    await upsert(client, [contact("other", "Other")], account="acc-2")
    nodes = (await client.data(NAMES, {"source": "crm", "id": "acc-2"}))["accountByExternalId"]["stakeholders"]["nodes"]
    before = await graph_snapshot(db, workspace)

    other_account = await merge(client, ids["Sato"], nodes[0]["id"])
    itself = await merge(client, ids["Sato"], ids["Sato"])
    malformed = await merge(client, "nope", ids["Sato"])

    assert [(e["field"], e["code"]) for e in other_account["userErrors"]] == [(["input", "duplicate"], "INVALID")]
    assert [(e["field"], e["code"]) for e in itself["userErrors"]] == [(["input", "duplicate"], "INVALID")]
    assert [(e["field"], e["code"]) for e in malformed["userErrors"]] == [(["input", "survivor"], "NOT_FOUND")]
    assert other_account["survivor"] is None
    assert await graph_snapshot(db, workspace) == before
