"""Refusing a write: raised inside a unit of work so that the transaction rolls back and nothing is written."""

from __future__ import annotations

from collections.abc import Sequence

from service.rules.validation import Problem


class Rejected(Exception):
    """The input has problems; the caller reports them as user errors."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


def reject_if(problems: Sequence[Problem]) -> None:
    if problems:
        raise Rejected(problems)
