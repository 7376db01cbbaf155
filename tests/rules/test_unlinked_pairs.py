"""Unlinked supporter pairs and `Ranked` against brute force: every pair listed, sorted, then cut."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.rules.account_graph import Person
from service.rules.analytics import Ranked
from service.rules.analytics.unlinked_pairs import unlinked_pairs
from service.rules.enums import Stance

from .reference import pair_order

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def supporters_and_bonds(draw: st.DrawFn) -> tuple[list[Person], dict[str, set[str]]]:
    """Few names and influences, so that sums, names and whole pairs of names tie often."""
    count = draw(st.integers(0, 14))
    people = [
        Person(
            id=f"p{index:02d}",
            name=draw(st.sampled_from(["甲", "乙", "A", "B"])),
            stance=Stance.SUPPORTER,
            influence=draw(st.sampled_from([None, 1, 2, 3, 5])),
        )
        for index in draw(st.permutations(range(count)))
    ]
    pairs = list(combinations([p.id for p in people], 2))
    bonds: dict[str, set[str]] = {}
    for a, b in draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []:
        bonds.setdefault(a, set()).add(b)
        bonds.setdefault(b, set()).add(a)
    return sorted(people, key=lambda p: (p.name, p.id)), bonds


def brute_force(people: list[Person], bonds: dict[str, set[str]]) -> list[tuple[str, str]]:
    unbonded = [(a.id, b.id) for a, b in combinations(people, 2) if b.id not in bonds.get(a.id, set())]
    return pair_order(unbonded, {p.id: p for p in people})


@PROPERTY
@given(supporters_and_bonds(), st.integers(0, 100), st.integers(0, 100))
def test_pairs_are_the_brute_force_order_cut_anywhere(
    drawn: tuple[list[Person], dict[str, set[str]]], start: int, stop: int
) -> None:
    people, bonds = drawn
    expected = brute_force(people, bonds)
    assert len(unlinked_pairs(people, bonds)) == len(expected)
    assert unlinked_pairs(people, bonds)[start:stop] == expected[start:stop]
    ranked = unlinked_pairs(people, bonds)
    assert ranked[:stop] == expected[:stop]  # a longer read after a shorter one extends what was built
    assert ranked[:start] == expected[:start]
    assert list(ranked) == expected


@PROPERTY
@given(supporters_and_bonds(), st.data())
def test_single_rows_read_in_any_order(drawn: tuple[list[Person], dict[str, set[str]]], data: st.DataObject) -> None:
    people, bonds = drawn
    expected = brute_force(people, bonds)
    ranked = unlinked_pairs(people, bonds)
    if not expected:
        with pytest.raises(IndexError):
            ranked[0]
        return
    for index in data.draw(st.lists(st.integers(-len(expected), len(expected) - 1), max_size=6)):
        assert ranked[index] == expected[index]


def test_a_ranked_list_builds_only_the_rows_read() -> None:
    built: list[tuple[int, int]] = []

    def build(start: int, stop: int) -> list[int]:
        built.append((start, stop))
        return list(range(start, stop))

    ranked = Ranked(1_000_000, build)
    assert len(ranked) == 1_000_000
    assert ranked[:3] == [0, 1, 2]
    assert ranked[:2] == [0, 1]
    assert ranked[4] == 4
    assert ranked[2:6] == [2, 3, 4, 5]
    assert built == [(0, 3), (3, 5), (5, 6)]
    with pytest.raises(IndexError):
        ranked[1_000_000]


def test_ranked_lists_compare_by_their_rows() -> None:
    assert Ranked.of([1, 2], str) == Ranked.of(["1", "2"], str)
    assert Ranked.of([1, 2], str) != Ranked.of([2, 1], str)
    assert Ranked.of([], str) != []  # a Ranked equals only another Ranked


@given(
    st.integers(0, 12),
    st.integers(-15, 15) | st.none(),
    st.integers(-15, 15) | st.none(),
    st.sampled_from([1, 2, -1, -3]),
)
def test_a_ranked_list_slices_like_a_list(length: int, start: int | None, stop: int | None, step: int) -> None:
    items = list(range(length))
    assert Ranked.of(items, str)[start:stop:step] == [str(i) for i in items[start:stop:step]]
    ranked = Ranked.of(items, str)
    ranked[: length // 2]
    assert ranked[start:stop:step] == [str(i) for i in items[start:stop:step]]
