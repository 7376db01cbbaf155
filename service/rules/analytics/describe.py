"""Plain-language pieces for `reason` strings: people with titles, ratings, scores and paths."""

from __future__ import annotations

from collections.abc import Sequence

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.policy import STRENGTH_SCALE

ARROW = " → "


def label(view: ActiveView, person_id: str) -> str:
    """`周敏 (财务总监)`, or the bare name when there is no title."""
    person = view.people[person_id]
    return f"{person.name} ({person.title})" if person.title else person.name


def rating(value: int) -> str:
    return f"{value}/{STRENGTH_SCALE}"


def score(value: float) -> str:
    """Three significant digits, no trailing zeros: 0.64, 0.256, 1."""
    return f"{value:.3g}"


def names(view: ActiveView, person_ids: Sequence[str]) -> str:
    return ARROW.join(view.name(person_id) for person_id in person_ids)


def influence_chain(view: ActiveView, path: Sequence[str], strength: float) -> str:
    """`周敏 (财务总监) influences 山田浩二 directly, 5/5` or
    `王磊 (生产部经理) reaches 山田浩二 in 2 hops: 王磊 → 刘建华 → 山田浩二, 4/5 × 4/5 = 0.64`."""
    source, target = path[0], path[-1]
    ratings = [rating(view.link_strength[(a, b)]) for a, b in zip(path, path[1:], strict=False)]
    if len(ratings) == 1:
        return f"{label(view, source)} influences {view.name(target)} directly, {ratings[0]}"
    product = " × ".join(ratings)
    return (
        f"{label(view, source)} reaches {view.name(target)} in {len(ratings)} hops: "
        f"{names(view, path)}, {product} = {score(strength)}"
    )
