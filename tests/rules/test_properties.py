"""Each analytic against an independent brute-force reference on small random graphs."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.rules.account_graph import AccountGraph
from service.rules.analytics import (
    NodeKind,
    NodeRef,
    access_paths,
    coach_candidates,
    coverage_gaps,
    influencers,
    leverage,
    neutrals_to_convert,
    opponents_to_neutralize,
    power_map,
    simulate,
    support_score,
    supporter_consolidation,
)
from service.rules.enums import Stance

from .reference import HOSTILE, NEUTRAL_OR_BETTER, SUPPORTIVE, TOL, Reference, r9
from .strategies import AS_OF, account_graphs

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOPS = st.integers(1, 6)
FIRST = st.integers(0, 12)
"""How many rows a caller takes: none, some, or more than the random accounts have."""


def assert_close(actual: float | None, expected: float | None) -> None:
    if expected is None or actual is None:
        assert actual is expected
    else:
        assert math.isclose(actual, expected, abs_tol=TOL), (actual, expected)


def assert_influence_path(ref: Reference, path: tuple[str, ...], strength: float, hops: int) -> None:
    assert len(path) == hops + 1
    assert len(set(path)) == len(path), "path must be simple"
    assert all(ref.digraph.has_edge(a, b) for a, b in zip(path, path[1:], strict=False))
    assert_close(ref.path_strength(list(path)), strength)


def active_ids(graph: AccountGraph) -> list[str]:
    return [p.id for p in graph.people if not p.archived]


@PROPERTY
@given(account_graphs(), HOPS, st.sampled_from((0.0, 0.2, 0.4, 0.5)), FIRST)
def test_influencers_of_the_decision_makers_match_brute_force(
    graph: AccountGraph, hops: int, floor: float, first: int
) -> None:
    ref = Reference(graph)
    ranked = influencers(graph, max_hops=hops, min_strength=floor)
    rows = ranked[:first]
    expected = ref.influencers(None, hops, floor)
    assert len(ranked) == len(expected)
    expected = expected[:first]
    assert [(r.influencer, r.target, r.hops) for r in rows] == [(p, t, h) for p, t, _, h in expected]
    for row, (_, _, strength, _) in zip(rows, expected, strict=True):
        assert_close(row.strength, strength)
        assert (row.path[0], row.path[-1]) == (row.influencer, row.target)
        assert_influence_path(ref, row.path, row.strength, row.hops)


@PROPERTY
@given(account_graphs(), HOPS, st.data())
def test_influencers_of_one_stakeholder_match_brute_force(graph: AccountGraph, hops: int, data: st.DataObject) -> None:
    ids = active_ids(graph)
    if not ids:
        return
    target = data.draw(st.sampled_from(ids))
    ref = Reference(graph)
    rows = influencers(graph, of=target, max_hops=hops)
    expected = ref.influencers(target, hops, 0.0)
    assert [(r.influencer, r.target, r.hops) for r in rows] == [(p, t, h) for p, t, _, h in expected]
    for row, (_, _, strength, _) in zip(rows, expected, strict=True):
        assert_close(row.strength, strength)
        assert_influence_path(ref, row.path, row.strength, row.hops)


@PROPERTY
@given(account_graphs(), HOPS)
def test_leverage_matches_brute_force(graph: AccountGraph, hops: int) -> None:
    actual = leverage(graph, hops)
    expected = Reference(graph).leverage(hops)
    assert actual.keys() == expected.keys()
    for person_id, value in expected.items():
        assert_close(actual[person_id], value)


def _conversion_view(rows: Sequence) -> list[tuple[str, float, tuple[str, str] | None, float]]:  # type: ignore[type-arg]
    return [
        (
            r.stakeholder,
            r9(r.leverage),
            (r.converter.kind.value, r.converter.id) if r.converter else None,
            r9(r.converter_strength),
        )
        for r in rows
    ]


def _assert_conversion_paths(graph: AccountGraph, rows: Sequence) -> None:  # type: ignore[type-arg]
    ref = Reference(graph)
    for row in rows:
        if row.converter is None:
            assert row.path == ()
            continue
        assert row.path[0] == row.converter
        assert row.path[-1] == NodeRef.stakeholder(row.stakeholder)
        assert len(row.path) == row.converter_hops + 1
        if row.converter.kind is NodeKind.STAKEHOLDER:
            assert_influence_path(ref, tuple(n.id for n in row.path), row.converter_strength, row.converter_hops)
        else:
            assert row.converter_hops == 1


@PROPERTY
@given(account_graphs(), HOPS, FIRST)
def test_neutrals_to_convert_match_brute_force(graph: AccountGraph, hops: int, first: int) -> None:
    ranked = neutrals_to_convert(graph, max_hops=hops)
    expected = Reference(graph).conversions(hops, {Stance.NEUTRAL}, SUPPORTIVE, use_team=True)
    assert len(ranked) == len(expected)
    assert _conversion_view(ranked[:first]) == expected[:first]
    assert _conversion_view(ranked) == expected
    _assert_conversion_paths(graph, ranked)


@PROPERTY
@given(account_graphs(), HOPS, FIRST)
def test_opponents_to_neutralize_match_brute_force(graph: AccountGraph, hops: int, first: int) -> None:
    ranked = opponents_to_neutralize(graph, max_hops=hops)
    expected = Reference(graph).conversions(hops, HOSTILE, NEUTRAL_OR_BETTER, use_team=False)
    assert len(ranked) == len(expected)
    assert _conversion_view(ranked[:first]) == expected[:first]
    assert _conversion_view(ranked) == expected
    _assert_conversion_paths(graph, ranked)


@PROPERTY
@given(account_graphs(), HOPS, FIRST)
def test_supporter_consolidation_matches_brute_force(graph: AccountGraph, hops: int, first: int) -> None:
    result = supporter_consolidation(graph, hops)
    pairs, isolated = Reference(graph).consolidation(hops)
    assert len(result.unlinked_pairs) == len(pairs)
    assert result.unlinked_pairs[:first] == pairs[:first]
    assert list(result.unlinked_pairs) == pairs
    assert [s.stakeholder for s in result.isolated_supporters] == isolated


@PROPERTY
@given(account_graphs(), st.sampled_from((0, 30, 60)))
def test_coverage_gaps_match_brute_force(graph: AccountGraph, stale_days: int) -> None:
    gaps = coverage_gaps(graph, stale_after_days=stale_days, as_of=AS_OF)
    actual = [(g.kind, g.stakeholder or g.role or g.buyer_type or g.circle, r9(g.severity)) for g in gaps]
    assert actual == Reference(graph).gaps(stale_days, AS_OF)
    assert all(0.0 <= g.severity <= 1.0 and g.reason and g.suggestion for g in gaps)


@PROPERTY
@given(account_graphs(), FIRST)
def test_coach_candidates_match_brute_force(graph: AccountGraph, first: int) -> None:
    ranked = coach_candidates(graph)
    expected = Reference(graph).coaches()
    assert len(ranked) == len(expected)
    assert [
        (c.stakeholder, c.qualified, c.breadth, c.circles_reached, r9(c.leverage), c.introduced_via)
        for c in ranked[:first]
    ] == expected[:first]


@PROPERTY
@given(account_graphs())
def test_power_map_and_support_score_match_brute_force(graph: AccountGraph) -> None:
    ref = Reference(graph)
    result = power_map(graph)
    circles, unaffiliated = ref.power_map()
    assert [
        (
            c.circle,
            c.members,
            c.core_members,
            c.influence_total,
            None if c.stance_balance is None else r9(c.stance_balance),
            c.covered_core_members,
            c.decision_circle,
        )
        for c in result.circles
    ] == circles
    assert list(result.unaffiliated) == unaffiliated
    assert_close(support_score(graph), ref.support_score())


@PROPERTY
@given(account_graphs(), st.data())
def test_simulate_matches_recomputing_on_the_changed_graph(graph: AccountGraph, data: st.DataObject) -> None:
    ids = active_ids(graph)
    changes = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(list(Stance)))) if ids else {}
    result = simulate(graph, changes)
    changed = replace(graph, people=tuple(replace(p, stance=changes.get(p.id, p.stance)) for p in graph.people))
    before, after = Reference(graph), Reference(changed)
    assert_close(result.support_score_before, before.support_score())
    assert_close(result.support_score_after, after.support_score())
    assert (result.neutrals_before, result.neutrals_after) == (
        _count(before, {Stance.NEUTRAL}),
        _count(after, {Stance.NEUTRAL}),
    )
    assert (result.opponents_before, result.opponents_after) == (_count(before, HOSTILE), _count(after, HOSTILE))


def _count(ref: Reference, stances: set[Stance]) -> int:
    return sum(1 for p in ref.people.values() if p.stance in stances)


@PROPERTY
@given(account_graphs(), st.integers(1, 5), st.integers(0, 4), st.data())
def test_access_paths_match_brute_force(graph: AccountGraph, hops: int, first: int, data: st.DataObject) -> None:
    ids = active_ids(graph)
    if not ids:
        return
    target = data.draw(st.sampled_from(ids))
    ranked = access_paths(graph, target, max_hops=hops)
    expected, arcs = Reference(graph).access(target, hops)
    assert len(ranked) == len(expected)
    rows, expected = ranked[:first], expected[:first]
    assert [(r.team_member, r.hops) for r in rows] == [(m, h) for m, _, h in expected]
    ref = Reference(graph)
    for row, (_, strength, _) in zip(rows, expected, strict=True):
        assert_close(row.strength, strength)
        nodes = [("T" if n.kind is NodeKind.TEAM_MEMBER else "S", n.id) for n in row.path]
        assert nodes[0] == ("T", row.team_member)
        assert nodes[-1] == ("S", target)
        assert len(set(nodes)) == len(nodes) == row.hops + 1
        assert all(arcs.has_edge(a, b) for a, b in zip(nodes, nodes[1:], strict=False))
        assert all(ref.people[n[1]].stance in SUPPORTIVE for n in nodes[1:-1])
        assert_close(math.prod(arcs[a][b]["weight"] for a, b in zip(nodes, nodes[1:], strict=False)), row.strength)


@PROPERTY
@given(account_graphs())
def test_archived_people_count_for_nothing(graph: AccountGraph) -> None:
    """Dropping archived people (and what touches them) from the input changes no result."""
    kept = {p.id for p in graph.people if not p.archived}
    pruned = AccountGraph(
        graph.account_id,
        people=tuple(p for p in graph.people if p.id in kept),
        links=tuple(x for x in graph.links if {x[0], x[1]} <= kept),
        ties=tuple(x for x in graph.ties if {x.a, x.b} <= kept),
        reporting_lines=tuple(x for x in graph.reporting_lines if {x.person, x.manager} <= kept),
        circles=graph.circles,
        memberships=tuple(x for x in graph.memberships if x.person in kept),
        team=graph.team,
        coverage=tuple(x for x in graph.coverage if x.person in kept),
    )
    assert influencers(graph) == influencers(pruned)
    assert neutrals_to_convert(graph) == neutrals_to_convert(pruned)
    assert coach_candidates(graph) == coach_candidates(pruned)
    assert coverage_gaps(graph, as_of=AS_OF) == coverage_gaps(pruned, as_of=AS_OF)
    assert power_map(graph) == power_map(pruned)


@PROPERTY
@given(account_graphs(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_input_order(graph: AccountGraph, rnd: random.Random) -> None:
    def shuffled(items: tuple) -> tuple:  # type: ignore[type-arg]
        return tuple(rnd.sample(items, len(items)))

    reordered = AccountGraph(
        graph.account_id,
        people=shuffled(graph.people),
        links=shuffled(graph.links),
        ties=shuffled(graph.ties),
        reporting_lines=shuffled(graph.reporting_lines),
        circles=shuffled(graph.circles),
        memberships=shuffled(graph.memberships),
        team=shuffled(graph.team),
        coverage=shuffled(graph.coverage),
    )
    assert influencers(graph) == influencers(reordered)
    assert neutrals_to_convert(graph) == neutrals_to_convert(reordered)
    assert opponents_to_neutralize(graph) == opponents_to_neutralize(reordered)
    assert supporter_consolidation(graph) == supporter_consolidation(reordered)
    assert coverage_gaps(graph, as_of=AS_OF) == coverage_gaps(reordered, as_of=AS_OF)
    assert coach_candidates(graph) == coach_candidates(reordered)
    assert power_map(graph) == power_map(reordered)
    for person_id in active_ids(graph):
        assert access_paths(graph, person_id) == access_paths(reordered, person_id)
