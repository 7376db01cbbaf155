"""What only a serving process does to itself once the app has started."""

from __future__ import annotations

import gc

from service.settings import Settings

YOUNG_THRESHOLD = 100_000
"""Allocations between two young collections (CPython's default: 700)."""


def settle_heap(settings: Settings) -> None:
    """Take what start-up allocated (modules, the schema, the driver: long-lived, never garbage) out of the
    garbage collector's full passes, and collect the young generation every `YOUNG_THRESHOLD` allocations,
    so that full passes come rarely and walk only what requests hold. A full pass holds the GIL and so stops
    the event loop: a 10,000-person analytic in a worker thread set off several, each long enough to delay
    `/healthz` past 100 ms (`bench/healthz_bench.py`, same loaded machine, slowest check: 290 ms as CPython
    comes, 207 ms frozen, 119 ms frozen with this threshold). The serving process only (`powermap serve`):
    tests and tools leave the collector alone."""
    if settings.gc_freeze:
        gc.collect()
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, 10, 10)
