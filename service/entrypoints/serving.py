"""What only a serving process does to itself once the app has started."""

from __future__ import annotations

import gc

from service.settings import Settings

THRESHOLDS = (100_000, 100, 100)
"""Allocations between two young collections, young collections between two of the middle generation, and
of those between two full passes (CPython's defaults: 700, 10, 10). Cycles that die young are still
collected every 100,000 allocations; full passes come seldom."""


def settle_heap(settings: Settings) -> None:
    """Take what start-up allocated (modules, the schema, the driver: long-lived, never garbage) out of the
    garbage collector's full passes, and space the collections out (`THRESHOLDS`), so that full passes come
    seldom and walk only what requests hold. A full pass holds the GIL and so stops the event loop: a
    10,000-person analytic in a worker thread set off several, each long enough to delay `/healthz` past
    100 ms. `bench/healthz_bench.py`, slowest check while that analytic runs: 290 ms with CPython's
    defaults and 207 ms frozen (a loaded machine); 177-198 ms frozen with (100,000, 10, 10) and 29-42 ms
    with these (quiet). The serving process only (`powermap serve`): tests and tools leave it alone."""
    if settings.gc_freeze:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*THRESHOLDS)
