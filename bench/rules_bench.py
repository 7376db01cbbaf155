"""Rules benchmark: the pure analytics alone, on in-memory snapshots, no database.

Builds AccountGraph snapshots shaped like `bench/analytics_bench.py` builds its accounts in Neo4j (three
decision makers, the same stance/role/type mix, 10 links and 2 ties per person, 10 circles, 10 team
members each covering 2% of the people; seeded RNG) and prints the median time of each public analytic,
and of `active_view` alone, in milliseconds.

    .venv/bin/python bench/rules_bench.py                     # 1,000/10,000 and 5,000/50,000
    .venv/bin/python bench/rules_bench.py --sizes 1000 --runs 31
    .venv/bin/python bench/rules_bench.py --package old_analytics   # a copy of another implementation
"""

from __future__ import annotations

import argparse
import gc
import importlib
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from service.rules.account_graph import AccountGraph, Circle, Coverage, Link, Membership, Person, TeamMember, Tie
from service.rules.enums import BuyerType, BuyingRole, Stance, TieKind

LINKS_PER_PERSON = 10
DECISION_MAKERS = 3
STANCES = {"ENEMY": 3, "OPPONENT": 7, "NEUTRAL": 45, "UNKNOWN": 30, "SUPPORTER": 12, "MENTOR": 3}
ROLES = {"APPROVER": 2, "RECOMMENDER": 10, "USER": 20, "": 68}
TYPES = {"ECONOMIC": 1, "TECHNICAL": 5, "USER": 15, "FINANCIAL": 2, "COACH": 2, "INFLUENCER": 3, "": 72}
AS_OF = datetime(2024, 6, 1, tzinfo=UTC)


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def build_account(people: int, seed: int = 7) -> AccountGraph:
    """The account `analytics_bench.build_account` stores, drawn from the same seeded RNG sequence."""
    rng = random.Random(seed)
    account_id = f"bench-{people}"
    ids = [f"{account_id}-p{i}" for i in range(people)]
    persons = []
    for i, person_id in enumerate(ids):
        stance = Stance[pick(rng, STANCES)]
        influence = rng.randint(1, 5)
        role = "DECISION_MAKER" if i < DECISION_MAKERS else pick(rng, ROLES)
        kind = pick(rng, TYPES)
        persons.append(
            Person(
                id=person_id,
                name=f"P{i:05d}",
                stance=stance,
                influence=influence,
                buying_roles=frozenset({BuyingRole[role]} if role else ()),
                buyer_types=frozenset({BuyerType[kind]} if kind else ()),
            )
        )
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < people * LINKS_PER_PERSON:
        a, b = rng.sample(ids, 2)
        pairs.add((a, b))
    links = [Link(f"l{n}", a, b, rng.randint(1, 5)) for n, (a, b) in enumerate(sorted(pairs))]
    tie_pairs = sorted({tuple(sorted(rng.sample(ids, 2))) for _ in range(people * 2)})
    ties = [
        Tie(f"t{n}", TieKind[rng.choice(["KNOWS", "ALLY", "RIVAL"])], a, b, rng.randint(1, 5))
        for n, (a, b) in enumerate(tie_pairs)
    ]
    circles, memberships = [], []
    for c in range(10):
        circle = Circle(f"{account_id}-c{c}", f"Circle {c}")
        circles.append(circle)
        members = rng.sample(ids, max(people // 20, 3))
        memberships += [Membership(p, circle.id, k < 3) for k, p in enumerate(members)]
    team, coverage = [], []
    for t in range(10):
        member = TeamMember(f"{account_id}-t{t}", f"Rep {t}")
        team.append(member)
        step = rng.randint(1, 5)
        coverage += [Coverage(member.id, p, step) for p in rng.sample(ids, people // 50)]
    return AccountGraph(
        account_id,
        people=tuple(persons),
        links=tuple(links),
        ties=tuple(ties),
        circles=tuple(circles),
        memberships=tuple(memberships),
        team=tuple(team),
        coverage=tuple(coverage),
    )


def analytics(package: str, graph: AccountGraph) -> dict[str, Callable[[], Any]]:
    api = importlib.import_module(package)
    view = importlib.import_module(f"{package}.active_view")
    target = graph.people[0].id
    return {
        "active_view": lambda: view.active_view(graph),
        "influencers": lambda: api.influencers(graph),
        "influencers(of=DM)": lambda: api.influencers(graph, of=target),
        "leverage": lambda: api.leverage(graph),
        "neutrals_to_convert": lambda: api.neutrals_to_convert(graph),
        "opponents_to_neutralize": lambda: api.opponents_to_neutralize(graph),
        "supporter_consolidation": lambda: api.supporter_consolidation(graph),
        "coverage_gaps": lambda: api.coverage_gaps(graph, as_of=AS_OF),
        "coach_candidates": lambda: api.coach_candidates(graph),
        "power_map": lambda: api.power_map(graph),
        "support_score": lambda: api.support_score(graph),
        "access_paths(to=DM)": lambda: api.access_paths(graph, target),
        "simulate(1 change)": lambda: api.simulate(graph, {target: Stance.SUPPORTER}),
    }


def median_ms(call: Callable[[], Any], runs: int) -> float:
    call()  # warm up
    samples = []
    for _ in range(runs):
        gc.collect()
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def main(sizes: list[int], runs: int, package: str) -> None:
    for people in sizes:
        graph = build_account(people)
        print(f"\n{people:,} stakeholders, {len(graph.links):,} links ({package}, median of {runs} runs)")
        for name, call in analytics(package, graph).items():
            print(f"  {name:<26} {median_ms(call, runs):8.2f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--package", default="service.rules.analytics", help="the analytics package to time")
    args = parser.parse_args()
    main(args.sizes, args.runs, args.package)
