"""Bounded answers (DOMAIN.md): every list takes `first` (0 to 100), every analytic list has a count beside it.

A crowd account, built so that most analytics have more than 100 rows: one decision maker of unknown
stance; 110 supporters, 105 neutrals (in a ring of KNOWS ties) and 102 opponents, each with one
influence link to the decision maker; five team members covering the first supporter; three circles.
The expected counts are worked out from the document below, independently of the service.
Supporters' names are unique and run against their ids; the others' names repeat.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from service.rules.account_graph import Person
from service.rules.enums import Stance
from tests.conftest import GraphQLClient
from tests.rules.reference import pair_order
from tests.sync.helpers import IMPORT
from tests.test_account_import import canon

SOURCE, ACCOUNT = "crowd", "acc-crowd"
INFLUENCES = (None, 1, 2, 3, 4, 5)
SUPPORTERS, NEUTRALS, OPPONENTS = 110, 105, 102
BONDED = {("s000", "s001"), ("s002", "s003"), ("s030", "s031")}
"""Two KNOWS ties and one influence link between supporters; a RIVAL tie (s020, s021) is no bond."""


def supporter_influence(index: int) -> int | None:
    """Five at 5 and five at 4, so the strongest pairs are few; then unrated, 1, 2, 3 in turn."""
    return 5 if index < 5 else 4 if index < 10 else (None, 1, 2, 3)[index % 4]


def _people() -> list[dict[str, Any]]:
    dm = {"externalId": "dm", "name": "DM", "stance": "UNKNOWN", "influence": 5, "buyingRoles": ["DECISION_MAKER"]}
    supporters = [
        {"externalId": f"s{i:03d}", "name": f"S{SUPPORTERS - i:03d}", "stance": "SUPPORTER"}
        | {"influence": supporter_influence(i)}
        for i in range(SUPPORTERS)
    ]
    others = [
        {"externalId": f"{key}{i:03d}", "name": f"{name}{i % 50:02d}", "stance": stance, "influence": INFLUENCES[i % 6]}
        for key, name, stance, size in (("n", "N", "NEUTRAL", NEUTRALS), ("o", "O", "OPPONENT", OPPONENTS))
        for i in range(size)
    ]
    return [dm, *supporters, *others]


def crowd() -> dict[str, Any]:
    people = _people()
    team = [{"externalId": f"t{i}", "name": f"Rep {i}", "role": "SALES"} for i in range(5)]
    ties = [{"kind": "KNOWS", "a": a, "b": b} for a, b in sorted(BONDED) if a != "s030"]
    ties.append({"kind": "RIVAL", "a": "s020", "b": "s021"})
    ties += [{"kind": "KNOWS", "a": f"n{i:03d}", "b": f"n{(i + 1) % NEUTRALS:03d}"} for i in range(NEUTRALS)]
    circles = [
        {"key": "c1", "name": "Circle 1", "members": [{"stakeholder": "n000", "core": True}]},
        {"key": "c2", "name": "Circle 2", "members": [{"stakeholder": "o000"}]},
        {"key": "c3", "name": "Circle 3", "members": [{"stakeholder": "s001"}]},
    ]
    return {
        "input": {
            "source": SOURCE,
            "account": {"externalId": ACCOUNT, "name": "Crowd"},
            "stakeholders": people,
            "influences": [
                *({"from": p["externalId"], "to": "dm", "strength": 3} for p in people[1:]),
                {"from": "s030", "to": "s031", "strength": 2},
            ],
            "ties": ties,
            "team": team,
            "coverage": [{"teamMember": t["externalId"], "stakeholder": "s000"} for t in team],
            "circles": circles,
        }
    }


def _influence(person: dict[str, Any]) -> int:
    return person["influence"] or 1


def _key_people() -> list[dict[str, Any]]:
    """Influence 4 or more (the decision maker has 5), or in a circle's core (n000)."""
    return [p for p in _people() if _influence(p) >= 4 or p["externalId"] == "n000"]


EXPECTED = {
    "influencers": SUPPORTERS + NEUTRALS + OPPONENTS,  # everyone reaches the decision maker in one hop
    "neutralsToConvert": NEUTRALS,
    "opponentsToNeutralize": OPPONENTS,
    # influence 3 or more (ring: breadth 3 = two neighbours and the decision maker)
    "coachCandidates": sum(1 for i in range(NEUTRALS) if (INFLUENCES[i % 6] or 1) >= 3),
    # every key person uncovered but s000 (covered, never met: stale), the decision maker's unknown stance,
    # 3 missing roles, 6 missing buyer types, single-threaded, no coach (no supporter has breadth 3), and two
    # single points of failure: every warm route to the decision maker and to s001 goes through s000
    "coverageGaps": len(_key_people()) - 1 + 1 + 1 + 3 + 6 + 1 + 1 + 2,
    "accessPaths": 5,  # every team member covers s000
    "unlinkedPairs": SUPPORTERS * (SUPPORTERS - 1) // 2 - len(BONDED),
    "isolatedSupporters": SUPPORTERS,  # nobody they influence is neutral
    "circles": 3,
    "unaffiliated": 1 + SUPPORTERS + NEUTRALS + OPPONENTS - 3,
}


@pytest.fixture
async def crowded(client: GraphQLClient) -> GraphQLClient:
    payload = (await client.data(IMPORT, crowd()))["accountGraphImport"]
    assert payload["userErrors"] == []
    return client


async def account(client: GraphQLClient, fields: str) -> dict[str, Any]:
    query = f'{{ accountByExternalId(source: "{SOURCE}", id: "{ACCOUNT}") {{ {fields} }} }}'
    found: dict[str, Any] = (await client.data(query))["accountByExternalId"]
    return found


async def s000(client: GraphQLClient) -> str:
    page = await account(client, f'stakeholders(search: "S{SUPPORTERS:03d}") {{ nodes {{ id }} }}')
    return str(page["stakeholders"]["nodes"][0]["id"])


class Analytic:
    """A list field, its count field, where they sit and what a row is named by."""

    def __init__(self, name: str, count: str, row: str, default: int, args: str = "", parent: str = "") -> None:
        self.name, self.count, self.row, self.default, self.args, self.parent = name, count, row, default, args, parent

    def fields(self, first: str | None = None, to: str = "") -> str:
        args = ", ".join(a for a in (self.args.format(to=to), f"first: {first}" if first is not None else "") if a)
        listed = f"{self.name}{f'({args})' if args else ''} {{ {self.row} }}"
        counted = f"{self.count}{f'({self.args.format(to=to)})' if self.args else ''}"
        body = f"{listed} {counted}"
        return f"{self.parent} {{ {body} }}" if self.parent else body

    def read(self, data: dict[str, Any]) -> tuple[list[Any], int]:
        where = data[self.parent] if self.parent else data
        return where[self.name], where[self.count]

    def path(self) -> list[str]:
        return ["accountByExternalId", *([self.parent] if self.parent else []), self.name]


ANALYTICS = [
    Analytic("influencers", "influencerCount", "influencer { name id }", 20),
    Analytic("neutralsToConvert", "neutralToConvertCount", "stakeholder { id }", 20),
    Analytic("opponentsToNeutralize", "opponentToNeutralizeCount", "stakeholder { id }", 20),
    Analytic("coachCandidates", "coachCandidateCount", "stakeholder { id }", 10),
    Analytic("coverageGaps", "coverageGapCount", "kind stakeholder { id } role buyerType", 20),
    Analytic("accessPaths", "accessPathCount", "teamMember { id }", 3, args='to: "{to}"'),
    Analytic("unlinkedPairs", "unlinkedPairCount", "a { id } b { id }", 20, parent="supporterConsolidation"),
    Analytic("isolatedSupporters", "isolatedSupporterCount", "id", 20, parent="supporterConsolidation"),
    Analytic("circles", "circleCount", "circle { id }", 20, parent="powerMap"),
    Analytic("unaffiliated", "unaffiliatedCount", "id", 20, parent="powerMap"),
]


@pytest.mark.parametrize("analytic", ANALYTICS, ids=lambda a: a.name)
async def test_first_cuts_the_full_list_and_the_count_gives_its_length(
    crowded: GraphQLClient, analytic: Analytic
) -> None:
    to = await s000(crowded)
    rows, count = analytic.read(await account(crowded, analytic.fields("100", to)))
    assert count == EXPECTED[analytic.name]
    assert len(rows) == min(count, 100)
    assert analytic.read(await account(crowded, analytic.fields("0", to))) == ([], count)
    assert analytic.read(await account(crowded, analytic.fields("7", to))) == (rows[:7], count)
    assert analytic.read(await account(crowded, analytic.fields(None, to))) == (rows[: analytic.default], count)
    assert analytic.read(await account(crowded, analytic.fields("null", to))) == (rows[: analytic.default], count)


@pytest.mark.parametrize("first", [101, -1])
@pytest.mark.parametrize("analytic", ANALYTICS, ids=lambda a: a.name)
async def test_first_out_of_range_is_a_client_error_naming_it(
    crowded: GraphQLClient, analytic: Analytic, first: int
) -> None:
    to = await s000(crowded)
    query = f'{{ accountByExternalId(source: "{SOURCE}", id: "{ACCOUNT}") {{ {analytic.fields(str(first), to)} }} }}'
    body = await crowded.execute(query)
    assert [(e["message"], e["extensions"], e["path"]) for e in body["errors"]] == [
        (
            f"`first` must be between 0 and 100, got {first}.",
            {"code": "LIMIT_EXCEEDED", "field": "first"},
            analytic.path(),
        )
    ]


async def test_unlinked_pairs_by_influence_sum_then_names(crowded: GraphQLClient) -> None:
    data = await account(crowded, "supporterConsolidation { unlinkedPairs(first: 100) { a { name } b { name } } }")
    rows = [(row["a"]["name"], row["b"]["name"]) for row in data["supporterConsolidation"]["unlinkedPairs"]]
    people = {
        p["externalId"]: Person(p["externalId"], p["name"], stance=Stance.SUPPORTER, influence=p["influence"])
        for p in _people()
        if p["stance"] == "SUPPORTER"
    }
    ordered = sorted(people.values(), key=lambda p: p.name)
    unbonded = [
        (a.id, b.id) for a, b in combinations(ordered, 2) if (a.id, b.id) not in BONDED and (b.id, a.id) not in BONDED
    ]
    expected = pair_order(unbonded, people)[:100]
    assert rows == [(people[a].name, people[b].name) for a, b in expected]
    sums = [(people[a].influence or 1) + (people[b].influence or 1) for a, b in expected]
    assert sums[:8] == [10] * 8  # five at 5, less the bonded s000-s001 and s002-s003
    assert sums[8:33] == [9] * 25  # five at 5 with five at 4


async def test_isolated_supporters_by_influence_then_name(crowded: GraphQLClient) -> None:
    data = await account(crowded, "supporterConsolidation { isolatedSupporters(first: 100) { name influence } }")
    rows = [(r["influence"], r["name"]) for r in data["supporterConsolidation"]["isolatedSupporters"]]
    supporters = [p for p in _people() if p["stance"] == "SUPPORTER"]
    expected = sorted(supporters, key=lambda p: (-_influence(p), p["name"], p["externalId"]))[:100]
    assert rows == [(p["influence"], p["name"]) for p in expected]


async def test_interactions_take_at_most_100(client: GraphQLClient) -> None:
    await client.data(IMPORT, canon())
    logged = len(canon()["input"]["interactions"])
    query = '{ accountByExternalId(source: "demo", id: "acc-canon-zh") { interactions%s { summary } } }'
    for argument, expected in (("", logged), ("(first: 100)", logged), ("(first: 2)", 2), ("(first: 0)", 0)):
        assert len((await client.data(query % argument))["accountByExternalId"]["interactions"]) == expected
    body = await client.execute(query % "(first: 101)")
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        ("`first` must be between 0 and 100, got 101.", {"code": "LIMIT_EXCEEDED", "field": "first"})
    ]
