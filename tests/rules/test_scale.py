"""A large account: the dynamic programme answers where enumerating paths could not.

With ~1500 people and out-degree ~8 there are hundreds of millions of simple paths of up to 6 links:
an analytic that enumerated them would not finish in any test run, while the dynamic programme answers
in about a second. No wall-clock assertion (a loaded machine makes any budget flaky): the figures live
in `bench/rules_bench.py`.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

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
from service.rules.analytics import (
    access_paths,
    coach_candidates,
    coverage_gaps,
    influencers,
    neutrals_to_convert,
    opponents_to_neutralize,
    overdue_contacts,
    power_map,
    simulate_after,
    supporter_consolidation,
)
from service.rules.enums import BuyingRole, Stance, TieKind

PEOPLE = 1500
OUT_DEGREE = 8


def big_account(seed: int = 7) -> AccountGraph:
    rnd = random.Random(seed)
    ids = [f"p{i}" for i in range(PEOPLE)]
    people = tuple(
        Person(
            id=pid,
            name=f"n{rnd.randrange(500)}",
            stance=rnd.choice(list(Stance)),
            influence=rnd.choice((None, 1, 2, 3, 4, 5)),
            buying_roles=frozenset({BuyingRole.DECISION_MAKER}) if i < 5 else frozenset(),
        )
        for i, pid in enumerate(ids)
    )
    pairs = {(a, b) for a in ids for b in rnd.sample(ids, OUT_DEGREE) if a != b}
    links = tuple((a, b, rnd.randint(1, 5)) for a, b in sorted(pairs))
    ties = tuple(Tie(TieKind.KNOWS, *rnd.sample(ids, 2)) for _ in range(PEOPLE))
    circles = tuple(Circle(f"c{i}", f"circle {i}") for i in range(10))
    memberships = tuple(Membership(pid, rnd.choice(circles).id, rnd.random() < 0.1) for pid in ids)
    team = tuple(TeamMember(f"m{i}", f"member {i}") for i in range(10))
    coverage = tuple(Coverage(rnd.choice(team).id, pid, rnd.randint(1, 5)) for pid in rnd.sample(ids, 100))
    org_chart = tuple(ReportingLine(ids[i], ids[rnd.randrange(i)]) for i in range(1, PEOPLE))
    return AccountGraph("big", people, links, ties, org_chart, circles, memberships, team, coverage)


def test_every_analytic_scales_without_enumerating_paths() -> None:
    graph = big_account()
    assert list(influencers(graph, max_hops=6))
    assert list(influencers(graph, of="p42", max_hops=6))
    list(neutrals_to_convert(graph, max_hops=6))
    list(opponents_to_neutralize(graph, max_hops=6))
    consolidation = supporter_consolidation(graph, max_hops=6)
    assert len(consolidation.unlinked_pairs[:100]) == 100
    coverage_gaps(graph, as_of=datetime(2024, 6, 1, tzinfo=UTC))
    list(coach_candidates(graph))
    power_map(graph)
    list(access_paths(graph, "p42", max_hops=6))
    list(overdue_contacts(graph, as_of=datetime(2024, 6, 1, tzinfo=UTC)))
    simulate_after(graph, {"p42": Stance.MENTOR}, as_of=datetime(2024, 6, 1, tzinfo=UTC))
