"""The markdown report: one table per screen, then the ratios the issue's acceptance is judged by."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sidebyside.load import Samples
from sidebyside.screens import (
    ACCOUNT_PAGE,
    ANALYTICS_INPUT,
    COVERAGE_GAPS,
    NEUTRALS_TO_CONVERT,
    STAKEHOLDER_DETAIL,
    STAKEHOLDER_UPDATE,
)

PEER = "peer"
FLOOR = "floor"
FLOOR_LOGGED = "floor + log"
GRAPHQL_FLOOR = "Strawberry + floor"
GRAPHQL_FLOOR_LOGGED = "Strawberry + floor + log"
GRAPHQL_POWERMAP_QUERY = "Strawberry + Powermap's query"
GRAPHQL_BOUNDS = {GRAPHQL_FLOOR: "SET", GRAPHQL_FLOOR_LOGGED: "LOGGED", GRAPHQL_POWERMAP_QUERY: "POWERMAP"}
"""The floor's minimal GraphQL endpoint's writes (its `write` argument by label)."""


def powermap_label(workers: int) -> str:
    return f"Powermap, {workers} worker{'s' if workers > 1 else ''}"


@dataclass(frozen=True)
class Key:
    screen: str
    system: str
    workspace: str
    concurrency: int


Results = dict[Key, Samples]


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if a and b else "n/a"


def cell_rows(results: Results, screen: str, workspace: str, has_database_cpu: bool) -> list[str]:
    header = "| system | concurrency | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | Neo4j CPU ms/req | requests | failed |"
    rows = [header, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    keys = sorted(
        (k for k in results if k.screen == screen and k.workspace == workspace), key=lambda k: (k.concurrency,)
    )
    for key in keys:
        s = results[key]
        database = _ms(s.per_request_ms(s.database_cpu)) if has_database_cpu else "n/a"
        rows.append(
            f"| {key.system} | {key.concurrency} | {s.throughput:,.1f} | {_ms(s.percentile(0.5))} | "
            f"{_ms(s.percentile(0.95))} | {_ms(s.percentile(0.99))} | {_ms(s.per_request_ms(s.server_cpu))} | "
            f"{database} | {s.requests:,} | {s.failures} |"
        )
    return rows


def _get(results: Results, screen: str, system: str, workspace: str, concurrency: int) -> Samples | None:
    """The cell's samples for a ratio; None (the ratio reads n/a) when any of its requests failed: a cell
    whose requests were refused measures the refusals."""
    found = results.get(Key(screen, system, workspace, concurrency))
    return None if found is None or found.failures else found


def ratio_rows(
    results: Results, workers: Sequence[int], concurrency: Sequence[int], accounts: dict[str, int]
) -> list[str]:
    """The issue's acceptance figures, for each worker count, at each concurrency."""
    low, high = min(concurrency), max(concurrency)
    columns = [f"c={c}" for c in concurrency]
    rows = [f"| ratio | {' | '.join(columns)} | target |", "|---|" + "--:|" * len(columns) + "---|"]

    def line(title: str, values: list[str], target: str) -> None:
        rows.append(f"| {title} | {' | '.join(values)} | {target} |")

    def throughput(screen: str, system: str, ws: str, c: int) -> float:
        s = _get(results, screen, system, ws, c)
        return s.throughput if s else 0.0

    def p50(screen: str, system: str, ws: str, c: int) -> float:
        s = _get(results, screen, system, ws, c)
        return s.percentile(0.5) if s else 0.0

    def cpu(screen: str, system: str, ws: str, c: int) -> float:
        s = _get(results, screen, system, ws, c)
        return s.per_request_ms(s.server_cpu) if s else 0.0

    def throughput_ratios(screen: str, system: str, other: str) -> list[str]:
        """`system`'s requests/s over `other`'s on `screen` in workspace "a", at each concurrency."""
        return [_ratio(throughput(screen, system, "a", c), throughput(screen, other, "a", c)) for c in concurrency]

    for w in workers:
        pm = powermap_label(w)
        line(f"{pm} / peer req/s, account page", throughput_ratios(ACCOUNT_PAGE, pm, PEER), ">= 1")
        line(
            f"{pm} p50 / floor p50, account page",
            [_ratio(p50(ACCOUNT_PAGE, pm, "a", c), p50(ACCOUNT_PAGE, FLOOR, "a", c)) for c in concurrency],
            "<= 3",
        )
        line(f"{pm} / peer req/s, stakeholder detail", throughput_ratios(STAKEHOLDER_DETAIL, pm, PEER), ">= 1")
        line(
            f"{pm} / (floor + log) req/s, stakeholderUpdate",
            throughput_ratios(STAKEHOLDER_UPDATE, pm, FLOOR_LOGGED),
            f">= 0.5 at c={low}",
        )
        line(
            f"{pm} / floor req/s, stakeholderUpdate",
            throughput_ratios(STAKEHOLDER_UPDATE, pm, FLOOR),
            "(context: a SET alone)",
        )
        line(
            f"{pm} account page CPU/request, c={high} / c={low}",
            [_ratio(cpu(ACCOUNT_PAGE, pm, "a", high), cpu(ACCOUNT_PAGE, pm, "a", low))] + [""] * (len(columns) - 1),
            "<= 1.2",
        )
    for bound in GRAPHQL_BOUNDS:
        line(
            f"{bound} / floor req/s, stakeholderUpdate",
            throughput_ratios(STAKEHOLDER_UPDATE, bound, FLOOR),
            "(context)",
        )
    pm = powermap_label(min(workers))
    scale = f"{accounts['b']:,} accounts / {accounts['one']:,} account{'s' if accounts['one'] > 1 else ''}"
    line(
        f"{pm} account page CPU/request, {scale}",
        [_ratio(cpu(ACCOUNT_PAGE, pm, "b", c), cpu(ACCOUNT_PAGE, pm, "one", c)) for c in concurrency],
        "<= 1.2",
    )
    line(
        f"{pm} account page p50, {scale}",
        [_ratio(p50(ACCOUNT_PAGE, pm, "b", c), p50(ACCOUNT_PAGE, pm, "one", c)) for c in concurrency],
        "(context)",
    )
    line(
        f"floor account page p50, {scale}",
        [_ratio(p50(ACCOUNT_PAGE, FLOOR, "b", c), p50(ACCOUNT_PAGE, FLOOR, "one", c)) for c in concurrency],
        "(context)",
    )
    return rows


SECTIONS = (
    (ACCOUNT_PAGE, "a", "Account page (workspace of {a:,} accounts)"),
    (ACCOUNT_PAGE, "one", "Account page, workspace of {one:,} account"),
    (ACCOUNT_PAGE, "b", "Account page, workspace of {b:,} accounts"),
    (STAKEHOLDER_DETAIL, "a", "Stakeholder detail"),
    (COVERAGE_GAPS, "a", "Analytics: coverageGaps"),
    (NEUTRALS_TO_CONVERT, "a", "Analytics: neutralsToConvert"),
    (ANALYTICS_INPUT, "a", "The analytics' input in one Cypher round trip (floor only; no computation)"),
    (STAKEHOLDER_UPDATE, "a", "Small write: stakeholderUpdate (notes)"),
)


def render(
    header: list[str],
    results: Results,
    workers: Sequence[int],
    concurrency: Sequence[int],
    has_database_cpu: bool,
    notes: list[str],
    accounts: dict[str, int],
) -> str:
    """`accounts`: how many accounts each workspace role ("one", "a", "b") holds."""
    lines = ["# Side by side: Powermap, `@neo4j/graphql` on graphql-yoga, and the raw-Cypher floor", "", *header]
    lines += ["", "## Ratios (issue 14's acceptance)", "", *ratio_rows(results, workers, concurrency, accounts)]
    for screen, workspace, title in SECTIONS:
        if any(k.screen == screen and k.workspace == workspace for k in results):
            heading = title.format(**accounts)
            lines += ["", f"## {heading}", "", *cell_rows(results, screen, workspace, has_database_cpu)]
    failures = [(k, s) for k, s in results.items() if s.failures]
    if failures:
        lines += ["", "## Failed requests", ""]
        lines += [
            f"- {k.screen} / {k.system} / c={k.concurrency}: {s.failures}, first: {s.first_failure}"
            for k, s in failures
        ]
    lines += ["", "## Notes", "", *(f"- {note}" for note in notes), ""]
    return "\n".join(lines)
