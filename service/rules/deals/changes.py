"""The change log's rows for deals (`service.rules.changes.EntityChange`).

Entities: Opportunity, Competitor, CompetitorRep (nodes, by id); BuyingCentreMember, CompetitorInvolvement,
RepContact, Favour (relations, by their two ends) and Scorecard (by opportunity id: the whole matrix is one
value, `criteria`). A creation or deletion lists every stored value, the identifying ends included; an
update lists what changed. Competitors and reps belong to the workspace: their changes have no account.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service.rules.changes import ChangeOp, EntityChange
from service.rules.entity_changes.diff import change, creation, removal

Props = Mapping[str, Any]


def member_id(opportunity: str, stakeholder: str) -> str:
    return f"{opportunity}:{stakeholder}"


def involvement_id(opportunity: str, competitor: str) -> str:
    return f"{opportunity}:{competitor}"


def contact_id(rep: str, stakeholder: str) -> str:
    return f"{rep}:{stakeholder}"


def favour_id(stakeholder: str, competitor: str) -> str:
    return f"{stakeholder}:{competitor}"


def set_change(
    entity: str,
    entity_id: str,
    ends: Props,
    old: Props | None,
    new: Props | None,
    account_id: str | None,
    about: Sequence[str] = (),
) -> EntityChange | None:
    """The change from `old` to `new` (None: absent); None when nothing changed. `ends` identify the
    entity and are logged with its creation and deletion."""
    if old is None and new is None:
        return None
    if old is None:
        assert new is not None
        return creation(entity, entity_id, {**ends, **new}, account_id, about)
    if new is None:
        return removal(entity, entity_id, {**ends, **old}, account_id, about)
    changed = {name: (old.get(name), new.get(name)) for name in new if old.get(name) != new.get(name)}
    if not changed:
        return None
    return change(entity, entity_id, ChangeOp.UPDATED, changed, account_id, about)


def member_change(
    opportunity: str, stakeholder: str, old: Props | None, new: Props | None, account_id: str
) -> EntityChange | None:
    ends = {"opportunityId": opportunity, "stakeholderId": stakeholder}
    return set_change(
        "BuyingCentreMember", member_id(opportunity, stakeholder), ends, old, new, account_id, [stakeholder]
    )


def involvement_change(
    opportunity: str, competitor: str, old: Props | None, new: Props | None, account_id: str
) -> EntityChange | None:
    ends = {"opportunityId": opportunity, "competitorId": competitor}
    return set_change("CompetitorInvolvement", involvement_id(opportunity, competitor), ends, old, new, account_id)


def contact_change(
    rep: str, stakeholder: str, old: Props | None, new: Props | None, account_id: str
) -> EntityChange | None:
    ends = {"repId": rep, "stakeholderId": stakeholder}
    return set_change("RepContact", contact_id(rep, stakeholder), ends, old, new, account_id, [stakeholder])


def favour_change(
    stakeholder: str, competitor: str, old: Props | None, new: Props | None, account_id: str
) -> EntityChange | None:
    ends = {"stakeholderId": stakeholder, "competitorId": competitor}
    return set_change("Favour", favour_id(stakeholder, competitor), ends, old, new, account_id, [stakeholder])


def scorecard_change(
    opportunity: str,
    old: list[dict[str, Any]] | None,
    new: list[dict[str, Any]] | None,
    account_id: str,
    about: Sequence[str],
) -> EntityChange | None:
    """`old`/`new`: `stored.scorecard_matrix` values; `about`: who cares, before or after."""
    return set_change(
        "Scorecard",
        opportunity,
        {"opportunityId": opportunity},
        None if old is None else {"criteria": old},
        None if new is None else {"criteria": new},
        account_id,
        about,
    )


def present(changes: Sequence[EntityChange | None]) -> list[EntityChange]:
    return [c for c in changes if c is not None]
