"""A synthetic large account written with raw Cypher (as `bench/analytics_bench.py` builds it): the
size the issue's tests need in seconds, not the minutes the import would take."""

from __future__ import annotations

import random
from typing import Any

from neo4j import AsyncDriver

from service.schema.ids import encode_id

STANCES = {"ENEMY": 3, "OPPONENT": 7, "NEUTRAL": 45, "UNKNOWN": 30, "SUPPORTER": 12, "MENTOR": 3}
TYPES = {"ECONOMIC": 1, "TECHNICAL": 5, "USER": 15, "FINANCIAL": 2, "COACH": 2, "INFLUENCER": 3, "": 72}

CREATE_ACCOUNT = "CREATE (:Account {workspaceId: $ws, id: $accountId, name: $accountId, clock: randomUUID()})"
CREATE_PEOPLE = """
UNWIND $rows AS row
CREATE (:Stakeholder {workspaceId: $ws, id: row.id, accountId: $accountId, name: row.name, stance: row.stance,
                      influence: row.influence, buyingRoles: row.roles, buyerTypes: row.types, archived: false,
                      version: 1, createdAt: datetime(), updatedAt: datetime()})
"""
CREATE_LINKS = """
UNWIND $rows AS row
MATCH (a:Stakeholder {workspaceId: $ws, id: row.a}), (b:Stakeholder {workspaceId: $ws, id: row.b})
CREATE (a)-[:INFLUENCES {workspaceId: $ws, id: row.id, strength: row.strength}]->(b)
"""
CREATE_CIRCLES = """
UNWIND $rows AS row
CREATE (c:Circle {workspaceId: $ws, id: row.id, accountId: $accountId, name: row.name})
WITH c, row UNWIND row.members AS member
MATCH (s:Stakeholder {workspaceId: $ws, id: member})
CREATE (s)-[:MEMBER_OF {workspaceId: $ws, core: false}]->(c)
"""
CREATE_TEAM = """
MATCH (a:Account {workspaceId: $ws, id: $accountId})
UNWIND $rows AS row
CREATE (t:TeamMember {workspaceId: $ws, id: row.id, name: row.name, role: 'SALES'})-[:ASSIGNED_TO {workspaceId: $ws}]->(a)
WITH t, row UNWIND row.covers AS covered
MATCH (s:Stakeholder {workspaceId: $ws, id: covered})
CREATE (t)-[:COVERS {workspaceId: $ws, relationshipStep: row.step}]->(s)
"""


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


async def build_account(driver: AsyncDriver, ws: str, people: int, links_per_person: int = 10) -> str:
    """Account `big-<people>` with `people` stakeholders (three decision makers) and `people *
    links_per_person` influence links; returns its global id."""
    rng = random.Random(7)
    account_id = f"big-{people}"
    params: dict[str, Any] = {"ws": ws, "accountId": account_id}
    await driver.execute_query(CREATE_ACCOUNT, **params)
    ids = [f"{account_id}-p{i}" for i in range(people)]
    rows = [
        {
            "id": p,
            "name": f"P{i:05d}",
            "stance": _pick(rng, STANCES),
            "influence": rng.randint(1, 5),
            "roles": ["DECISION_MAKER"] if i < 3 else [],
            "types": [t for t in [_pick(rng, TYPES)] if t],
        }
        for i, p in enumerate(ids)
    ]
    for start in range(0, people, 5_000):
        await driver.execute_query(CREATE_PEOPLE, rows=rows[start : start + 5_000], **params)
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < people * links_per_person:
        a, b = rng.sample(ids, 2)
        pairs.add((a, b))
    links = [
        {"id": f"{account_id}-l{n}", "a": a, "b": b, "strength": rng.randint(1, 5)}
        for n, (a, b) in enumerate(sorted(pairs))
    ]
    for start in range(0, len(links), 10_000):
        await driver.execute_query(CREATE_LINKS, rows=links[start : start + 10_000], **params)
    circles = [
        {"id": f"{account_id}-c{c}", "name": f"Circle {c}", "members": rng.sample(ids, max(people // 20, 3))}
        for c in range(10)
    ]
    await driver.execute_query(CREATE_CIRCLES, rows=circles, **params)
    team = [
        {
            "id": f"{account_id}-t{t}",
            "name": f"Rep {t}",
            "step": rng.randint(1, 5),
            "covers": rng.sample(ids, people // 50),
        }
        for t in range(10)
    ]
    await driver.execute_query(CREATE_TEAM, rows=team, **params)
    return encode_id("Account", account_id)
