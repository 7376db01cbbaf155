"""The service's log handler writes to the stderr of the moment: a command run in-process by a test
runner, which closes each test's captured stderr, must not leave later lines pointed at a closed file."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from service.observability.logs import configure_logging


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("root_logging")
def test_lines_follow_a_replaced_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    first, later = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stderr", first)
    configure_logging("INFO", "text")
    first.close()
    monkeypatch.setattr("sys.stderr", later)
    logging.getLogger("powermap.test").warning("after the first stderr closed")
    assert later.getvalue().splitlines()[-1].endswith("WARNING  powermap.test: after the first stderr closed")
