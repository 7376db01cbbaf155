"""Figures a test measured (latencies, counts): recorded on the test's report (so they also come back
from xdist workers) and printed in the run's summary. So are the outages that the outage detector logged
during a failed test (or its failed setup): the summary is what a CI log keeps whole.

    def test_x(measured: Measured) -> None:
        measured("p95 12 ms")
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

Measured = Callable[[str], None]


@pytest.fixture
def measured(record_property: Callable[[str, object], None]) -> Measured:
    def note(line: str) -> None:
        record_property("measured", line)

    return note


OUTAGE = "database does not answer"
"""The start of the outage detector's warning (`service.graph.availability`)."""


def _outages(terminalreporter: pytest.TerminalReporter) -> list[str]:
    return [
        f"{report.nodeid.split('::')[-1]}: {line.strip()}"
        for kind in ("failed", "error")  # an error: a fixture failed (the test's setup)
        for report in terminalreporter.stats.get(kind, [])
        for line in getattr(report, "caplog", "").splitlines()
        if OUTAGE in line
    ]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = [
        f"{report.nodeid.split('::')[-1]}: {value}"
        for kind in ("passed", "failed")
        for report in terminalreporter.stats.get(kind, [])
        for name, value in getattr(report, "user_properties", ())
        if name == "measured" and getattr(report, "when", "call") == "call"
    ]
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)
    if outages := _outages(terminalreporter):
        terminalreporter.section("database outages that failed tests logged")
        for line in outages:
            terminalreporter.write_line(line)
