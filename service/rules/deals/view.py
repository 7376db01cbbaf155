"""The account as one deal sees it: every existing analytic runs unchanged on this view.

DOMAIN.md: with an opportunity, `D`, key persons, roles and buyer types come from its buying centre;
people outside it keep their stance, influence and links but hold no role.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

from service.rules.account_graph import AccountGraph, Person
from service.rules.analytics.memo import remembered
from service.rules.deals.model import BuyingCentreMember

VIEWS_PER_SNAPSHOT = 16
"""Deal views kept with an account snapshot (one per buying centre asked about), least recent out first."""


def deal_view(graph: AccountGraph, buying_centre: Sequence[BuyingCentreMember]) -> AccountGraph:
    """`graph` with roles and buyer types from `buying_centre` (a member's None keeps the account's),
    none for everyone else, and key persons only among the members. Kept with `graph`, so every
    analytic of a request shares one view and its memo."""
    key = tuple(buying_centre)
    views: OrderedDict[tuple[BuyingCentreMember, ...], AccountGraph] = remembered(
        graph.memo, "deals/views", OrderedDict
    )
    if key in views:
        views.move_to_end(key)
        return views[key]
    view = _view(graph, key)
    views[key] = view
    if len(views) > VIEWS_PER_SNAPSHOT:
        views.popitem(last=False)
    return view


def _view(graph: AccountGraph, buying_centre: Sequence[BuyingCentreMember]) -> AccountGraph:
    members = {member.stakeholder: member for member in buying_centre}
    people = tuple(_as_in_deal(person, members.get(person.id)) for person in graph.people)
    scope = frozenset(person.id for person in graph.people if person.id in members)
    return replace(graph, people=people, key_person_scope=scope)


def _as_in_deal(person: Person, member: BuyingCentreMember | None) -> Person:
    if member is None:
        if not person.buying_roles and not person.buyer_types:
            return person
        return replace(person, buying_roles=frozenset(), buyer_types=frozenset())
    roles = person.buying_roles if member.buying_roles is None else frozenset(member.buying_roles)
    types = person.buyer_types if member.buyer_types is None else frozenset(member.buyer_types)
    if roles == person.buying_roles and types == person.buyer_types:
        return person
    return replace(person, buying_roles=roles, buyer_types=types)
