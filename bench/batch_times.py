"""What the bulk-write benchmarks (`sync_bench.py`, `interactions_bench.py`) time per batch, how they time it,
and their report: the table and the verdict on the targets."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

Work = TypeVar("Work")


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


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


async def timed_batches(work: Sequence[Work], write: Callable[[Work], Awaitable[None]]) -> tuple[float, list[Batch]]:
    """Each batch of `work` written in turn: the whole run's seconds and each batch's times."""
    times = []
    began = time.perf_counter()
    for batch in work:
        start, cpu = time.perf_counter(), time.process_time()
        await write(batch)
        times.append(Batch(time.perf_counter() - start, time.process_time() - cpu))
    return time.perf_counter() - began, times


def _api_against(floor: str, load: str, figures: dict[str, list[float]], per_batch: dict[str, list[Batch]]) -> str:
    ratio = statistics.median(figures[f"api {load}"]) / statistics.median(figures[floor])
    typical = p50_wall(per_batch[floor]) / p50_wall(per_batch[f"api {load}"])
    return f"{ratio:.2f} over whole runs, {typical:.2f} batch for batch (p50)"


def verdict(
    unit: str, targets: tuple[int, float], figures: dict[str, list[float]], per_batch: dict[str, list[Batch]]
) -> tuple[list[str], bool]:
    """The targets (`unit`s a second through the API, API/floor), whether the fresh and the replayed loads meet
    them, and the fresh load against the floor with the change log (informative)."""
    target_rate, target_ratio = targets
    lines = [f"targets: API >= {target_rate:,} {unit}/s and API/floor >= {target_ratio:.1f}"]
    met = True
    for load in ("fresh", "replay"):
        api_rate = statistics.median(figures[f"api {load}"])
        ratio = api_rate / statistics.median(figures[f"floor {load}"])
        passed = api_rate >= target_rate and ratio >= target_ratio
        met &= passed
        compared = _api_against(f"floor {load}", load, figures, per_batch)
        lines.append(f"{load:7} API/floor = {compared}  {'met' if passed else 'MISSED'}")
    lines.append(
        f"fresh   API/(floor + log) = {_api_against('floor+log fresh', 'fresh', figures, per_batch)}  (informative)"
    )
    return lines, met
