"""The igraph adapter against networkx's `betweenness_centrality(normalized=True)` (rule 16), on random
undirected graphs larger and denser than the account graphs of the broker properties: many equal
shortest paths, several components, isolated nodes."""

from __future__ import annotations

import math

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from service.rules.analytics.centrality import normalised_betweenness

from .test_properties import PROPERTY


@st.composite
def simple_graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    nodes = draw(st.integers(0, 40))
    if nodes < 2:
        return nodes, []
    pairs = st.tuples(st.integers(0, nodes - 1), st.integers(0, nodes - 1))
    drawn = draw(st.lists(pairs, max_size=nodes * 3))
    return nodes, sorted({(min(a, b), max(a, b)) for a, b in drawn if a != b})


@PROPERTY
@given(simple_graphs())
def test_normalised_betweenness_matches_networkx(graph: tuple[int, list[tuple[int, int]]]) -> None:
    nodes, edges = graph
    reference = nx.Graph()
    reference.add_nodes_from(range(nodes))
    reference.add_edges_from(edges)
    expected = nx.betweenness_centrality(reference, normalized=True)
    found = normalised_betweenness(nodes, edges)
    assert len(found) == nodes
    for node, value in enumerate(found):
        assert math.isclose(value, expected[node], abs_tol=1e-12), (node, value, expected[node])


def test_worked_examples() -> None:
    """A path a-b-c: b lies on the one a-c path, 2 ordered pairs / (2 x 1) = 1. A star of 4 around 0: the
    centre lies on all 3 x 2 ordered leaf pairs, / (3 x 2) = 1. A 4-cycle: each node carries half of the
    two shortest paths between its neighbours, 2 x 0.5 / (3 x 2) = 1/6."""
    assert normalised_betweenness(3, [(0, 1), (1, 2)]) == [0.0, 1.0, 0.0]
    assert normalised_betweenness(4, [(0, 1), (0, 2), (0, 3)]) == [1.0, 0.0, 0.0, 0.0]
    assert [round(v, 12) for v in normalised_betweenness(4, [(0, 1), (1, 2), (2, 3), (0, 3)])] == [round(1 / 6, 12)] * 4
    assert normalised_betweenness(2, [(0, 1)]) == [0.0, 0.0]
    assert normalised_betweenness(0, []) == []
