"""A small account document with every deal section, and helpers to import and export it."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import GraphQLClient

IMPORT = """
mutation Import($input: AccountGraphInput!) {
  accountGraphImport(input: $input) {
    account { id }
    created updated unchanged archived removed
    userErrors { field message code }
  }
}
"""

EXPORT = """
query($source: String!, $id: String!, $as: String!) {
  accountByExternalId(source: $source, id: $id) { exportDocument(source: $as) }
}
"""

DEAL_SECTIONS = ("competitors", "competitorReps", "competitorContacts", "favours", "opportunities")

DOCUMENT: dict[str, Any] = {
    "source": "crm",
    "account": {"externalId": "acc-d", "name": "Deal Account", "tier": "A"},
    "stakeholders": [
        {
            "externalId": "p1",
            "name": "Ada",
            "phone": "+86 1",
            "notes": "likes data",
            "influence": 5,
            "buyingRoles": ["DECISION_MAKER"],
            "buyerTypes": ["ECONOMIC"],
            "stance": "NEUTRAL",
        },
        {"externalId": "p2", "name": "Bo", "stance": "SUPPORTER", "influence": 3},
        {"externalId": "p3", "name": "Cy", "stance": "OPPONENT", "influence": 4},
        {"externalId": "p4", "name": "Di"},
    ],
    "influences": [{"from": "p2", "to": "p1", "strength": 4}],
    "team": [{"externalId": "t1", "name": "Tess", "role": "SALES"}],
    "coverage": [{"teamMember": "t1", "stakeholder": "p2", "relationshipStep": 3}],
    "competitors": [
        {"externalId": "c1", "name": "Foreign Co", "origin": "国外公司"},
        {"externalId": "c2", "name": "Local Co"},
    ],
    "competitorReps": [
        {"externalId": "r1", "name": "Rep One", "competitor": "c1"},
        {"externalId": "r2", "name": "Rep Two", "competitor": "c2"},
    ],
    "competitorContacts": [
        {
            "rep": "r1",
            "stakeholder": "p1",
            "visitsPerMonth": 2.5,
            "typicalMinutes": 90,
            "form": "dinner",
            "topics": ["price", "renewal"],
            "strength": 4,
        },
        {"rep": "r2", "stakeholder": "p3", "visitsPerMonth": 1.0, "topics": []},
    ],
    "favours": [{"stakeholder": "p3", "competitor": "c1", "note": "chose them before"}],
    "opportunities": [
        {
            "externalId": "o1",
            "name": "Big deal",
            "buyClass": "NEW_BUY",
            "estimatedValue": "1250000.50",
            "currency": "CNY",
            "expectedCloseDate": "2024-09-30",
            "status": "OPEN",
            "salesStage": "D",
            "procurementStep": 7,
            "decisionStage": "EVALUATE",
            "burningIssue": {"text": "Downtime", "owner": "p2", "personal": True, "timeImmediate": False},
            "ucv": {
                "text": "Half the downtime",
                "measurable": True,
                "metric": "hours/month",
                "deliverableBy": "2024-06-01",
                "customerDeadline": "2024-07-01",
                "unique": True,
            },
            "buyingCentre": [
                {"stakeholder": "p1", "handler": False, "projectLead": True},
                {
                    "stakeholder": "p2",
                    "buyingRoles": ["RECOMMENDER"],
                    "buyerTypes": ["COACH"],
                    "handler": True,
                    "projectLead": False,
                },
                {
                    "stakeholder": "p3",
                    "buyingRoles": ["APPROVER"],
                    "buyerTypes": [],
                    "handler": False,
                    "projectLead": False,
                },
            ],
            "competitors": [{"competitor": "c1", "incumbent": True}, {"competitor": "c2", "incumbent": False}],
            "scorecard": {
                "criteria": [
                    {
                        "name": "Price",
                        "weight": 0.6,
                        "ourScore": 4,
                        "competitorScores": [{"competitor": "c1", "score": 3}, {"competitor": "c2", "score": 5}],
                        "cares": [{"stakeholder": "p1", "weight": 5}, {"stakeholder": "p3", "weight": 2}],
                    },
                    {
                        "name": "Service",
                        "weight": 0.4,
                        "ourScore": 5,
                        "competitorScores": [{"competitor": "c1", "score": 4}],
                        "cares": [],
                    },
                ]
            },
        },
        {
            "externalId": "o2",
            "name": "Small deal",
            "status": "OPEN",
            "salesStage": "G",
            "buyingCentre": [],
            "competitors": [],
        },
    ],
}

DEAL_RECORDS = 2 + 2 + 2 + 1 + 2
"""Competitors, reps, contacts, favours, opportunities."""
RECORDS = 1 + 4 + 1 + 1 + 1 + DEAL_RECORDS
"""Account, people, influence, team member, coverage and the deal records."""


def document(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(DOCUMENT)
    body.update(changes)
    return body


async def run_import(client: GraphQLClient, body: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = (await client.data(IMPORT, {"input": body}))["accountGraphImport"]
    return payload


def counts(payload: dict[str, Any]) -> tuple[int, ...]:
    return tuple(payload[k] for k in ("created", "updated", "unchanged", "archived", "removed"))


async def export(client: GraphQLClient, source: str = "crm", account: str = "acc-d") -> dict[str, Any]:
    data = await client.data(EXPORT, {"source": source, "id": account, "as": source})
    found: dict[str, Any] = data["accountByExternalId"]["exportDocument"]
    return found
