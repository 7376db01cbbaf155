"""Rules 13 to 17 (DOMAIN.md "Analytics v2") against brute-force references on small random graphs.

Rule 13 (reporting lines as warm paths) is also checked by `test_access_paths_match_brute_force` and
`test_coach_candidates_match_brute_force` in test_properties.py, whose reference follows it.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import timedelta

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from service.rules.account_graph import AccountGraph
from service.rules.analytics import (
    NodeKind,
    betweenness,
    brokers,
    changed_snapshot,
    coach_candidates,
    contact_due_dates,
    coverage_gaps,
    neutrals_to_convert,
    overdue_contacts,
    power_map,
    simulate,
    simulate_after,
)
from service.rules.analytics.active_view import active_view
from service.rules.analytics.single_points import single_points
from service.rules.enums import GapKind, Stance
from service.rules.models import Stakeholder

from .reference import SUPPORTIVE, TOL, Reference, r9
from .strategies import AS_OF, EPOCH, account_graphs
from .test_properties import PROPERTY, active_ids, assert_close

ROUTE_HOPS = st.integers(1, 5)
ROUTE_GRAPHS = account_graphs(max_people=9) | account_graphs(max_people=10, warm=True)


# --- rule 15 -----------------------------------------------------------------------------------
@PROPERTY
@given(ROUTE_GRAPHS, ROUTE_HOPS)
def test_single_points_match_enumerating_every_route(graph: AccountGraph, hops: int) -> None:
    """For every stakeholder (key or not), at any hop bound: the same single point as enumerating routes."""
    ref = Reference(graph)
    view = active_view(graph)
    found = single_points(view, list(view.people), hops)
    for person_id in view.people:
        expected = ref.single_point(person_id, hops)
        point = found.get(person_id)
        if expected is None:
            assert point is None, person_id
            continue
        assert point is not None, person_id
        named, member, passed = expected
        assert (point.point.kind.value, point.point.id) == named
        assert (point.team_member, point.stakeholders) == (member, passed)
        _assert_is_route(ref, point.route, person_id, hops)


def _assert_is_route(ref: Reference, route: tuple, target: str, hops: int) -> None:  # type: ignore[type-arg]
    nodes = [("T" if n.kind is NodeKind.TEAM_MEMBER else "S", n.id) for n in route]
    assert nodes[0][0] == "T"
    assert nodes[-1] == ("S", target)
    assert len(set(nodes)) == len(nodes) <= hops + 1
    assert all(ref.warm.has_edge(a, b) for a, b in zip(nodes, nodes[1:], strict=False))
    # fewest hops
    assert len(nodes) - 1 == min(len(r) - 1 for r in ref.routes(target, hops))


@PROPERTY
@given(ROUTE_GRAPHS)
def test_single_point_gaps_name_the_one_node_every_route_needs(graph: AccountGraph) -> None:
    ref = Reference(graph)
    gaps = [g for g in coverage_gaps(graph, as_of=AS_OF) if g.kind is GapKind.SINGLE_POINT_OF_FAILURE]
    expected = {p: ref.single_point(p) for p in ref.people if ref.is_key(p)}
    assert {g.stakeholder for g in gaps} == {p for p, found in expected.items() if found is not None}
    leverage = ref.leverage(3)
    for gap in gaps:
        assert gap.stakeholder is not None
        found = expected[gap.stakeholder]
        assert found is not None
        assert gap.single_point is not None
        assert (gap.single_point.kind.value, gap.single_point.id) == found[0]
        assert_close(gap.severity, max(leverage[gap.stakeholder], 0.1))
        assert gap.subject_name == ref.people[gap.stakeholder].name
        assert gap.reason
        assert gap.suggestion


# --- rule 16 -----------------------------------------------------------------------------------
@PROPERTY
@given(account_graphs(max_people=10, max_links=20), st.integers(0, 12))
def test_brokers_match_networkx(graph: AccountGraph, first: int) -> None:
    ref = Reference(graph)
    expected = ref.brokers()
    values = betweenness(graph)
    reference_values = nx.betweenness_centrality(ref.network, normalized=True)
    assert values.keys() == reference_values.keys()
    for person_id, value in reference_values.items():
        assert math.isclose(values[person_id], value, abs_tol=TOL), (person_id, values[person_id], value)
    ranked = brokers(graph)
    assert len(ranked) == len(expected)
    rows = ranked[:first]
    assert [r.stakeholder for r in rows] == [p for p, _ in expected[:first]]
    for row, (_, value) in zip(rows, expected, strict=False):
        assert_close(row.betweenness, value)
        assert row.covered == (row.stakeholder in ref.covered)
        assert ("a broker we do not reach" in row.reason) == (not row.covered)


# --- rule 14 -----------------------------------------------------------------------------------
AS_OF_DAYS = st.integers(0, 200)


@PROPERTY
@given(account_graphs(), AS_OF_DAYS, st.integers(0, 10))
def test_overdue_contacts_match_brute_force(graph: AccountGraph, days: int, first: int) -> None:
    as_of = EPOCH + timedelta(days=days, hours=7)
    ranked = overdue_contacts(graph, as_of=as_of)
    assert len(ranked) == len(Reference(graph).overdue(as_of))
    rows = ranked[:first]
    expected = Reference(graph).overdue(as_of)[:first]
    assert [(r.stakeholder, r.due_interval_days, r.days_overdue) for r in rows] == expected
    people = {p.id: p for p in graph.people}
    for row in rows:
        assert row.last_contact_at == people[row.stakeholder].last_contact_at
        assert row.reason.startswith(people[row.stakeholder].name)


@PROPERTY
@given(account_graphs())
def test_due_dates_are_the_last_contact_plus_the_interval(graph: AccountGraph) -> None:
    ref = Reference(graph)
    due = contact_due_dates(graph)
    assert due.keys() == ref.people.keys()
    for person_id, row in due.items():
        interval, last = ref.due_interval(person_id), ref.people[person_id].last_contact_at
        assert (row.due_interval_days, row.last_contact_at) == (interval, last)
        assert row.due_at == (None if interval is None or last is None else last + timedelta(days=interval))


# --- rule 17 -----------------------------------------------------------------------------------
@PROPERTY
@given(account_graphs(), st.data())
def test_simulate_after_matches_the_analytics_of_the_changed_graph(graph: AccountGraph, data: st.DataObject) -> None:
    ids = active_ids(graph)
    changes = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(list(Stance)))) if ids else {}
    before = (list(coverage_gaps(graph, as_of=AS_OF)), list(neutrals_to_convert(graph)), power_map(graph))
    result = simulate_after(graph, changes, as_of=AS_OF)
    changed = replace(graph, people=tuple(replace(p, stance=changes.get(p.id, p.stance)) for p in graph.people))
    assert result.counts == simulate(graph, changes)
    assert result.graph == changed
    assert list(result.coverage_gaps) == list(coverage_gaps(changed, as_of=AS_OF))
    assert list(result.neutrals_to_convert) == list(neutrals_to_convert(changed))
    assert result.power_map == power_map(changed)
    ref = Reference(changed)
    gaps = [(g.kind, g.stakeholder or g.role or g.buyer_type or g.circle, r9(g.severity)) for g in result.coverage_gaps]
    assert gaps == ref.gaps(60, AS_OF)
    assert [r.stakeholder for r in result.neutrals_to_convert] == [
        row[0] for row in ref.conversions(3, {Stance.NEUTRAL}, SUPPORTIVE, use_team=True)
    ]
    # nothing written: the snapshot asked first still answers as before
    assert (list(coverage_gaps(graph, as_of=AS_OF)), list(neutrals_to_convert(graph)), power_map(graph)) == before


@PROPERTY
@given(account_graphs(), st.data())
def test_the_changed_snapshot_shows_the_new_stances_in_its_records(graph: AccountGraph, data: st.DataObject) -> None:
    records = {p.id: Stakeholder(p.id, "acc", p.name, stance=p.stance) for p in graph.people}
    graph = replace(graph, records=records)
    ids = active_ids(graph)
    changes = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(list(Stance)))) if ids else {}
    after = changed_snapshot(graph, changes)
    assert {p: r.stance for p, r in after.records.items()} == {p.id: p.stance for p in after.people}
    assert {p: r.stance for p, r in graph.records.items()} == {p.id: p.stance for p in graph.people}


# --- every new answer: archived people and input order change nothing ------------------------
@PROPERTY
@given(account_graphs(), st.randoms(use_true_random=False))
def test_new_answers_do_not_depend_on_input_order_or_archived_people(graph: AccountGraph, rnd: random.Random) -> None:
    def shuffled(items: tuple) -> tuple:  # type: ignore[type-arg]
        return tuple(rnd.sample(items, len(items)))

    kept = {p.id for p in graph.people if not p.archived}
    variants = [
        replace(
            graph,
            people=shuffled(graph.people),
            links=shuffled(graph.links),
            ties=shuffled(graph.ties),
            reporting_lines=shuffled(graph.reporting_lines),
            team=shuffled(graph.team),
            coverage=shuffled(graph.coverage),
        ),
        replace(
            graph,
            people=tuple(p for p in graph.people if p.id in kept),
            links=tuple(x for x in graph.links if {x[0], x[1]} <= kept),
            ties=tuple(x for x in graph.ties if {x.a, x.b} <= kept),
            reporting_lines=tuple(x for x in graph.reporting_lines if {x.person, x.manager} <= kept),
            memberships=tuple(x for x in graph.memberships if x.person in kept),
            coverage=tuple(x for x in graph.coverage if x.person in kept),
        ),
    ]
    for other in variants:
        assert list(brokers(graph)) == list(brokers(other))
        assert list(overdue_contacts(graph, as_of=AS_OF)) == list(overdue_contacts(other, as_of=AS_OF))
        assert contact_due_dates(graph) == contact_due_dates(other)
        assert list(coverage_gaps(graph, as_of=AS_OF)) == list(coverage_gaps(other, as_of=AS_OF))
        assert list(coach_candidates(graph)) == list(coach_candidates(other))
