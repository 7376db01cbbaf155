"""Account documents of any size for the import tests and `bench/import_bench.py`: `people` stakeholders in
a reporting tree, about ten links each (six influences, four ties), circles, a team, coverage, visits."""

from __future__ import annotations

import copy
import random
from typing import Any

SOURCE = "crm"
STANCES = ("ENEMY", "OPPONENT", "NEUTRAL", "SUPPORTER", "MENTOR")


def account_document(people: int, key: str = "BIG-1", seed: int = 1, team: int = 20) -> dict[str, Any]:
    """The `accountGraphImport` input of one account; the same arguments give the same document."""
    rng = random.Random(seed)
    ids = [f"{key}-P{n:05d}" for n in range(people)]
    stakeholders = [
        {
            "externalId": ids[n],
            "name": f"Person {n}",
            "title": f"Title {n % 40}",
            "department": f"Department {n % 12}",
            "email": f"p{n}@customer.example",
            "reportsTo": ids[(n - 1) // 10] if n else None,
            "stance": STANCES[n % 5],
            "influence": 1 + n % 5,
        }
        for n in range(people)
    ]
    influences: dict[tuple[str, str], dict[str, Any]] = {}
    ties: dict[tuple[str, str], dict[str, Any]] = {}
    while len(influences) < 6 * people and people > 1:
        a, b = rng.sample(ids, 2)
        influences[(a, b)] = {"from": a, "to": b, "strength": rng.randint(1, 5)}
    while len(ties) < 4 * people and people > 1:
        a, b = sorted(rng.sample(ids, 2))
        ties[(a, b)] = {"kind": "KNOWS", "a": a, "b": b, "strength": rng.randint(1, 5)}
    circles = [
        {
            "key": f"C{c}",
            "name": f"Circle {c}",
            "members": [{"stakeholder": p, "core": i == 0} for i, p in enumerate(ids[c :: max(people // 10, 1)][:30])],
            "rivals": [f"C{c - 1}"] if c % 2 else [],
        }
        for c in range(max(people // 100, 2))
    ]
    members = [{"externalId": f"T{t:03d}", "name": f"Seller {t}", "role": "ACCOUNT_MANAGER"} for t in range(team)]
    coverage = [
        {"teamMember": members[n % team]["externalId"], "stakeholder": ids[n], "relationshipStep": 1 + n % 5}
        for n in range(0, people, 2)
    ]
    interactions = [
        {
            "externalId": f"{key}-V{n:05d}",
            "at": f"2025-0{1 + n % 9}-1{n % 10}T10:00:00+08:00",
            "type": "VISIT",
            "stakeholders": [ids[n], ids[(n * 7 + 1) % people]],
            "teamMember": members[n % team]["externalId"],
        }
        for n in range(0, people, 5)
    ]
    return {
        "input": {
            "source": SOURCE,
            "account": {"externalId": key, "name": f"Account {key}"},
            "stakeholders": stakeholders,
            "influences": list(influences.values()),
            "ties": list(ties.values()),
            "circles": circles,
            "team": members,
            "coverage": coverage,
            "interactions": interactions,
        }
    }


def changed_document(document: dict[str, Any], seed: int = 2) -> dict[str, Any]:
    """A REPLACE of `document` with changes: a tenth of the people retitled, one in twenty dropped (and their
    links, coverage and visits), a tenth of the influences dropped and as many added, one circle dropped."""
    doc = copy.deepcopy(document)
    data = doc["input"]
    data["mode"] = "REPLACE"
    rng = random.Random(seed)
    people = data["stakeholders"]
    for person in people[::10]:
        person["title"] = person["title"] + " (new)"
    dropped = {p["externalId"] for p in people[7::20]}
    data["stakeholders"] = [p for p in people if p["externalId"] not in dropped]
    for p in data["stakeholders"]:
        if p.get("reportsTo") in dropped:
            p["reportsTo"] = None
    kept = [p["externalId"] for p in data["stakeholders"]]
    influences = [i for i in data["influences"][len(data["influences"]) // 10 :] if not {i["from"], i["to"]} & dropped]
    existing = {(i["from"], i["to"]) for i in influences}
    while len(influences) < len(data["influences"]) - len(dropped) * 12 and len(kept) > 1:
        a, b = rng.sample(kept, 2)
        if (a, b) not in existing:
            existing.add((a, b))
            influences.append({"from": a, "to": b, "strength": 3, "topic": "new"})
    data["influences"] = influences
    data["ties"] = [t for t in data["ties"] if not {t["a"], t["b"]} & dropped]
    data["coverage"] = [c for c in data["coverage"] if c["stakeholder"] not in dropped]
    data["interactions"] = [i for i in data["interactions"] if not set(i["stakeholders"]) & dropped]
    data["circles"] = [
        {**c, "members": [m for m in c["members"] if m["stakeholder"] not in dropped]} for c in data["circles"][1:]
    ]
    keys = {c["key"] for c in data["circles"]}
    for c in data["circles"]:
        c["rivals"] = [r for r in c["rivals"] if r in keys]
    return doc


def record_count(document: dict[str, Any]) -> int:
    """Records a first import creates: the account, people, circles, links, team, coverage, visits."""
    data = document["input"]
    lists = ("stakeholders", "circles", "influences", "ties", "team", "coverage", "interactions")
    return 1 + sum(len(data[name]) for name in lists)
