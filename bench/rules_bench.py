"""Rules benchmark: the pure analytics alone, on in-memory snapshots, no database.

Builds AccountGraph snapshots shaped like `bench/analytics_bench.py` builds its accounts in Neo4j (three
decision makers, the same stance/role/type mix, 10 links and 2 ties per person, 10 circles, 10 team
members each covering 2% of the people; a tier-A account; seeded RNG) and prints the median time of
each public analytic (of a list answer: its length and its first 20 rows, what a client reads by
default), and of `active_view` alone, in milliseconds. Every run computes from scratch: on a copy of the
snapshot with only its active view built, since answers and shared structures are kept with a snapshot.
An analytic whose warm-up run takes more than `SLOW_MS` is timed by that run alone.

    .venv/bin/python bench/rules_bench.py                     # 1,000/10,000 and 5,000/50,000
    .venv/bin/python bench/rules_bench.py --sizes 1000 --runs 31
    .venv/bin/python bench/rules_bench.py --org-chart         # everyone but the first reports to someone
    .venv/bin/python bench/rules_bench.py --cpu               # CPU time: steadier on a shared machine
    .venv/bin/python bench/rules_bench.py --package old_analytics   # a copy of another implementation
"""

from __future__ import annotations

import argparse
import gc
import importlib
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from service.rules.account_graph import (
    AccountGraph,
    Circle,
    Coverage,
    Membership,
    Person,
    ReportingLine,
    TeamMember,
    Tie,
)
from service.rules.enums import AccountTier, BuyerType, BuyingRole, Stance, TieKind

LINKS_PER_PERSON = 10
DECISION_MAKERS = 3
STANCES = {"ENEMY": 3, "OPPONENT": 7, "NEUTRAL": 45, "UNKNOWN": 30, "SUPPORTER": 12, "MENTOR": 3}
ROLES = {"APPROVER": 2, "RECOMMENDER": 10, "USER": 20, "": 68}
TYPES = {"ECONOMIC": 1, "TECHNICAL": 5, "USER": 15, "FINANCIAL": 2, "COACH": 2, "INFLUENCER": 3, "": 72}
AS_OF = datetime(2024, 6, 1, tzinfo=UTC)
SLOW_MS = 2_000.0


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
    links = [(a, b, rng.randint(1, 5)) for a, b in sorted(pairs)]
    tie_pairs = sorted({tuple(sorted(rng.sample(ids, 2))) for _ in range(people * 2)})
    ties = [Tie(TieKind[rng.choice(["KNOWS", "ALLY", "RIVAL"])], a, b, rng.randint(1, 5)) for a, b in tie_pairs]
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
        tier=AccountTier.A,
    )


def with_org_chart(graph: AccountGraph, seed: int = 8) -> AccountGraph:
    """The same account where everyone but the first reports to someone listed before them (a tree)."""
    rng = random.Random(seed)
    ids = [person.id for person in graph.people]
    lines = tuple(ReportingLine(ids[i], ids[rng.randrange(i)]) for i in range(1, len(ids)))
    return replace(graph, reporting_lines=lines)


Analytic = Callable[[AccountGraph], Any]
ROWS = 20
"""Rows read of a list answer, as the API's default `first`: a ranked answer builds only those."""


def read(answer: Sequence[Any]) -> tuple[int, Sequence[Any]]:
    return len(answer), answer[:ROWS]


def analytics(package: str, graph: AccountGraph) -> dict[str, Analytic]:
    api = importlib.import_module(package)
    target = graph.people[0].id
    calls: dict[str, Analytic] = {
        "influencers": lambda g: read(api.influencers(g)),
        "influencers(of=DM)": lambda g: read(api.influencers(g, of=target)),
        "leverage": lambda g: api.leverage(g),
        "neutrals_to_convert": lambda g: read(api.neutrals_to_convert(g)),
        "opponents_to_neutralize": lambda g: read(api.opponents_to_neutralize(g)),
        "supporter_consolidation": lambda g: read(api.supporter_consolidation(g).unlinked_pairs),
        "coverage_gaps": lambda g: read(api.coverage_gaps(g, as_of=AS_OF)),
        "coach_candidates": lambda g: read(api.coach_candidates(g)),
        "power_map": lambda g: api.power_map(g),
        "support_score": lambda g: api.support_score(g),
        "access_paths(to=DM)": lambda g: read(api.access_paths(g, target)),
        "simulate(1 change)": lambda g: api.simulate(g, {target: Stance.SUPPORTER}),
        # Analytics v2, where the package has them
        "overdue_contacts": lambda g: read(api.overdue_contacts(g, as_of=AS_OF)),
        "contact_due_dates": lambda g: api.contact_due_dates(g),
        "brokers": lambda g: read(api.brokers(g)),
        "simulate_after(1 change)": lambda g: api.simulate_after(g, {target: Stance.SUPPORTER}, as_of=AS_OF),
    }
    return {name: call for name, call in calls.items() if hasattr(api, name.split("(")[0])}


CLOCK = time.perf_counter


def median_ms(call: Analytic, runs: int, graph: AccountGraph, prepare: Analytic) -> str:
    """Each run on a copy of the snapshot with nothing kept from earlier runs but what `prepare` builds."""
    samples = []
    for _ in range(runs + 1):  # the first run warms up
        fresh = replace(graph)
        prepare(fresh)
        gc.collect()
        began = CLOCK()
        call(fresh)
        samples.append((CLOCK() - began) * 1000)
        if samples[0] > SLOW_MS:
            return f"{samples[0]:8.0f} ms (1 run)"
    return f"{statistics.median(samples[1:]):8.2f} ms"


def main(sizes: list[int], runs: int, package: str, org_chart: bool) -> None:
    view = importlib.import_module(f"{package}.active_view")
    for people in sizes:
        graph = build_account(people)
        if org_chart:
            graph = with_org_chart(graph)
        lines = f", {len(graph.reporting_lines):,} reporting lines" if org_chart else ""
        clock = "CPU" if CLOCK is time.process_time else "wall"
        print(
            f"\n{people:,} stakeholders, {len(graph.links):,} links{lines} ({package}, {clock} median of {runs} runs)"
        )
        print(f"  {'active_view':<26} {median_ms(view.active_view, runs, graph, lambda g: None)}")
        for name, call in analytics(package, graph).items():
            print(f"  {name:<26} {median_ms(call, runs, graph, view.active_view)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--package", default="service.rules.analytics", help="the analytics package to time")
    parser.add_argument("--org-chart", action="store_true", help="add a reporting line for everyone but one")
    parser.add_argument("--cpu", action="store_true", help="time the process's CPU time, not the wall clock")
    args = parser.parse_args()
    if args.cpu:
        CLOCK = time.process_time
    main(args.sizes, args.runs, args.package, args.org_chart)
