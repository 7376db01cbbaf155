"""Answers kept with the snapshot they were computed from.

A snapshot never changes, so neither does an analytic's answer to the same arguments. Strategists
ask the same few questions of an account many times between two writes (several people, a dashboard
that refreshes, all analytics of one request sharing a leverage search), and a kept answer costs a
lookup. The caller's snapshot cache decides how long a snapshot, and with it its answers, lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from service.rules.account_graph import AccountGraph

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

ANSWERS_PER_SNAPSHOT = 64
"""Arguments are open-ended (`first`, `minStrength`, any target), so the kept answers are bounded:
the least recently asked goes first."""

_ANSWERS = "analytics.answers"


def remembered(memo: dict[str, object], key: str, compute: Callable[[], T]) -> T:
    """`memo[key]`, computed on first use. For derived structures with few possible keys."""
    if key not in memo:
        memo[key] = compute()
    return cast(T, memo[key])


def per_snapshot(analytic: Callable[Concatenate[AccountGraph, P], R]) -> Callable[Concatenate[AccountGraph, P], R]:
    """Keep `analytic(graph, ...)` with `graph`, per arguments. Raised errors are not kept, and
    unhashable arguments are answered afresh. A list answer is copied for each caller, so that no
    caller can change what the next one gets."""

    @wraps(analytic)
    def answer(graph: AccountGraph, /, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (analytic.__qualname__, args, tuple(kwargs.items()))
        try:
            hash(key)
        except TypeError:
            return analytic(graph, *args, **kwargs)
        answers = _answers(graph)
        if key in answers:
            answers.move_to_end(key)
        else:
            answers[key] = analytic(graph, *args, **kwargs)
            if len(answers) > ANSWERS_PER_SNAPSHOT:
                answers.popitem(last=False)
        found = answers[key]
        return cast(R, list(found)) if isinstance(found, list) else cast(R, found)

    return answer


def _answers(graph: AccountGraph) -> OrderedDict[Hashable, object]:
    return remembered(graph.memo, _ANSWERS, OrderedDict)
