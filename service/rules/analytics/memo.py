"""Answers kept with the snapshot they were computed from.

A snapshot never changes, so neither does an analytic's answer to the same arguments. Strategists
ask the same few questions of an account many times between two writes (several people, a dashboard
that refreshes, all analytics of one request sharing a leverage search), and a kept answer costs a
lookup. The caller's snapshot cache decides how long a snapshot, and with it its answers, lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import suppress
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


_MISSING = object()


def remembered(memo: dict[str, object], key: str, compute: Callable[[], T]) -> T:
    """`memo[key]`, computed on first use. For derived structures with few possible keys. Read once: another
    thread may forget the memo meanwhile (`forget_kept`)."""
    found = memo.get(key, _MISSING)
    if found is _MISSING:
        found = memo[key] = compute()
    return cast(T, found)


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
        found = answers.get(key, _MISSING)
        if found is _MISSING:
            found = answers[key] = analytic(graph, *args, **kwargs)
            if len(answers) > ANSWERS_PER_SNAPSHOT:
                answers.popitem(last=False)
        else:
            with suppress(KeyError):  # forgotten meanwhile by another thread (`forget_kept`)
                answers.move_to_end(key)
        return cast(R, list(found)) if isinstance(found, list) else cast(R, found)

    return answer


def _answers(graph: AccountGraph) -> OrderedDict[Hashable, object]:
    return remembered(graph.memo, _ANSWERS, OrderedDict)


def forget_kept(graph: AccountGraph) -> None:
    """Drop what is kept with `graph` (answers, derived structures), one piece at a time.

    For a 10,000-person account that is a million objects or so; freed in one cascade when the snapshot's
    last reference goes, they would hold Python's GIL for 50 ms or more, in whichever thread lets go last
    (the event loop's included). Freed piece by piece, the GIL can change hands between pieces. Only
    caches are dropped: anyone still using the snapshot recomputes what it asks for."""
    memo = graph.memo
    answers = memo.get(_ANSWERS)
    if isinstance(answers, OrderedDict):
        while answers:
            answers.popitem()
    for value in list(memo.values()):
        forget = getattr(value, "forget_kept", None)
        if callable(forget):
            forget()
    while memo:
        memo.popitem()
