"""Logs never leak: every mutation, run with intelligence in its input (valid, refused with user errors,
and malformed so that GraphQL's own messages would quote it), with a key in the headers; no log line
at any level, in either format, carries any of those values.

Every mutation of the schema runs with valid input here (a test checks it, so a new mutation must be
added as soon as it exists), the deal mutations (issue 11) included, and also with malformed input that
carries secrets.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from service.observability.logs import JsonFormatter, TextFormatter, quiet_libraries
from service.schema import schema
from tests.conftest import GraphQLClient
from tests.schema.factories import import_account

_counter = itertools.count()
KEY = "pm_live_SECRETKEY0123456789abcdef"
"""Sent as an extra API-key header beside the client's real key: neither may be logged."""


def secret(kind: str) -> str:
    """A value that must never be logged; each is unique so that a leak names its field."""
    return f"SECRET-{kind}-{next(_counter):04d}-zq"


SECRETS: list[str] = []


def s(kind: str) -> str:
    value = secret(kind)
    SECRETS.append(value)
    return value


async def mutate(client: GraphQLClient, name: str, input_: dict[str, Any], select: str = "") -> dict[str, Any]:
    query = f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) {{ {select} userErrors {{ field code }} }} }}"
    response = await client.http.post(
        "/graphql",
        json={"query": query, "variables": {"input": input_}},
        headers={"x-api-key": KEY},
    )
    body: dict[str, Any] = response.json()
    return body


Ok = Callable[..., Awaitable[dict[str, Any]]]
"""Runs a mutation with input it must accept (no errors, no user errors) and returns its payload."""


async def run_every_mutation(client: GraphQLClient) -> set[str]:
    """Each mutation once with secret values that it accepts; returns the names run."""
    ran: set[str] = set()

    async def ok(name: str, input_: dict[str, Any], select: str = "") -> dict[str, Any]:
        body = await mutate(client, name, input_, select)
        assert "errors" not in body, (name, body)
        assert body["data"][name]["userErrors"] == [], (name, body)
        ran.add(name)
        return dict(body["data"][name])

    account = await import_account(client, "leak-1", ["p1", "p2", "p3"], team=["t1"], circles=["c1"])
    ran.add("accountGraphImport")
    created = await ok("accountCreate", {"name": s("account"), "industry": s("industry")}, "account { id }")
    other = created["account"]["id"]
    await ok("accountUpdate", {"id": other, "name": s("account"), "industry": s("industry")})
    person = await ok(
        "stakeholderCreate",
        {
            "account": account.account,
            "name": s("name"),
            "title": s("title"),
            "department": s("department"),
            "email": f"{s('email')}@example.com",
            "phone": s("phone"),
            "stance": "ENEMY",
            "influence": 5,
            "notes": s("notes"),
        },
        "stakeholder { id }",
    )
    p4 = person["stakeholder"]["id"]
    await ok("stakeholderUpdate", {"id": p4, "notes": s("notes"), "title": s("title"), "stance": "MENTOR"})
    link = await ok(
        "influenceLinkSet",
        {"from": account["p1"], "to": p4, "strength": 4, "topic": s("topic")},
        "influenceLink { id }",
    )
    await ok("tieSet", {"kind": "ALLY", "a": account["p2"], "b": p4, "note": s("tie-note")})
    circle = await ok(
        "circleCreate",
        {
            "account": account.account,
            "name": s("circle"),
            "businessValue": s("value"),
            "trackRecord": s("record"),
            "partisansAndAllies": s("allies"),
            "philosophyAndPolicy": s("policy"),
        },
        "circle { id }",
    )
    c2 = circle["circle"]["id"]
    await ok("circleUpdate", {"id": c2, "businessValue": s("value"), "name": s("circle")})
    await ok("circleMemberSet", {"circle": c2, "stakeholder": p4, "core": True})
    await ok("circleRelationSet", {"circle": c2, "other": account.circles["c1"], "kind": "RIVAL"})
    member = await ok(
        "teamMemberCreate",
        {"name": s("member"), "role": "SALES", "email": f"{s('member-email')}@example.com"},
        "teamMember { id }",
    )
    t2 = member["teamMember"]["id"]
    await ok("teamMemberUpdate", {"id": t2, "name": s("member")})
    await ok("teamMemberAssign", {"teamMember": t2, "account": account.account})
    await ok("coverageSet", {"teamMember": t2, "stakeholder": p4, "relationshipStep": 3})
    met = await ok(
        "interactionRecord",
        {
            "account": account.account,
            "at": "2026-11-02T10:00:00Z",
            "type": "MEETING",
            "stakeholders": [p4],
            "teamMember": t2,
            "summary": s("summary"),
            "nextStep": s("next-step"),
        },
        "interaction { id }",
    )
    visit = met["interaction"]["id"]
    await ok("interactionUpdate", {"id": visit, "summary": s("summary"), "nextStep": s("next-step")})
    await ok(
        "stakeholdersUpsert",
        {
            "source": "crm",
            "account": "leak-1",
            "contacts": [
                {"externalId": "p1", "name": s("name"), "title": s("title"), "email": f"{s('email')}@example.com"},
                {"externalId": "p9", "name": s("name"), "phone": s("phone"), "department": s("department")},
            ],
        },
    )
    await run_every_deal_mutation(ok, account.account, account["p1"])
    await ok("stakeholderMerge", {"survivor": account["p3"], "duplicate": account["p2"]})
    await run_sync_upserts(ok)
    await ok("influenceLinkRemove", {"id": link["influenceLink"]["id"]})
    await ok("tieRemove", {"kind": "ALLY", "a": account["p3"], "b": p4})
    await ok("circleMemberRemove", {"circle": c2, "stakeholder": p4})
    await ok("circleRelationRemove", {"circle": c2, "other": account.circles["c1"], "kind": "RIVAL"})
    await ok("coverageRemove", {"teamMember": t2, "stakeholder": p4})
    await ok("interactionDelete", {"id": visit})
    await ok("teamMemberUnassign", {"teamMember": t2, "account": account.account})
    await ok("teamMemberDelete", {"id": t2})
    await ok("stakeholderArchive", {"id": p4})
    await ok("stakeholderRestore", {"id": p4})
    await ok("circleDelete", {"id": c2})
    await ok("accountDelete", {"id": other})
    made = await ok("apiKeyCreate", {"name": s("key-name"), "role": "VIEWER"}, "key apiKey { id }")
    SECRETS.append(made["key"])
    await ok("apiKeyRevoke", {"id": made["apiKey"]["id"]})
    return ran


async def run_every_deal_mutation(ok: Ok, account: str, person: str) -> None:
    """The 23 deal mutations (issue 11), each once with secret values it accepts in its text fields: a
    competitor, its rep and the rep's contact, an opportunity with the competitor, its buying centre, B.I.,
    UCV and scorecard, a favour; then each is removed again."""
    competitor = (await ok("competitorCreate", {"name": s("competitor"), "origin": s("origin")}, "competitor { id }"))[
        "competitor"
    ]["id"]
    await ok("competitorUpdate", {"id": competitor, "name": s("competitor"), "origin": s("origin")})
    rival = (await ok("competitorCreate", {"name": s("competitor")}, "competitor { id }"))["competitor"]["id"]
    rep = (await ok("competitorRepCreate", {"competitor": competitor, "name": s("rep")}, "competitorRep { id }"))[
        "competitorRep"
    ]["id"]
    await ok("competitorRepUpdate", {"id": rep, "name": s("rep"), "competitor": rival})
    contact = {
        "rep": rep,
        "stakeholder": person,
        "visitsPerMonth": 2.5,
        "typicalMinutes": 45,
        "form": s("form"),
        "topics": [s("topic"), s("topic")],
        "strength": 4,
    }
    await ok("competitorContactSet", contact)
    await ok("stakeholderFavourSet", {"stakeholder": person, "competitor": rival, "note": s("favour-note")})
    deal = {
        "account": account,
        "name": s("opportunity"),
        "estimatedValue": "1250000",
        "currency": "CNY",
        "expectedCloseDate": "2027-03-31",
        "salesStage": "C",
        "procurementStep": 5,
    }
    opportunity = (await ok("opportunityCreate", deal, "opportunity { id }"))["opportunity"]["id"]
    await ok("opportunityUpdate", {"id": opportunity, "name": s("opportunity"), "salesStage": "B"})
    await ok("opportunityCompetitorSet", {"opportunity": opportunity, "competitor": rival, "incumbent": True})
    member = {
        "opportunity": opportunity,
        "stakeholder": person,
        "buyingRoles": ["DECISION_MAKER"],
        "buyerTypes": ["ECONOMIC", "COACH"],
        "handler": True,
    }
    await ok("buyingCentreMemberSet", member)
    issue = {"opportunity": opportunity, "text": s("burning-issue"), "owner": person, "personal": True, "certain": True}
    await ok("burningIssueSet", issue)
    ucv = {"opportunity": opportunity, "text": s("ucv"), "measurable": True, "metric": s("metric"), "unique": True}
    await ok("ucvSet", ucv)
    criterion = {
        "name": s("criterion"),
        "weight": 1.0,
        "ourScore": 4,
        "competitorScores": [{"competitor": rival, "score": 3}],
        "cares": [{"stakeholder": person, "weight": 5}],
    }
    await ok("scorecardSet", {"opportunity": opportunity, "criteria": [criterion]})
    await ok("scorecardRemove", {"opportunity": opportunity})
    await ok("ucvRemove", {"opportunity": opportunity})
    await ok("burningIssueRemove", {"opportunity": opportunity})
    await ok("buyingCentreMemberRemove", {"opportunity": opportunity, "stakeholder": person})
    await ok("opportunityCompetitorRemove", {"opportunity": opportunity, "competitor": rival})
    await ok("stakeholderFavourRemove", {"stakeholder": person, "competitor": rival})
    await ok("competitorContactRemove", {"rep": rep, "stakeholder": person})
    await ok("opportunityDelete", {"id": opportunity})
    await ok("competitorRepDelete", {"id": rep})
    await ok("competitorDelete", {"id": competitor})


async def run_sync_upserts(ok: Ok) -> None:
    """The integration jobs' upserts and removals by external id, with secrets in every text they write."""
    member = {"externalId": "tm-1", "name": s("member"), "role": "SALES", "email": f"{s('member-email')}@example.com"}
    await ok("teamMembersUpsert", {"source": "crm", "teamMembers": [member]})
    await ok("coverageUpsert", {"source": "crm", "coverage": [{"teamMember": "tm-1", "stakeholder": "p1"}]})
    visit = {
        "externalId": "v-1",
        "at": "2026-11-02T10:00:00Z",
        "type": "VISIT",
        "stakeholders": ["p1"],
        "teamMember": "tm-1",
        "summary": s("summary"),
        "nextStep": s("next-step"),
    }
    await ok("interactionsUpsert", {"source": "crm", "account": "leak-1", "interactions": [visit]})
    await ok("interactionsRemove", {"source": "crm", "account": "leak-1", "externalIds": ["v-1"]})
    await ok("coveragesRemove", {"source": "crm", "coverage": [{"teamMember": "tm-1", "stakeholder": "p1"}]})
    await ok("teamMembersRemove", {"source": "crm", "externalIds": ["tm-1"]})


async def run_refused_and_malformed(client: GraphQLClient) -> None:
    """User errors, variables that do not coerce (GraphQL's message quotes them), literals that do not
    validate, and a document that does not parse, each carrying secrets."""
    refused = await mutate(
        client,
        "stakeholderCreate",
        {"account": "QWNjb3VudDpub3BlCg", "name": s("name"), "influence": 9, "notes": s("notes")},
    )
    assert refused["data"]["stakeholderCreate"]["userErrors"]
    for field in schema.as_str().split("type Mutation {", 1)[1].split("\n}", 1)[0].splitlines():
        name = field.strip().split("(", 1)[0]
        if "(input:" in field:
            body = await mutate(client, name, {"bogus": s("bogus"), "notes": s("notes"), "name": {"nested": s("x")}})
            assert body["errors"], name
    literal = f'mutation {{ stakeholderUpdate(input: {{id: "x", notes: 12, stance: {s("ENUM").replace("-", "_")}}}) {{ userErrors {{ code }} }} }}'
    assert (await client.http.post("/graphql", json={"query": literal})).status_code == 200
    broken = f'mutation {{ stakeholderUpdate(input: {{notes: "{s("notes")}" '
    assert (await client.http.post("/graphql", json={"query": broken})).status_code == 200
    by_get = await client.http.get("/graphql", params={"query": f'{{ account(id: "{s("id")}") {{ name }} }}'})
    assert (by_get.status_code, by_get.json()["data"]) == (200, {"account": None})
    mutation_by_get = (
        f'mutation {{ stakeholderUpdate(input: {{id: "x", notes: "{s("notes")}"}}) {{ userErrors {{ code }} }} }}'
    )
    assert (await client.http.get("/graphql", params={"query": mutation_by_get})).status_code == 405
    bad_by_get = {
        "query": "query($n: Int!) { accounts(first: $n) { totalCount } }",
        "variables": f'{{"n": "{s("n")}"}}',
    }
    assert (await client.http.get("/graphql", params=bad_by_get)).json()["errors"]


def leaks(records: list[logging.LogRecord]) -> list[tuple[str, str]]:
    json_format, text_format = JsonFormatter(), TextFormatter()
    found = []
    for record in records:
        for rendered in (json_format.format(record), text_format.format(record), str(record.args)):
            found.extend((value, rendered[:300]) for value in (*SECRETS, KEY) if value in rendered)
    return found


async def test_no_log_line_carries_intelligence_or_keys(
    client: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    quiet_libraries()
    caplog.set_level(logging.DEBUG)
    assert client.key is not None
    SECRETS.append(client.key)
    ran = await run_every_mutation(client)
    await run_refused_and_malformed(client)
    mutations = {
        line.strip().split("(", 1)[0]
        for line in schema.as_str().split("type Mutation {", 1)[1].split("\n}", 1)[0].splitlines()
        if "(input:" in line
    }
    assert ran == mutations
    assert len(ran) == 62  # the deal mutations and the sync upserts among them
    assert len(caplog.records) > 50  # the access log and the client errors were logged, values aside
    assert leaks(caplog.records) == []
