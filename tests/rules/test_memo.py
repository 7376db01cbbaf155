"""Answers kept with their snapshot: the same as computed afresh, whatever was asked before."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.rules.account_graph import AccountGraph
from service.rules.analytics import (
    AnalyticsInputError,
    access_paths,
    brokers,
    coach_candidates,
    contact_due_dates,
    coverage_gaps,
    influencers,
    leverage,
    neutrals_to_convert,
    opponents_to_neutralize,
    overdue_contacts,
    power_map,
    simulate,
    simulate_after,
    support_score,
    supporter_consolidation,
)
from service.rules.analytics.active_view import active_view
from service.rules.analytics.memo import ANSWERS_PER_SNAPSHOT, forget_kept, per_snapshot
from service.rules.enums import Stance

from .strategies import AS_OF, account_graphs

Question = Callable[[AccountGraph], Any]


def questions(graph: AccountGraph) -> st.SearchStrategy[Question]:
    """Every analytic with arguments drawn for `graph`, invalid ones included."""
    people = [p.id for p in graph.people] or ["nobody"]
    hops = st.integers(0, 7)
    first = st.none() | st.integers(0, 4)
    """None reads the whole answer; a number, its first rows."""
    person = st.sampled_from([*people, "nobody"])
    day = st.sampled_from([AS_OF, AS_OF + timedelta(days=45), AS_OF - timedelta(days=400)])
    stance = st.sampled_from(list(Stance))
    return st.one_of(
        st.builds(
            lambda of, h, s, f: lambda g: read(influencers(g, of, h, s), f),
            st.none() | person,
            hops,
            st.sampled_from((0.0, 0.4)),
            first,
        ),
        st.builds(lambda h, f: lambda g: read(neutrals_to_convert(g, h), f), hops, first),
        st.builds(lambda h, f: lambda g: read(opponents_to_neutralize(g, h), f), hops, first),
        st.builds(lambda h, f: lambda g: read(supporter_consolidation(g, h).unlinked_pairs, f), hops, first),
        st.builds(lambda h: lambda g: supporter_consolidation(g, h), hops),
        st.builds(lambda d, a: lambda g: coverage_gaps(g, d, a), st.sampled_from((-1, 0, 30, 60)), day),
        st.builds(lambda f: lambda g: read(coach_candidates(g), f), first),
        st.just(power_map),
        st.just(support_score),
        st.builds(lambda h: lambda g: leverage(g, h), hops),
        st.builds(lambda to, h, f: lambda g: read(access_paths(g, to, h), f), person, hops, first),
        st.builds(lambda changes: lambda g: simulate(g, changes), st.lists(st.tuples(person, stance), max_size=2)),
        st.builds(lambda f: lambda g: read(brokers(g), f), first),
        st.builds(lambda a, f: lambda g: read(overdue_contacts(g, a), f), day, first),
        st.just(contact_due_dates),
        st.builds(
            lambda changes, a: lambda g: simulate_after(g, changes, as_of=a),
            st.lists(st.tuples(person, stance), max_size=2),
            day,
        ),
    )


def read(answer: Sequence[Any], first: int | None) -> Any:
    return list(answer) if first is None else answer[:first]


def answer(question: Question, graph: AccountGraph) -> Any:
    try:
        return question(graph)
    except AnalyticsInputError as error:
        return error.field, error.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_answers_asked_in_any_order_equal_fresh_ones(data: st.DataObject) -> None:
    graph = data.draw(account_graphs())
    asked = data.draw(st.lists(questions(graph), min_size=1, max_size=12))
    for question in asked + asked:
        assert answer(question, graph) == answer(question, replace(graph))  # `replace`: a new, empty memo


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_forgetting_what_a_snapshot_keeps_changes_no_answer(data: st.DataObject) -> None:
    """A snapshot dropped by the cache may still be in use: after `forget_kept` it answers as before."""
    graph = data.draw(account_graphs())
    asked = data.draw(st.lists(questions(graph), min_size=1, max_size=8))
    forget_after = data.draw(st.sets(st.integers(0, len(asked) - 1)))
    for number, question in enumerate(asked):
        assert answer(question, graph) == answer(question, replace(graph))
        if number in forget_after:
            view = active_view(graph)
            view.influences_out  # noqa: B018 (built, to be forgotten)
            forget_kept(graph)
            assert graph.memo == {}
            assert (view.memo, "influences_out" in vars(view)) == ({}, False)


def test_the_same_arguments_are_computed_once() -> None:
    calls: list[int] = []

    @per_snapshot
    def counted(graph: AccountGraph, n: int) -> list[int]:
        calls.append(n)
        return [n]

    graph = AccountGraph(account_id="a")
    assert counted(graph, 1) == counted(graph, 1) == [1]
    assert counted(graph, 2) == [2]
    assert counted(replace(graph), 1) == [1]
    assert calls == [1, 2, 1]


def test_a_list_answer_is_a_copy_for_each_caller() -> None:
    @per_snapshot
    def listed(graph: AccountGraph) -> list[int]:
        return [1]

    graph = AccountGraph(account_id="a")
    listed(graph).append(2)
    assert listed(graph) == [1]


def test_errors_are_not_kept() -> None:
    calls: list[int] = []

    @per_snapshot
    def failing(graph: AccountGraph, n: int) -> int:
        calls.append(n)
        raise AnalyticsInputError("n", "no")

    graph = AccountGraph(account_id="a")
    for _ in range(2):
        with pytest.raises(AnalyticsInputError):
            failing(graph, 1)
    assert calls == [1, 1]


def test_unhashable_arguments_are_answered_afresh() -> None:
    calls: list[object] = []

    @per_snapshot
    def echo(graph: AccountGraph, value: object) -> object:
        calls.append(value)
        return value

    graph = AccountGraph(account_id="a")
    assert echo(graph, [1]) == echo(graph, [1]) == [1]
    assert calls == [[1], [1]]


def test_the_least_recently_asked_answer_goes_first() -> None:
    calls: list[int] = []

    @per_snapshot
    def counted(graph: AccountGraph, n: int) -> int:
        calls.append(n)
        return n

    graph = AccountGraph(account_id="a")
    for n in range(ANSWERS_PER_SNAPSHOT):
        counted(graph, n)
    counted(graph, 0)  # now the most recently asked
    counted(graph, ANSWERS_PER_SNAPSHOT)  # evicts 1
    calls.clear()
    counted(graph, 0)
    counted(graph, 1)
    assert calls == [1]
