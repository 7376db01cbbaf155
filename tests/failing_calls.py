"""Calls of the command-line jobs that fail first: what the database did not confirm is sent again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import service.schema.operations as operations
from service.schema.operations import OperationError

Execute = Callable[..., Awaitable[dict[str, Any]]]


def without_waits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No wait between tries; the list `failing` notes each call in."""
    monkeypatch.setattr(operations, "RETRY_WAIT_SECONDS", 0.0)
    return []


def failing(calls: list[str], execute: Execute, failures: list[tuple[str, str]]) -> Execute:
    """`execute`, but the first calls fail as `failures` say: ("after", code) runs the call first (it commits,
    its answer is lost), ("before", code) fails without running it."""

    async def run(*args: Any, **kwargs: Any) -> dict[str, Any]:
        if len(calls) < len(failures):
            when, code = failures[len(calls)]
            calls.append(f"{when} {code}")
            if when == "after":
                await execute(*args, **kwargs)
            raise OperationError("The database is not answering.", frozenset({code}))
        calls.append("ok")
        return await execute(*args, **kwargs)

    return run
