"""CPU time of server processes from /proc: utime + stime of a process and all its live descendants
(uvicorn's worker processes, the JVM's threads are counted within their process)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its closing one.
    return text[text.rindex(")") + 2 :].split()


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


def process_tree(roots: Iterable[int]) -> list[int]:
    """The roots and every live descendant."""
    seen: list[int] = []
    pending = list(roots)
    while pending:
        pid = pending.pop()
        if pid not in seen:
            seen.append(pid)
            pending += _children(pid)
    return seen


def cpu_seconds(pids: Iterable[int]) -> float:
    """utime + stime of the processes and their live descendants, in seconds."""
    total = 0
    for pid in process_tree(pids):
        fields = _stat_fields(pid)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat(5): utime, stime
    return total / TICKS


class CpuMeter:
    """CPU seconds spent by `pids` (and descendants) since the meter was made."""

    def __init__(self, pids: Sequence[int]) -> None:
        self.pids = list(pids)
        self.start = cpu_seconds(self.pids)

    def seconds(self) -> float:
        return cpu_seconds(self.pids) - self.start
