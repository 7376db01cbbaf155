"""The serving process's own set-up: the start-up heap leaves the garbage collector's full passes."""

from __future__ import annotations

import gc

from service.entrypoints.serving import settle_heap
from service.settings import Settings


def test_the_start_up_heap_is_frozen_only_when_asked() -> None:
    gc.unfreeze()
    try:
        settle_heap(Settings(gc_freeze=False))
        assert gc.get_freeze_count() == 0
        settle_heap(Settings(gc_freeze=True))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
