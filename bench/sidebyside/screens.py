"""The screens as each server is asked for them, and the canonical form their answers are compared in.

Powermap and the peer get GraphQL documents over POST /graphql; the floor gets one endpoint per screen
(bench/floor_app.py). Ids differ (Powermap's are opaque global ids, the others the stored ids), so the
comparison replaces every stakeholder id by the person's name (unique in a workspace) through a map
each side provides, and sorts every nested list; the order of the account page's people (by name) is
compared as served.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sidebyside.load import Request

ACCOUNT_PAGE = "account page"
STAKEHOLDER_DETAIL = "stakeholder detail"
COVERAGE_GAPS = "coverageGaps"
NEUTRALS_TO_CONVERT = "neutralsToConvert"
ANALYTICS_INPUT = "analytics input (floor)"
STAKEHOLDER_UPDATE = "stakeholderUpdate"

POWERMAP_ACCOUNT_PAGE = """
query AccountPage($id: ID!) {
  account(id: $id) {
    id name industry tier
    stakeholders(first: 100) {
      nodes {
        id name stance influence buyingRoles
        influences { strength to { id } }
        circles { core circle { id name } }
        coveredBy { relationshipStep teamMember { id name } }
      }
    }
  }
}
"""

POWERMAP_STAKEHOLDER_DETAIL = """
query StakeholderDetail($id: ID!) {
  stakeholder(id: $id) {
    id name title department email phone level stance influence buyingRoles buyerTypes
    adaptability personality contactTier notes archived version updatedAt
    reportsTo { id name }
    directReports { id name }
    circles { core circle { id name } }
    influences { strength kind to { id name } }
    influencedBy { strength kind from { id name } }
    ties { kind strength a { id name } b { id name } }
    coveredBy { relationshipStep relationshipType teamMember { id name } }
  }
}
"""

POWERMAP_COVERAGE_GAPS = """
query CoverageGaps($id: ID!) {
  account(id: $id) {
    coverageGaps { kind role buyerType severity reason suggestion stakeholder { id name } circle { id name } }
  }
}
"""

POWERMAP_NEUTRALS_TO_CONVERT = """
query NeutralsToConvert($id: ID!) {
  account(id: $id) {
    neutralsToConvert {
      leverage converterStrength converterHops reason
      stakeholder { id name }
      converter { ... on Stakeholder { id name } ... on TeamMember { id name } }
      path { id }
    }
  }
}
"""

POWERMAP_STAKEHOLDER_UPDATE = """
mutation StakeholderUpdate($input: StakeholderUpdateInput!) {
  stakeholderUpdate(input: $input) { stakeholder { id version notes } userErrors { field code message } }
}
"""

PEER_ACCOUNT_PAGE = """
query AccountPage($ws: String!, $id: ID!) {
  accounts(where: {workspaceId: {eq: $ws}, id: {eq: $id}}) {
    id name industry tier
    stakeholders(first: 100) {
      id name stance influence buyingRoles
      influencesConnection(where: {node: {archived: {eq: false}}}) { edges { properties { strength } node { id } } }
      circlesConnection { edges { properties { core } node { id name } } }
      coveredByConnection { edges { properties { relationshipStep } node { id name } } }
    }
  }
}
"""

PEER_STAKEHOLDER_DETAIL = """
query StakeholderDetail($ws: String!, $id: ID!) {
  stakeholders(where: {workspaceId: {eq: $ws}, id: {eq: $id}}) {
    id name title department email phone level stance influence buyingRoles buyerTypes
    adaptability personality contactTier notes archived version updatedAt
    reportsTo(where: {archived: {eq: false}}) { id name }
    directReports(where: {archived: {eq: false}}) { id name }
    circlesConnection { edges { properties { core } node { id name } } }
    influencesConnection(where: {node: {archived: {eq: false}}}) {
      edges { properties { strength kind } node { id name } }
    }
    influencedByConnection(where: {node: {archived: {eq: false}}}) {
      edges { properties { strength kind } node { id name } }
    }
    tiesConnection(where: {node: {archived: {eq: false}}}) { edges { properties { kind strength } node { id name } } }
    coveredByConnection { edges { properties { relationshipStep relationshipType } node { id name } } }
  }
}
"""

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EMPTY_USER_ERRORS = re.compile(rb'"userErrors"\s*:\s*\[\s*\]')


def graphql(query: str, variables: Mapping[str, Any]) -> bytes:
    return json.dumps({"query": query, "variables": variables}).encode()


def fixed(body: bytes) -> Callable[[int], bytes]:
    return lambda _n: body


def bearer(key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"} if key else {}


def powermap_reads(account: str, stakeholder: str, key: str | None) -> dict[str, Request]:
    headers = bearer(key)
    return {
        ACCOUNT_PAGE: Request("/graphql", fixed(graphql(POWERMAP_ACCOUNT_PAGE, {"id": account})), headers),
        STAKEHOLDER_DETAIL: Request(
            "/graphql", fixed(graphql(POWERMAP_STAKEHOLDER_DETAIL, {"id": stakeholder})), headers
        ),
        COVERAGE_GAPS: Request("/graphql", fixed(graphql(POWERMAP_COVERAGE_GAPS, {"id": account})), headers),
        NEUTRALS_TO_CONVERT: Request(
            "/graphql", fixed(graphql(POWERMAP_NEUTRALS_TO_CONVERT, {"id": account})), headers
        ),
    }


def powermap_write(people: list[str], key: str | None, run: str) -> Request:
    """stakeholderUpdate of the notes, each request the next person of `people` and a new text."""

    def body(n: int) -> bytes:
        notes = f"bench {run} note {n}"
        return graphql(POWERMAP_STAKEHOLDER_UPDATE, {"input": {"id": people[n % len(people)], "notes": notes}})

    return Request("/graphql", body, bearer(key), must_match=EMPTY_USER_ERRORS)


def floor_reads(ws: str, account: str, stakeholder: str) -> dict[str, Request]:
    def screen(name: str, variables: dict[str, Any]) -> Request:
        return Request(f"/screens/{name}", fixed(json.dumps({"ws": ws, "variables": variables}).encode()))

    return {
        ACCOUNT_PAGE: screen("account-page", {"id": account}),
        STAKEHOLDER_DETAIL: screen("stakeholder-detail", {"id": stakeholder}),
        ANALYTICS_INPUT: screen("analytics-input", {"id": account}),
    }


def floor_write(ws: str, people: list[str], run: str, screen: str = "stakeholder-update") -> Request:
    """The floor's write of the notes (`screen`: also "stakeholder-update-logged", with the bookkeeping)."""

    def body(n: int) -> bytes:
        variables = {"id": people[n % len(people)], "notes": f"bench {run} note {n}"}
        return json.dumps({"ws": ws, "variables": variables}).encode()

    return Request(f"/screens/{screen}", body, must_match=EMPTY_USER_ERRORS)


FLOOR_GRAPHQL_UPDATE = """
mutation StakeholderUpdate($input: FloorUpdateInput!) {
  stakeholderUpdate(input: $input) { stakeholder { id version notes } userErrors { field code message } }
}
"""


def floor_graphql_write(ws: str, people: list[str], run: str, write: str) -> Request:
    """A write behind the floor's minimal GraphQL endpoint (Strawberry): `write` SET, LOGGED (with the bookkeeping)
    or POWERMAP (Powermap's own query)."""

    def body(n: int) -> bytes:
        notes = f"bench {run} note {n}"
        variables = {"input": {"ws": ws, "id": people[n % len(people)], "notes": notes, "write": write}}
        return graphql(FLOOR_GRAPHQL_UPDATE, variables)

    return Request("/graphql", body, must_match=EMPTY_USER_ERRORS)


def peer_reads(ws: str, account: str, stakeholder: str) -> dict[str, Request]:
    return {
        ACCOUNT_PAGE: Request("/graphql", fixed(graphql(PEER_ACCOUNT_PAGE, {"ws": ws, "id": account}))),
        STAKEHOLDER_DETAIL: Request("/graphql", fixed(graphql(PEER_STAKEHOLDER_DETAIL, {"ws": ws, "id": stakeholder}))),
    }


# Canonical forms. `names` maps the side's stakeholder ids to names.

Names = Mapping[str, str]


def _edges(connection: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(edge["properties"], edge["node"]) for edge in connection["edges"]]


def _page_person(
    p: dict[str, Any], links: list[tuple[str, int]], circles: list[tuple[str, bool]], cover: list[tuple[str, int]]
) -> dict[str, Any]:
    return {
        "name": p["name"],
        "stance": p["stance"],
        "influence": p["influence"],
        "buyingRoles": sorted(p["buyingRoles"]),
        "influences": sorted(links),
        "circles": sorted(circles),
        "coveredBy": sorted(cover, key=repr),
    }


def _page(account: dict[str, Any], people: list[dict[str, Any]]) -> dict[str, Any]:
    head = {key: account[key] for key in ("name", "industry", "tier")}
    return {"account": head, "people": people}


def powermap_page(data: dict[str, Any], names: Names) -> dict[str, Any]:
    account = data["account"]
    people = [
        _page_person(
            p,
            [(names[link["to"]["id"]], link["strength"]) for link in p["influences"]],
            [(m["circle"]["name"], m["core"]) for m in p["circles"]],
            [(c["teamMember"]["name"], c["relationshipStep"]) for c in p["coveredBy"]],
        )
        for p in account["stakeholders"]["nodes"]
    ]
    return _page(account, people)


def floor_page(data: dict[str, Any], names: Names) -> dict[str, Any]:
    return powermap_page(data, names)  # the floor answers in Powermap's shape, with stored ids


def peer_page(data: dict[str, Any], names: Names) -> dict[str, Any]:
    (account,) = data["accounts"]
    people = [
        _page_person(
            p,
            [(names[node["id"]], props["strength"]) for props, node in _edges(p["influencesConnection"])],
            [(node["name"], props["core"]) for props, node in _edges(p["circlesConnection"])],
            [(node["name"], props["relationshipStep"]) for props, node in _edges(p["coveredByConnection"])],
        )
        for p in account["stakeholders"]
    ]
    return _page(account, people)


DETAIL_FIELDS = [
    "name",
    "title",
    "department",
    "email",
    "phone",
    "level",
    "stance",
    "influence",
    "adaptability",
    "personality",
    "contactTier",
    "notes",
    "archived",
    "version",
]


def _instant(value: str) -> int:
    """An ISO date-time (Powermap's `+00:00`, Neo4j's `Z`, up to nanoseconds) as whole epoch milliseconds:
    Powermap keeps milliseconds, the stored value has more."""
    text = value.replace("Z", "+00:00")
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    return (datetime.fromisoformat(text) - EPOCH) // timedelta(milliseconds=1)


def _detail(
    s: dict[str, Any],
    reports_to: str | None,
    direct_reports: list[str],
    circles: list[tuple[str, bool]],
    influences: list[tuple[str, int, str | None]],
    influenced_by: list[tuple[str, int, str | None]],
    ties: list[tuple[str, str, int | None]],
    covered_by: list[tuple[str, int | None, str | None]],
) -> dict[str, Any]:
    detail = {key: s[key] for key in DETAIL_FIELDS}
    detail |= {
        "buyingRoles": sorted(s["buyingRoles"]),
        "buyerTypes": sorted(s["buyerTypes"]),
        "updatedAt": _instant(s["updatedAt"]),
        "reportsTo": reports_to,
        "directReports": sorted(direct_reports),
        "circles": sorted(circles),
        "influences": sorted(influences, key=repr),
        "influencedBy": sorted(influenced_by, key=repr),
        "ties": sorted(ties, key=repr),
        "coveredBy": sorted(covered_by, key=repr),
    }
    return detail


def powermap_detail(data: dict[str, Any], names: Names) -> dict[str, Any]:
    s = data["stakeholder"]
    me = s["name"]

    def other(tie: dict[str, Any]) -> str:
        return str(tie["b"]["name"] if tie["a"]["name"] == me else tie["a"]["name"])

    return _detail(
        s,
        s["reportsTo"]["name"] if s["reportsTo"] else None,
        [r["name"] for r in s["directReports"]],
        [(m["circle"]["name"], m["core"]) for m in s["circles"]],
        [(names[i["to"]["id"]], i["strength"], i["kind"]) for i in s["influences"]],
        [(names[i["from"]["id"]], i["strength"], i["kind"]) for i in s["influencedBy"]],
        [(other(t), t["kind"], t["strength"]) for t in s["ties"]],
        [(c["teamMember"]["name"], c["relationshipStep"], c["relationshipType"]) for c in s["coveredBy"]],
    )


def floor_detail(data: dict[str, Any], names: Names) -> dict[str, Any]:
    return powermap_detail(data, names)


def peer_detail(data: dict[str, Any], names: Names) -> dict[str, Any]:
    (s,) = data["stakeholders"]
    return _detail(
        s,
        s["reportsTo"][0]["name"] if s["reportsTo"] else None,
        [r["name"] for r in s["directReports"]],
        [(node["name"], props["core"]) for props, node in _edges(s["circlesConnection"])],
        [(names[node["id"]], props["strength"], props["kind"]) for props, node in _edges(s["influencesConnection"])],
        [(names[node["id"]], props["strength"], props["kind"]) for props, node in _edges(s["influencedByConnection"])],
        [(node["name"], props["kind"], props["strength"]) for props, node in _edges(s["tiesConnection"])],
        [
            (node["name"], props["relationshipStep"], props["relationshipType"])
            for props, node in _edges(s["coveredByConnection"])
        ],
    )


CANONICAL = {
    "powermap": {ACCOUNT_PAGE: powermap_page, STAKEHOLDER_DETAIL: powermap_detail},
    "floor": {ACCOUNT_PAGE: floor_page, STAKEHOLDER_DETAIL: floor_detail},
    "peer": {ACCOUNT_PAGE: peer_page, STAKEHOLDER_DETAIL: peer_detail},
}


def count_values(value: Any) -> int:
    """Scalar values in a JSON answer: the size of a screen as a front end sees it."""
    if isinstance(value, dict):
        return sum(count_values(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_values(v) for v in value)
    return 1
