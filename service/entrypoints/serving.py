"""What only a serving process does to itself once the app has started."""

from __future__ import annotations

import gc

from service.settings import Settings


def settle_heap(settings: Settings) -> None:
    """Take what start-up allocated (modules, the schema, the driver: long-lived, never garbage) out of the
    garbage collector's full passes, so that a full pass walks only what requests hold. A pass holds the GIL
    and so stops the event loop: with a 10,000-person analytic in a worker thread setting off several, the
    start-up heap made each one long enough to delay `/healthz` past 100 ms (`bench/healthz_bench.py`
    measures it). The serving process only (`powermap serve`): tests and tools leave the collector alone."""
    if settings.gc_freeze:
        gc.collect()
        gc.freeze()
