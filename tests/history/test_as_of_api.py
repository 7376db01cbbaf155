"""DOMAIN.md rule 18 through the API, on the Canon demo backfilled with `effectiveAt`: the account's reads
and analytics `asOf` an instant answer what they answered when that map was current; `changes` lists what
a later import changed and `diff` summarises it."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import GraphQLClient
from tests.test_account_import import canon, run_import

JANUARY, MID_JANUARY, FEBRUARY, MID_FEBRUARY = (
    "2025-01-01T09:00:00Z",
    "2025-01-15T00:00:00Z",
    "2025-02-01T09:00:00Z",
    "2025-02-15T00:00:00Z",
)

MAP = """
query Map($id: ID!, $asOf: DateTime, $moment: DateTime!) {
  node(id: $id) {
    ... on Account {
      stakeholders(first: 100, asOf: $asOf) { totalCount nodes { name stance influence archived } }
      archived: stakeholders(first: 100, includeArchived: true, asOf: $asOf) { totalCount nodes { name } }
      supporters: stakeholders(first: 2, stance: [SUPPORTER], asOf: $asOf) { totalCount edges { node { name } } }
      influenceLinks(asOf: $asOf) { strength from { name } to { name } }
      ties(asOf: $asOf) { kind strength a { name } b { name } }
      circles(asOf: $asOf) { name }
      coverage(asOf: $asOf) { relationshipStep relationshipType teamMember { name } stakeholder { name } }
      supportScore(asOf: $asOf)
      influencers(first: 5, asOf: $asOf) { strength reason path { name } }
      neutralsToConvert(first: 5, asOf: $asOf) { leverage reason }
      coverageGaps(first: 10, asOf: $moment, mapAsOf: $asOf, staleAfterDays: 60) { kind severity reason }
      coachCandidates(first: 5, asOf: $asOf) { qualified reasons }
      powerMap(asOf: $asOf) { circleCount circles(first: 5) { members stanceBalance reason } }
      brokers(first: 5, asOf: $asOf) { betweenness reason }
      overdueContacts(first: 5, asOf: $moment, mapAsOf: $asOf) { daysOverdue reason }
      supporterConsolidation(asOf: $asOf) { unlinkedPairCount isolatedSupporterCount }
    }
  }
}
"""

DIFF = """
query Diff($id: ID!, $from: DateTime!, $to: DateTime) {
  node(id: $id) {
    ... on Account {
      diff(from: $from, to: $to) {
        stanceMoves { stakeholder { name } before after } stanceMoveCount
        peopleAdded(first: 3) { name } personAddedCount
        peopleArchived { name } personArchivedCount
        linksAdded { kind } linkAddedCount
        linksRemoved { kind strength a { name } b { name } } linkRemovedCount
        coverageAdded { stakeholder { name } } coverageAddedCount
        coverageRemoved { teamMember { name } stakeholder { name } } coverageRemovedCount
        supportScoreBefore supportScoreAfter
      }
    }
  }
}
"""

CHANGES = """
query Changes($id: ID!, $from: DateTime, $to: DateTime, $first: Int!, $after: String) {
  node(id: $id) {
    ... on Account { changes(from: $from, to: $to, first: $first, after: $after) { at entity field oldValue newValue cursor } }
  }
}
"""

ACCOUNT_ID = """query { accountByExternalId(source: "demo", id: "acc-canon-zh") { id } }"""


def assert_same(past: dict[str, Any], current: dict[str, Any]) -> None:
    """Field by field, so that a failure names the read that differs."""
    for name, value in current["node"].items():
        assert past["node"][name] == value, name


def february(document: dict[str, Any]) -> dict[str, Any]:
    """The Canon map a month on (REPLACE): 唐军 turned neutral, the CFO's line to the general manager
    and one coverage dropped, the accountant gone (archived)."""
    changed = copy.deepcopy(document)
    data = changed["input"]
    for person in data["stakeholders"]:
        if person["externalId"] == "p-tangjun":
            person["stance"] = "NEUTRAL"
    data["stakeholders"] = [p for p in data["stakeholders"] if p["externalId"] != "p-acct"]
    for section in ("influences", "ties"):
        data[section] = [
            x for x in data[section] if "p-acct" not in (x.get("from"), x.get("to"), x.get("a"), x.get("b"))
        ]
    data["influences"] = [i for i in data["influences"] if (i["from"], i["to"]) != ("p-cfo", "p-gm")]
    data["coverage"] = [c for c in data["coverage"] if c["stakeholder"] not in ("p-line", "p-acct")]
    for circle in data["circles"]:
        circle["members"] = [m for m in circle.get("members") or [] if m["stakeholder"] != "p-acct"]
    data["interactions"] = [
        {**i, "stakeholders": [p for p in i["stakeholders"] if p != "p-acct"]}
        for i in data["interactions"]
        if [p for p in i["stakeholders"] if p != "p-acct"]
    ]
    for section in ("competitorContacts", "favours"):
        data[section] = [x for x in data.get(section) or [] if x.get("stakeholder") != "p-acct"]
    data["effectiveAt"] = FEBRUARY
    return changed


async def test_the_map_as_of_a_date_answers_what_it_answered_then(client: GraphQLClient) -> None:
    january = canon()
    january["input"]["effectiveAt"] = JANUARY
    assert (await run_import(client, january))["userErrors"] == []
    account = (await client.data(ACCOUNT_ID))["accountByExternalId"]["id"]
    then = await client.data(MAP, {"id": account, "asOf": None, "moment": MID_JANUARY})
    assert_same(await client.data(MAP, {"id": account, "asOf": MID_JANUARY, "moment": MID_JANUARY}), then)

    assert (await run_import(client, february(canon())))["userErrors"] == []
    now = await client.data(MAP, {"id": account, "asOf": None, "moment": MID_FEBRUARY})
    assert now != then
    assert_same(await client.data(MAP, {"id": account, "asOf": MID_JANUARY, "moment": MID_JANUARY}), then)
    assert_same(await client.data(MAP, {"id": account, "asOf": MID_FEBRUARY, "moment": MID_FEBRUARY}), now)
    early = "2024-12-31T00:00:00Z"
    before = (await client.data(MAP, {"id": account, "asOf": early, "moment": early}))["node"]
    assert (before["stakeholders"]["totalCount"], before["influenceLinks"], before["supportScore"]) == (0, [], None)


async def test_diff_and_changes_say_what_the_later_import_changed(client: GraphQLClient) -> None:
    january = canon()
    january["input"]["effectiveAt"] = JANUARY
    await run_import(client, january)
    await run_import(client, february(canon()))
    account = (await client.data(ACCOUNT_ID))["accountByExternalId"]["id"]
    scores = [
        (await client.data(MAP, {"id": account, "asOf": at, "moment": MID_FEBRUARY}))["node"]["supportScore"]
        for at in (MID_JANUARY, None)
    ]
    diff = (await client.data(DIFF, {"id": account, "from": MID_JANUARY, "to": MID_FEBRUARY}))["node"]["diff"]
    assert diff["stanceMoves"] == [{"stakeholder": {"name": "唐军"}, "before": "SUPPORTER", "after": "NEUTRAL"}]
    assert (diff["peopleAdded"], diff["personAddedCount"]) == ([], 0)
    assert diff["personArchivedCount"] == 1
    assert diff["linksAdded"] == []
    assert {"kind": "INFLUENCES", "strength": 5, "a": {"name": diff["linksRemoved"][0]["a"]["name"]},
            "b": diff["linksRemoved"][0]["b"]} in diff["linksRemoved"]  # fmt: skip
    assert diff["coverageRemovedCount"] == 1
    assert [diff["supportScoreBefore"], diff["supportScoreAfter"]] == scores
    unchanged = (await client.data(DIFF, {"id": account, "from": MID_FEBRUARY}))["node"]["diff"]
    assert (unchanged["stanceMoveCount"], unchanged["linkRemovedCount"], unchanged["personArchivedCount"]) == (0, 0, 0)

    rows = await client.data(CHANGES, {"id": account, "from": MID_JANUARY, "to": MID_FEBRUARY, "first": 100})
    changed = rows["node"]["changes"]
    assert {row["at"] for row in changed} == {"2025-02-01T09:00:00+00:00"}
    assert {"entity": "Stakeholder", "field": "stance", "oldValue": '"SUPPORTER"', "newValue": '"NEUTRAL"'} in [
        {k: row[k] for k in ("entity", "field", "oldValue", "newValue")} for row in changed
    ]
    page = (await client.data(CHANGES, {"id": account, "first": 3}))["node"]["changes"]
    following = await client.data(CHANGES, {"id": account, "first": 3, "after": page[-1]["cursor"]})
    assert len(page) == 3
    assert following["node"]["changes"][0]["cursor"] != page[-1]["cursor"]
    too_many = await client.execute(CHANGES, {"id": account, "first": 101})
    assert too_many["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_an_import_cannot_take_effect_in_the_future(client: GraphQLClient) -> None:
    document = canon()
    document["input"]["effectiveAt"] = "2999-01-01T00:00:00Z"
    errors = (await run_import(client, document))["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "effectiveAt"], "INVALID")]
