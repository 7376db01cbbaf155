"""Item 10: the account's support score."""

from __future__ import annotations

from collections.abc import Sequence

from service.rules.account_graph import AccountGraph, Person
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.analytics.memo import per_snapshot
from service.rules.analytics.stance_balance import weighted_stance


@per_snapshot
def support_score(graph: AccountGraph) -> float | None:
    """Influence-weighted mean stance over the buying-role holders (everyone if nobody holds a role)."""
    return support_score_in(active_view(graph))


def support_score_in(view: ActiveView) -> float | None:
    return support_score_of(list(view.people.values()))


def support_score_of(people: Sequence[Person]) -> float | None:
    """`support_score` over these (active) people."""
    role_holders = [person for person in people if person.buying_roles]
    return weighted_stance(role_holders or people)
