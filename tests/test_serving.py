"""The serving process's own set-up: the start-up heap leaves the garbage collector's full passes."""

from __future__ import annotations

import gc

from service.entrypoints.serving import YOUNG_THRESHOLD, settle_heap
from service.settings import Settings


def test_the_start_up_heap_is_frozen_only_when_asked() -> None:
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        settle_heap(Settings(gc_freeze=False))
        assert (gc.get_freeze_count(), gc.get_threshold()) == (0, thresholds)
        settle_heap(Settings(gc_freeze=True))
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
