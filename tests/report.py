"""Figures a test measured (latencies, counts): printed past pytest's capture, so a run shows them."""

from __future__ import annotations

import sys


def report(line: str) -> None:
    print(f"\n[measured] {line}", file=sys.__stderr__, flush=True)
