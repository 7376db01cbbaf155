"""Competitors and their reps (the workspace's), rep contacts and favours, by hand."""

from __future__ import annotations

from service.graph.database import Database
from service.schema.ids import raw_id_of
from tests.conftest import GraphQLClient, QueryCounterView
from tests.deals.support import changes, import_deals, import_deals_elsewhere
from tests.schema.factories import USER_ERRORS, error, mutate, snapshot

COMPETITOR = f"competitor {{ id name origin externalIds {{ source id }} repCount }} {USER_ERRORS}"
REP = f"competitorRep {{ id name competitor {{ name }} contactCount }} {USER_ERRORS}"
CONTACT = "rep { name } stakeholder { name } visitsPerMonth typicalMinutes form topics strength"
CLOCK = 'query { accountByExternalId(source: "crm", id: "acc-d") { id } }'


async def clocks(db: Database, workspace: str) -> dict[str, str]:
    records, _, _ = await db.driver.execute_query(
        "MATCH (a:Account {workspaceId: $ws}) RETURN a.name AS name, a.clock AS clock", ws=workspace
    )
    return {r["name"]: r["clock"] for r in records}


async def test_competitor_create_update_and_list(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    given = {"name": "Nordic Steel", "origin": "国外公司", "externalId": {"source": "crm", "id": "c-n"}}
    created = await mutate(client, "competitorCreate", given, COMPETITOR)
    competitor = created["competitor"]
    assert created["userErrors"] == []
    assert {k: v for k, v in competitor.items() if k != "id"} == {
        "name": "Nordic Steel",
        "origin": "国外公司",
        "externalIds": [{"source": "crm", "id": "c-n"}],
        "repCount": 0,
    }
    updated = await mutate(client, "competitorUpdate", {"id": competitor["id"], "origin": None}, COMPETITOR)
    assert (updated["competitor"]["origin"], updated["userErrors"]) == (None, [])
    listed = await client.data('{ competitors(first: 5, search: "nordic") { totalCount nodes { id } } }')
    assert listed["competitors"] == {"totalCount": 1, "nodes": [{"id": competitor["id"]}]}
    raw = raw_id_of(competitor["id"], "Competitor")
    assert await changes(db, workspace, "Competitor") == [
        (raw, "CREATED", ["name", "origin"], [None, None], ["Nordic Steel", "国外公司"]),
        (raw, "UPDATED", ["origin"], ["国外公司"], [None]),
    ]


async def test_competitor_problems_write_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    elsewhere = await import_deals_elsewhere(db, other_workspace)
    before = await snapshot(db, workspace, other_workspace)
    payload = await mutate(
        client,
        "competitorCreate",
        {"name": "", "origin": "o" * 201, "externalId": {"source": "crm", "id": "c1"}},
        COMPETITOR,
    )
    assert payload["userErrors"] == [
        error(["input", "name"], "name must not be empty."),
        error(["input", "origin"], "origin must be at most 200 characters."),
        error(["input", "externalId"], "a competitor with id 'c1' of source 'crm' already exists.", "CONFLICT"),
    ]
    payload = await mutate(
        client, "competitorCreate", {"name": "Dup", "externalId": {"source": "crm", "id": "c1"}}, COMPETITOR
    )
    assert payload["userErrors"] == [
        error(["input", "externalId"], "a competitor with id 'c1' of source 'crm' already exists.", "CONFLICT")
    ]
    payload = await mutate(client, "competitorUpdate", {"id": ids["c1"], "name": None}, COMPETITOR)
    assert payload["userErrors"] == [error(["input", "name"], "name must not be empty.")]
    for name, given in (
        ("competitorUpdate", {"id": elsewhere["c1"], "name": "x"}),
        ("competitorDelete", {"id": elsewhere["c1"]}),
    ):
        found = await mutate(client, name, given, USER_ERRORS)
        assert found["userErrors"] == [
            error(["input", "id"], f"no competitor with id {elsewhere['c1']!r}.", "NOT_FOUND")
        ]
    payload = await mutate(client, "competitorDelete", {"id": ids["c1"]}, USER_ERRORS)
    assert payload["userErrors"] == [
        error(["input", "id"], "the competitor competes for 1 opportunity(ies); remove it from them first.", "CONFLICT")
    ]
    assert await snapshot(db, workspace, other_workspace) == before


async def test_a_competitor_change_ticks_the_clocks_of_the_accounts_that_show_it(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    ids = await import_deals(client)
    await client.data('mutation { accountCreate(input: {name: "Bystander"}) { account { id } } }')
    before = await clocks(db, workspace)
    await mutate(client, "competitorUpdate", {"id": ids["c2"], "name": "Local Co Ltd"}, COMPETITOR)
    after = await clocks(db, workspace)
    assert (after["Deal Account"] != before["Deal Account"], after["Bystander"] == before["Bystander"]) == (True, True)


async def test_competitor_delete_takes_its_reps_contacts_and_favours(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    ids = await import_deals(client)
    await mutate(
        client, "opportunityCompetitorRemove", {"opportunity": ids["o2"], "competitor": ids["c1"]}, USER_ERRORS
    )
    await mutate(client, "opportunityDelete", {"id": ids["o1"]}, USER_ERRORS)
    payload = await mutate(client, "competitorDelete", {"id": ids["c1"]}, f"deletedId {USER_ERRORS}")
    assert payload == {"deletedId": ids["c1"], "userErrors": []}
    rep = raw_id_of(ids["r1"], "CompetitorRep")
    p1, p3 = raw_id_of(ids["p1"], "Stakeholder"), raw_id_of(ids["p3"], "Stakeholder")
    c1 = raw_id_of(ids["c1"], "Competitor")
    assert [(c[0], c[1]) for c in await changes(db, workspace, "CompetitorRep")][-1] == (rep, "DELETED")
    assert [(c[0], c[1]) for c in await changes(db, workspace, "RepContact")][-1] == (f"{rep}:{p1}", "DELETED")
    assert [(c[0], c[1]) for c in await changes(db, workspace, "Favour")][-1] == (f"{p3}:{c1}", "DELETED")
    assert (await changes(db, workspace, "Competitor"))[-1] == (
        c1,
        "DELETED",
        ["name", "origin"],
        ["Foreign Co", "国外公司"],
        [None, None],
    )
    people = await client.data(
        "query($id: ID!) { node(id: $id) { ... on Stakeholder { favourCount competitorContactCount } } }",
        {"id": ids["p1"]},
    )
    assert people["node"] == {"favourCount": 0, "competitorContactCount": 0}
    records, _, _ = await db.driver.execute_query(
        "MATCH (n:CompetitorRep|CompetitorRepRef|CompetitorRef) WHERE n.workspaceId = $ws RETURN count(n) AS n",
        ws=workspace,
    )
    assert records[0]["n"] == 3  # r2 with its ref, and c2's ref


async def test_rep_create_update_and_delete(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    created = await mutate(
        client,
        "competitorRepCreate",
        {"competitor": ids["c1"], "name": "Rep Three", "externalId": {"source": "crm", "id": "r3"}},
        REP,
    )
    rep = created["competitorRep"]
    assert (rep["name"], rep["competitor"], rep["contactCount"], created["userErrors"]) == (
        "Rep Three",
        {"name": "Foreign Co"},
        0,
        [],
    )
    moved = await mutate(
        client, "competitorRepUpdate", {"id": rep["id"], "competitor": ids["c2"], "name": "Rep 3"}, REP
    )
    assert (moved["competitorRep"]["name"], moved["competitorRep"]["competitor"]) == ("Rep 3", {"name": "Local Co"})
    deleted = await mutate(client, "competitorRepDelete", {"id": ids["r1"]}, f"deletedId {USER_ERRORS}")
    assert deleted == {"deletedId": ids["r1"], "userErrors": []}
    raw = raw_id_of(rep["id"], "CompetitorRep")
    c1, c2 = raw_id_of(ids["c1"], "Competitor"), raw_id_of(ids["c2"], "Competitor")
    logged = [c for c in await changes(db, workspace, "CompetitorRep") if c[0] == raw]
    assert logged == [
        (raw, "CREATED", ["competitorId", "name"], [None, None], [c1, "Rep Three"]),
        (raw, "UPDATED", ["competitorId", "name"], [c1, "Rep Three"], [c2, "Rep 3"]),
    ]
    competitor = await client.data(
        "query($id: ID!) { node(id: $id) { ... on Competitor { repCount reps { name } } } }", {"id": ids["c1"]}
    )
    assert competitor["node"] == {"repCount": 0, "reps": []}


async def test_rep_problems_write_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    elsewhere = await import_deals_elsewhere(db, other_workspace)
    before = await snapshot(db, workspace, other_workspace)
    payload = await mutate(client, "competitorRepCreate", {"competitor": elsewhere["c1"], "name": " "}, REP)
    assert payload["userErrors"] == [
        error(["input", "competitor"], f"no competitor with id {elsewhere['c1']!r}.", "NOT_FOUND"),
        error(["input", "name"], "name must not be empty."),
    ]
    payload = await mutate(client, "competitorRepUpdate", {"id": ids["r1"], "competitor": ids["p1"]}, REP)
    assert payload["userErrors"] == [
        error(["input", "competitor"], f"no competitor with id {ids['p1']!r}.", "NOT_FOUND")
    ]
    payload = await mutate(client, "competitorRepDelete", {"id": elsewhere["r1"]}, USER_ERRORS)
    assert payload["userErrors"] == [
        error(["input", "id"], f"no competitor rep with id {elsewhere['r1']!r}.", "NOT_FOUND")
    ]
    assert await snapshot(db, workspace, other_workspace) == before


async def test_contact_set_and_remove(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    given = {
        "rep": ids["r2"],
        "stakeholder": ids["p2"],
        "visitsPerMonth": 3,
        "form": "golf",
        "topics": ["spec"],
        "strength": 2,
    }
    payload = await mutate(client, "competitorContactSet", given, f"competitorContact {{ {CONTACT} }} {USER_ERRORS}")
    assert payload == {
        "competitorContact": {
            "rep": {"name": "Rep Two"},
            "stakeholder": {"name": "Bo"},
            "visitsPerMonth": 3.0,
            "typicalMinutes": None,
            "form": "golf",
            "topics": ["spec"],
            "strength": 2,
        },
        "userErrors": [],
    }
    person = await client.data(
        f"query($id: ID!) {{ node(id: $id) {{ ... on Stakeholder {{ competitorContactCount competitorContacts {{ {CONTACT} }} }} }} }}",
        {"id": ids["p2"]},
    )
    assert person["node"]["competitorContactCount"] == 1
    removed = await mutate(
        client,
        "competitorContactRemove",
        {"rep": ids["r2"], "stakeholder": ids["p2"]},
        f"competitorRep {{ contactCount }} {USER_ERRORS}",
    )
    assert removed == {"competitorRep": {"contactCount": 1}, "userErrors": []}  # its contact with Cy stays
    key = f"{raw_id_of(ids['r2'], 'CompetitorRep')}:{raw_id_of(ids['p2'], 'Stakeholder')}"
    assert [(c[1], c[2]) for c in await changes(db, workspace, "RepContact") if c[0] == key] == [
        ("CREATED", ["form", "repId", "stakeholderId", "strength", "topics", "visitsPerMonth"]),
        ("DELETED", ["form", "repId", "stakeholderId", "strength", "topics", "visitsPerMonth"]),
    ]
    history = await client.data(
        "query($id: ID!) { stakeholder(id: $id) { history { entity operation field } } }", {"id": ids["p2"]}
    )
    assert [r["operation"] for r in history["stakeholder"]["history"] if r["entity"] == "RepContact"] == [
        "DELETED"
    ] * 6 + ["CREATED"] * 6


async def test_contact_problems_write_nothing(
    client: GraphQLClient, db: Database, workspace: str, other_workspace: str
) -> None:
    ids = await import_deals(client)
    elsewhere = await import_deals_elsewhere(db, other_workspace)
    before = await snapshot(db, workspace, other_workspace)
    given = {
        "rep": ids["r1"],
        "stakeholder": elsewhere["p1"],
        "visitsPerMonth": -1,
        "typicalMinutes": 0,
        "topics": ["", "x"],
        "strength": 9,
    }
    payload = await mutate(client, "competitorContactSet", given, USER_ERRORS)
    assert payload["userErrors"] == [
        error(["input", "stakeholder"], f"no stakeholder with id {elsewhere['p1']!r}.", "NOT_FOUND"),
        error(["input", "typicalMinutes"], "typicalMinutes must be between 1 and 1440, got 0."),
        error(["input", "strength"], "strength must be between 1 and 5, got 9."),
        error(["input", "visitsPerMonth"], "visitsPerMonth must be between 0 and 100, got -1.0."),
        error(["input", "topics", "0"], "a topic must not be empty."),
    ]
    payload = await mutate(client, "competitorContactRemove", {"rep": ids["r1"], "stakeholder": ids["p2"]}, USER_ERRORS)
    assert payload["userErrors"] == [
        error(["input", "stakeholder"], "the rep has no contact with this stakeholder.", "NOT_FOUND")
    ]
    assert await snapshot(db, workspace, other_workspace) == before


async def test_favour_set_and_remove(client: GraphQLClient, db: Database, workspace: str) -> None:
    ids = await import_deals(client)
    given = {"stakeholder": ids["p2"], "competitor": ids["c2"], "note": "old friends"}
    payload = await mutate(
        client,
        "stakeholderFavourSet",
        given,
        f"favour {{ stakeholder {{ name }} competitor {{ name }} note }} {USER_ERRORS}",
    )
    assert payload == {
        "favour": {"stakeholder": {"name": "Bo"}, "competitor": {"name": "Local Co"}, "note": "old friends"},
        "userErrors": [],
    }
    bad = await mutate(
        client, "stakeholderFavourSet", {**given, "competitor": ids["r1"], "note": "n" * 10_001}, USER_ERRORS
    )
    assert bad["userErrors"] == [
        error(["input", "competitor"], f"no competitor with id {ids['r1']!r}.", "NOT_FOUND"),
        error(["input", "note"], "note must be at most 10000 characters."),
    ]
    removed = await mutate(
        client,
        "stakeholderFavourRemove",
        {"stakeholder": ids["p2"], "competitor": ids["c2"]},
        f"stakeholder {{ favourCount }} {USER_ERRORS}",
    )
    assert removed == {"stakeholder": {"favourCount": 0}, "userErrors": []}
    again = await mutate(
        client, "stakeholderFavourRemove", {"stakeholder": ids["p2"], "competitor": ids["c2"]}, USER_ERRORS
    )
    assert again["userErrors"] == [
        error(["input", "competitor"], "the stakeholder is not recorded as favouring this competitor.", "NOT_FOUND")
    ]
    key = f"{raw_id_of(ids['p2'], 'Stakeholder')}:{raw_id_of(ids['c2'], 'Competitor')}"
    assert [(c[1], c[2], c[4]) for c in await changes(db, workspace, "Favour") if c[0] == key] == [
        (
            "CREATED",
            ["competitorId", "note", "stakeholderId"],
            [raw_id_of(ids["c2"], "Competitor"), "old friends", raw_id_of(ids["p2"], "Stakeholder")],
        ),
        ("DELETED", ["competitorId", "note", "stakeholderId"], [None, None, None]),
    ]


async def test_a_foreign_workspace_cannot_see_or_touch_competitors(
    client: GraphQLClient, db: Database, query_count: QueryCounterView, workspace: str, other_workspace: str
) -> None:
    elsewhere = await import_deals_elsewhere(db, other_workspace)
    await import_deals(client)
    before = await snapshot(db, workspace, other_workspace)
    for name, given in (
        ("stakeholderFavourSet", {"stakeholder": elsewhere["p1"], "competitor": elsewhere["c1"]}),
        ("competitorContactSet", {"rep": elsewhere["r1"], "stakeholder": elsewhere["p1"]}),
    ):
        payload = await mutate(client, name, given, USER_ERRORS)
        assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND", "NOT_FOUND"]
    found = await client.data(
        "query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }",
        {"a": elsewhere["c1"], "b": elsewhere["r1"]},
    )
    assert found == {"a": None, "b": None}
    assert (await client.data("{ competitors(first: 10) { totalCount } }"))["competitors"]["totalCount"] == 2
    assert await snapshot(db, workspace, other_workspace) == before
