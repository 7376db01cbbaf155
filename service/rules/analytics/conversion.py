"""Items 3 and 4: neutrals to win and opponents to neutralise, each with its best converter.

A converter is a stakeholder with a strongest influence path to the target or, for neutrals only,
a team member covering the target directly (strength relationshipStep / 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from service.rules.account_graph import AccountGraph, Person
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.describe import influence_chain, label, node_name, rating, score
from service.rules.analytics.influence_paths import strongest_paths_from_any
from service.rules.analytics.leverage import leverage_in
from service.rules.analytics.memo import per_snapshot
from service.rules.analytics.nodes import NodeKind, NodeRef
from service.rules.analytics.ordering import SortKey, is_positive, person_key, tolerant_sorted
from service.rules.analytics.policy import (
    CONVERTER_KIND_PREFERENCE,
    DEFAULT_MAX_HOPS,
    HOSTILE_STANCES,
    NEUTRAL_OR_BETTER_STANCES,
    STRENGTH_SCALE,
    SUPPORTIVE_STANCES,
)
from service.rules.analytics.ranked import Ranked
from service.rules.analytics.strongest_paths import Search
from service.rules.analytics.validation import validate_max_hops
from service.rules.analytics.weights import influence_of, rating_weight, step_rating
from service.rules.enums import Stance


@dataclass(frozen=True, slots=True)
class ConversionTarget:
    stakeholder: str
    leverage: float
    converter: NodeRef | None
    """Who can move this person; None when nobody qualifies."""
    converter_strength: float
    """0 when there is no converter."""
    converter_hops: int
    path: tuple[NodeRef, ...]
    """From the converter to the target, both included; empty when there is no converter."""
    reason: str


@dataclass(frozen=True, slots=True)
class _Offer:
    converter: NodeRef
    strength: float
    hops: int


@per_snapshot
def neutrals_to_convert(graph: AccountGraph, max_hops: int = DEFAULT_MAX_HOPS) -> Ranked[ConversionTarget]:
    """NEUTRAL stakeholders with leverage > 0; converter: a supporter/mentor or a covering team member."""
    validate_max_hops(max_hops)
    view = active_view(graph)
    return _conversion_targets(view, max_hops, {Stance.NEUTRAL}, SUPPORTIVE_STANCES, use_team=True)


@per_snapshot
def opponents_to_neutralize(graph: AccountGraph, max_hops: int = DEFAULT_MAX_HOPS) -> Ranked[ConversionTarget]:
    """ENEMY/OPPONENT stakeholders with leverage > 0; lever: the NEUTRAL-or-better stakeholder with
    the strongest path to them (aim: move them to neutral). Team members are not levers."""
    validate_max_hops(max_hops)
    view = active_view(graph)
    return _conversion_targets(view, max_hops, HOSTILE_STANCES, NEUTRAL_OR_BETTER_STANCES, use_team=False)


def _conversion_targets(
    view: ActiveView,
    max_hops: int,
    target_stances: Iterable[Stance],
    converter_stances: frozenset[Stance],
    *,
    use_team: bool,
) -> Ranked[ConversionTarget]:
    leverage = leverage_in(view, max_hops)
    wanted = set(target_stances)
    converters = [p.id for p in view.people.values() if p.stance in converter_stances]
    candidates = [p for p in view.people.values() if p.stance in wanted and is_positive(leverage[p.id])]
    # One search from all converters at once: each target gets its strongest converter.
    from_converters = strongest_paths_from_any(view, converters, max_hops, {p.id for p in candidates})
    targets: list[tuple[Person, float, _Offer | None]] = []
    for person in candidates:
        offers = _stakeholder_offers(from_converters, person.id)
        if use_team:
            offers += _team_offers(view, person.id)
        targets.append((person, leverage[person.id], _best(view, offers)))
    ranked = tolerant_sorted(targets, key=lambda target: _target_rank(*target))
    # Paths and reasons only for the rows read.
    return Ranked.of(ranked, lambda target: _row(view, *target, from_converters))


def _target_rank(person: Person, leverage: float, offer: _Offer | None) -> SortKey:
    return (-leverage, -(offer.strength if offer else 0.0), -influence_of(person), *person_key(person))


def _stakeholder_offers(from_converters: Search[str], target: str) -> list[_Offer]:
    if target not in from_converters.best_layer:
        return []
    converter = NodeRef.stakeholder(from_converters.origin(target))
    return [_Offer(converter, from_converters.strength(target), from_converters.best_layer[target])]


def _team_offers(view: ActiveView, target: str) -> list[_Offer]:
    offers = []
    for coverage in view.coverage_of.get(target, ()):
        strength = rating_weight(step_rating(coverage))
        if is_positive(strength):
            offers.append(_Offer(NodeRef.team_member(coverage.team_member), strength, 1))
    return offers


def _best(view: ActiveView, offers: list[_Offer]) -> _Offer | None:
    if len(offers) < 2:
        return offers[0] if offers else None
    return tolerant_sorted(offers, key=lambda offer: _offer_rank(view, offer))[0]


def _offer_rank(view: ActiveView, offer: _Offer) -> SortKey:
    kind_order = CONVERTER_KIND_PREFERENCE.index(offer.converter.kind)
    return (-offer.strength, offer.hops, kind_order, node_name(view, offer.converter), offer.converter.id)


def _row(
    view: ActiveView, person: Person, leverage: float, offer: _Offer | None, from_converters: Search[str]
) -> ConversionTarget:
    path = _path(person, offer, from_converters)
    return ConversionTarget(
        stakeholder=person.id,
        leverage=leverage,
        converter=offer.converter if offer else None,
        converter_strength=offer.strength if offer else 0.0,
        converter_hops=offer.hops if offer else 0,
        path=path,
        reason=f"{_why_target(view, person, leverage)} {_why_converter(view, person, offer, path)}",
    )


def _path(person: Person, offer: _Offer | None, from_converters: Search[str]) -> tuple[NodeRef, ...]:
    if offer is None:
        return ()
    if offer.converter.kind is NodeKind.TEAM_MEMBER:
        return (offer.converter, NodeRef.stakeholder(person.id))
    return tuple(NodeRef.stakeholder(p) for p in from_converters.path(person.id))


def _why_target(view: ActiveView, person: Person, leverage: float) -> str:
    weight = "is a decision maker" if person.id in view.decision_makers else f"has leverage {score(leverage)}"
    return f"{label(view, person.id)} is {person.stance.value} and {weight}."


def _why_converter(view: ActiveView, person: Person, offer: _Offer | None, path: tuple[NodeRef, ...]) -> str:
    aim = "win them over" if person.stance is Stance.NEUTRAL else "move them toward neutral"
    if offer is None:
        return f"Nobody who could {aim} reaches them yet."
    if offer.converter.kind is NodeKind.TEAM_MEMBER:
        coverage_step = round(offer.strength * STRENGTH_SCALE)
        return (
            f"To {aim}: our {view.team[offer.converter.id].name} covers them directly, "
            f"relationship step {rating(coverage_step)}."
        )
    converter = view.people[offer.converter.id]
    chain = influence_chain(view, [node.id for node in path], offer.strength)
    return f"To {aim}, use {converter.name} ({converter.stance.value}): {chain}."
