"""Brokers benchmark (rule 16): betweenness by igraph against networkx, the tests' reference.

On the in-memory accounts of `bench/rules_bench.py` (10 links and 2 ties per person; `--org-chart` adds a
reporting line for everyone but one), prints the median CPU time of `brokers` from a fresh snapshot
(active view built; betweenness, ranking, the first 20 rows), of the betweenness alone, and of
networkx's `betweenness_centrality` on the same network with the ratio; and the largest difference
between the two. networkx is timed once per size (it takes minutes at 5,000 people): `--no-networkx`
skips it.

    .venv/bin/python bench/brokers_bench.py                    # 1,000 and 5,000 people
    .venv/bin/python bench/brokers_bench.py --sizes 1000 --runs 5 --org-chart
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rules_bench import build_account, with_org_chart

from service.rules.account_graph import AccountGraph
from service.rules.analytics import betweenness, brokers
from service.rules.analytics.active_view import active_view
from service.rules.analytics.brokers import broker_network


def cpu_ms(call: Callable[[], object]) -> float:
    began = time.process_time()
    call()
    return (time.process_time() - began) * 1000


def fresh(graph: AccountGraph) -> AccountGraph:
    copy = replace(graph)
    active_view(copy)
    return copy


def main(sizes: list[int], runs: int, org_chart: bool, with_networkx: bool) -> None:
    for people in sizes:
        graph = build_account(people)
        if org_chart:
            graph = with_org_chart(graph)
        network = broker_network(active_view(graph))
        edges = sum(len(n) for n in network.values()) // 2
        print(f"\n{people:,} stakeholders, {edges:,} undirected edges (CPU, median of {runs} runs)")
        copies = [fresh(graph) for _ in range(runs)]
        full = statistics.median(cpu_ms(lambda g=g: brokers(g)[:20]) for g in copies)  # type: ignore[misc]
        copies = [fresh(graph) for _ in range(runs)]
        alone = statistics.median(cpu_ms(lambda g=g: betweenness(g)) for g in copies)  # type: ignore[misc]
        print(f"  brokers (first 20 rows)   {full:10.1f} ms")
        print(f"  betweenness (igraph)      {alone:10.1f} ms")
        if with_networkx:
            reference = nx.Graph()
            reference.add_nodes_from(network)
            reference.add_edges_from((a, b) for a, others in network.items() for b in others)
            expected: dict[str, float] = {}

            def reference_run(found: dict[str, float] = expected, network: nx.Graph = reference) -> None:
                found.update(nx.betweenness_centrality(network, normalized=True))

            took = cpu_ms(reference_run)
            found = betweenness(graph)
            worst = max(abs(found[p] - expected[p]) for p in expected)
            print(f"  networkx (1 run)          {took:10.1f} ms   igraph is {took / alone:,.0f}x faster")
            print(f"  largest |igraph - networkx| {worst:.1e}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--org-chart", action="store_true", help="add a reporting line for everyone but one")
    parser.add_argument("--no-networkx", action="store_true", help="skip the networkx reference")
    args = parser.parse_args()
    main(args.sizes, args.runs, args.org_chart, not args.no_networkx)
