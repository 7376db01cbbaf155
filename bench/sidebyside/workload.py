"""Synthetic workspaces as `accountGraphImport` documents (the mutation's `input`), deterministic per seed.

Every workspace holds the same main account (the account page and the stakeholder detail look at it),
so a figure taken in a workspace of 1 account and one taken in a workspace of 10,000 compare the same
screen. Names are unique within a workspace: the benchmark maps ids across the three servers by name.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SOURCE = "bench"
MAIN_ACCOUNT = "ACC-MAIN"
TEAM_SIZE = 24
# Outgoing influence links per person: about 7 on average, as in the account page issue 14 measured
# (698 links for its first 100 people).
LINKS_PER_PERSON = (4, 10)

STANCES = {"ENEMY": 4, "OPPONENT": 8, "NEUTRAL": 38, "UNKNOWN": 22, "SUPPORTER": 22, "MENTOR": 6}
ROLES = {"APPROVER": 6, "RECOMMENDER": 18, "USER": 30, "": 46}
BUYER_TYPES = {"TECHNICAL": 8, "USER": 20, "FINANCIAL": 4, "COACH": 3, "INFLUENCER": 6, "": 59}
LEVELS = ("OPERATIONAL", "MANAGEMENT", "SENIOR")
ADAPTABILITY = ("ENTHUSIAST", "PIONEER", "FOLLOWER", "LAGGARD")
PERSONALITY = ("DOVE", "PEACOCK", "OWL", "EAGLE")
TIERS = ("NONE", "LIGHT", "FREQUENT", "VIP")
INFLUENCE_KINDS = ("FORMAL", "INFORMAL", "TECHNICAL", "PERSONAL")
TIE_KINDS = ("KNOWS", "ALLY", "RIVAL")
RELATIONSHIP_TYPES = ("FRIEND", "PARTNER", "OUTSIDER", "SUPPLIER")
DEPARTMENTS = ("Finance", "Procurement", "Production", "Engineering", "IT", "Quality", "Legal", "Sales", "HR")
GIVEN = ("Anna", "Bo", "Chen", "Dana", "Emil", "Fang", "Goro", "Hana", "Ivan", "Jun", "Kai", "Lena", "Mei", "Nils")
FAMILY = ("Abe", "Berg", "Cao", "Diaz", "Eng", "Fox", "Gao", "Holm", "Ito", "Jin", "Kuhn", "Li", "Mori", "Novak")
TEAM_ROLES = ("ACCOUNT_MANAGER", "SALES", "PRESALES", "ENGINEER", "SERVICE", "TEAM_LEADER")


@dataclass(frozen=True)
class WorkspacePlan:
    """What one workspace holds: the main account plus `others` smaller ones of `other_sizes` people."""

    name: str
    main_people: int
    others: int
    other_sizes: tuple[int, int]

    @property
    def accounts(self) -> int:
        return 1 + self.others


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def team_member(n: int) -> dict[str, Any]:
    return {
        "externalId": f"T{n:03d}",
        "name": f"Rep {GIVEN[n % len(GIVEN)]} {n:03d}",
        "role": TEAM_ROLES[n % len(TEAM_ROLES)],
        "email": f"rep{n:03d}@example.com",
    }


def documents(plan: WorkspacePlan, seed: int = 14) -> Iterator[dict[str, Any]]:
    """The main account first, then the others; the main account is the same in every workspace."""
    yield account_document(MAIN_ACCOUNT, "Main Account", plan.main_people, random.Random(seed))
    rng = random.Random(f"{seed}:{plan.name}")
    for n in range(1, plan.others + 1):
        people = rng.randint(*plan.other_sizes)
        yield account_document(f"ACC-{n:05d}", f"Account {n:05d}", people, random.Random(f"{seed}:{plan.name}:{n}"))


def account_document(external_id: str, name: str, people: int, rng: random.Random) -> dict[str, Any]:
    """One account's map: people with a reporting tree, 4-10 outgoing influence links each (fewer in tiny
    accounts), about one tie each, political circles, and a team covering about half of them."""
    keys = [f"{external_id}-P{i:03d}" for i in range(people)]
    stakeholders = [_person(external_id, i, key, keys, rng) for i, key in enumerate(keys)]
    team = [team_member(n) for n in sorted(rng.sample(range(TEAM_SIZE), min(3, TEAM_SIZE)))]
    return {
        "source": SOURCE,
        "mode": "REPLACE",
        "account": {"externalId": external_id, "name": name, "industry": "Manufacturing", "tier": "A"},
        "stakeholders": stakeholders,
        "influences": _influences(keys, rng),
        "ties": _ties(keys, rng),
        "circles": _circles(external_id, keys, rng),
        "team": team,
        "coverage": [
            {
                "teamMember": rng.choice(team)["externalId"],
                "stakeholder": key,
                "relationshipStep": rng.randint(1, 5),
                "relationshipType": rng.choice(RELATIONSHIP_TYPES),
            }
            for key in keys
            if rng.random() < 0.5
        ],
    }


def _person(account: str, i: int, key: str, keys: list[str], rng: random.Random) -> dict[str, Any]:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    role = pick(rng, ROLES)
    buyer_type = pick(rng, BUYER_TYPES)
    return {
        "externalId": key,
        "name": f"{family} {given} {account}-{i:03d}",
        "title": "General Manager" if i == 0 else f"{rng.choice(DEPARTMENTS)} {rng.choice(LEVELS).title()}",
        "department": rng.choice(DEPARTMENTS),
        "email": f"{given}.{family}.{i}@{account.lower()}.example.com".lower(),
        "phone": f"+86 756 {rng.randint(1000000, 9999999)}",
        "level": "SENIOR" if i < 3 else rng.choice(LEVELS),
        "reportsTo": keys[(i - 1) // 5] if i > 0 else None,
        "stance": pick(rng, STANCES),
        "influence": 5 if i == 0 else rng.randint(1, 5),
        "buyingRoles": ["DECISION_MAKER"] if i == 0 else [role] if role else [],
        "buyerTypes": ["ECONOMIC"] if i == 0 else [buyer_type] if buyer_type else [],
        "adaptability": rng.choice(ADAPTABILITY),
        "personality": rng.choice(PERSONALITY),
        "contactTier": rng.choice(TIERS),
        "notes": f"Met at the {rng.choice(DEPARTMENTS).lower()} review; follow up on the tender."
        if rng.random() < 0.4
        else None,
    }


def _influences(keys: list[str], rng: random.Random) -> list[dict[str, Any]]:
    links = []
    for source in keys:
        others = [k for k in keys if k != source]
        for target in rng.sample(others, min(rng.randint(*LINKS_PER_PERSON), len(others))):
            links.append(
                {
                    "from": source,
                    "to": target,
                    "strength": rng.randint(1, 5),
                    "kind": rng.choice(INFLUENCE_KINDS),
                    "confidence": round(rng.uniform(0.3, 1.0), 2),
                }
            )
    return links


def _ties(keys: list[str], rng: random.Random) -> list[dict[str, Any]]:
    if len(keys) < 2:
        return []
    pairs = {tuple(sorted(rng.sample(keys, 2))) for _ in keys}
    return [{"kind": rng.choice(TIE_KINDS), "a": a, "b": b, "strength": rng.randint(1, 5)} for a, b in sorted(pairs)]


def _circles(account: str, keys: list[str], rng: random.Random) -> list[dict[str, Any]]:
    count = max(2, len(keys) // 25)
    circles: list[dict[str, Any]] = [
        {"key": f"C{c}", "name": f"Circle {c} of {account}", "members": [], "rivals": [], "allies": []}
        for c in range(count)
    ]
    for key in keys:
        for circle in rng.sample(circles, min(count, rng.choice((0, 1, 1, 2, 2, 3)))):
            circle["members"].append({"stakeholder": key, "core": rng.random() < 0.15})
    circles[0]["rivals"] = [circles[1]["key"]]
    if count > 2:
        circles[0]["allies"] = [circles[2]["key"]]
    return circles


def plans(quick: bool) -> dict[str, WorkspacePlan]:
    """The workspaces by role: `one` (the main account alone), `a` (100 accounts), `b` (10,000)."""
    if quick:
        return {
            "one": WorkspacePlan("bench-quick-one", 200, 0, (20, 50)),
            "a": WorkspacePlan("bench-quick-a", 200, 9, (20, 50)),
            "b": WorkspacePlan("bench-quick-b", 200, 299, (2, 5)),
        }
    return {
        "one": WorkspacePlan("bench-one", 200, 0, (20, 50)),
        "a": WorkspacePlan("bench-a", 200, 99, (20, 50)),
        "b": WorkspacePlan("bench-b", 200, 9_999, (2, 5)),
    }
