"""What the bulk-write benchmarks (`sync_bench.py`, `interactions_bench.py`) time per batch, and their table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Batch:
    wall: float
    cpu: float
    """CPU seconds of this process: the app, its driver and the client, not Neo4j's. The rest of `wall` is
    mostly the time spent waiting for Neo4j."""


def p50_wall(batches: list[Batch]) -> float:
    return statistics.median(batch.wall for batch in batches)


def table(unit: str, figures: dict[str, list[float]], per_batch: dict[str, list[Batch]]) -> list[str]:
    """One line a measure: its rate (median of rounds), its batches' p50 and max wall time and p50 CPU time."""
    lines = [f"{'':16}{unit + '/s':>16}{'p50 batch ms':>14}{'max batch ms':>14}{'p50 CPU ms':>12}"]
    for key, rates in figures.items():
        batches = per_batch[key]
        wall = 1000 * p50_wall(batches)
        longest = 1000 * max(batch.wall for batch in batches)
        cpu = 1000 * statistics.median(batch.cpu for batch in batches)
        lines.append(f"{key:16}{statistics.median(rates):>16,.0f}{wall:>14.0f}{longest:>14.0f}{cpu:>12.0f}")
    return lines
