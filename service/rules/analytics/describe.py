"""Plain-language pieces for `reason` strings: people with titles, ratings, scores and paths."""

from __future__ import annotations

from collections.abc import Sequence

from service.rules.analytics.active_view import ActiveView
from service.rules.analytics.nodes import NodeKind, NodeRef
from service.rules.analytics.policy import STRENGTH_SCALE

ARROW = " → "


def label(view: ActiveView, person_id: str) -> str:
    """`周敏 (财务总监)`, or the bare name when there is no title."""
    person = view.people[person_id]
    return f"{person.name} ({person.title})" if person.title else person.name


def node_name(view: ActiveView, node: NodeRef) -> str:
    """A stakeholder's or a team member's name."""
    return view.team[node.id].name if node.kind is NodeKind.TEAM_MEMBER else view.name(node.id)


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
    people, link_strength = view.people, view.link_strength
    source, target = path[0], path[-1]
    if len(path) == 2:
        return f"{label(view, source)} influences {people[target].name} directly, {rating(link_strength[(source, target)])}"
    product = " × ".join([rating(link_strength[pair]) for pair in zip(path, path[1:], strict=False)])
    return (
        f"{label(view, source)} reaches {people[target].name} in {len(path) - 1} hops: "
        f"{ARROW.join([people[person_id].name for person_id in path])}, {product} = {score(strength)}"
    )
