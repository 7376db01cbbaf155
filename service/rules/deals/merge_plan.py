"""The deal step of a stakeholder merge (`service.rules.merge`): the duplicate's part in deals moves to the
survivor, as its links do. Buying-centre memberships, rep contacts and favours move unless the survivor
already has one to the same opportunity, rep or competitor (then the survivor's is kept and the
duplicate's dropped); the survivor becomes the owner of the burning issues the duplicate owned, and cares
about the criteria the duplicate cared about (where both cared, the survivor's weight is kept)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from service.rules.changes import ChangeOp, EntityChange
from service.rules.deals.changes import contact_change, favour_change, member_change, scorecard_change
from service.rules.deals.model import Care, Scorecard
from service.rules.deals.stored import scorecard_matrix, scorecard_people, scorecard_rows
from service.rules.entity_changes.diff import change

Props = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PersonDeals:
    """One stakeholder's part in deals."""

    members: Mapping[str, Props] = field(default_factory=dict)
    """Opportunity id -> their membership's props."""
    contacts: Mapping[str, Props] = field(default_factory=dict)
    """Rep id -> the contact's props."""
    favours: Mapping[str, Props] = field(default_factory=dict)
    """Competitor id -> {"note"}."""
    owned: tuple[str, ...] = ()
    """The opportunities whose burning issue they own."""
    scorecards: Mapping[str, Scorecard] = field(default_factory=dict)
    """Opportunity id -> its scorecard, where they care about a criterion."""


@dataclass
class DealMergePlan:
    members_removed: list[Props] = field(default_factory=list)
    members: list[Props] = field(default_factory=list)
    contacts_removed: list[Props] = field(default_factory=list)
    contacts: list[Props] = field(default_factory=list)
    favours_removed: list[Props] = field(default_factory=list)
    favours: list[Props] = field(default_factory=list)
    owners: list[Props] = field(default_factory=list)
    """Opportunity rows ({id, props}) whose burning issue the survivor now owns."""
    scorecards: list[Props] = field(default_factory=list)
    changes: list[EntityChange] = field(default_factory=list)

    @property
    def moved(self) -> int:
        return len(self.members) + len(self.contacts) + len(self.favours) + len(self.owners) + len(self.scorecards)


def plan_deal_merge(
    survivor: str,
    duplicate: str,
    kept: PersonDeals,
    folded: PersonDeals,
    account_id: str,
    new_id: Callable[[], str],
) -> DealMergePlan:
    """The rows and log of moving `folded` (the duplicate's part) onto the survivor (see the module docstring)."""
    plan = DealMergePlan()
    log = plan.changes
    for opportunity, props in sorted(folded.members.items()):
        plan.members_removed.append({"opportunityId": opportunity, "stakeholderId": duplicate})
        log.append(_present(member_change(opportunity, duplicate, props, None, account_id)))
        if opportunity not in kept.members:
            plan.members.append({"opportunityId": opportunity, "stakeholderId": survivor, "props": props})
            log.append(_present(member_change(opportunity, survivor, None, props, account_id)))
    for rep, props in sorted(folded.contacts.items()):
        plan.contacts_removed.append({"repId": rep, "stakeholderId": duplicate})
        log.append(_present(contact_change(rep, duplicate, props, None, account_id)))
        if rep not in kept.contacts:
            plan.contacts.append({"repId": rep, "stakeholderId": survivor, "props": props})
            log.append(_present(contact_change(rep, survivor, None, props, account_id)))
    for competitor, props in sorted(folded.favours.items()):
        plan.favours_removed.append({"stakeholderId": duplicate, "competitorId": competitor})
        log.append(_present(favour_change(duplicate, competitor, props, None, account_id)))
        if competitor not in kept.favours:
            plan.favours.append({"stakeholderId": survivor, "competitorId": competitor, "props": props})
            log.append(_present(favour_change(survivor, competitor, None, props, account_id)))
    for opportunity in sorted(folded.owned):
        plan.owners.append({"id": opportunity, "props": {"burningIssueOwnerId": survivor}})
        fields = {"burningIssueOwnerId": (duplicate, survivor)}
        log.append(change("Opportunity", opportunity, ChangeOp.UPDATED, fields, account_id, [survivor, duplicate]))
    for opportunity, card in sorted(folded.scorecards.items()):
        moved = _cares_moved(card, survivor, duplicate)
        about = sorted({*scorecard_people(card), survivor})
        logged = scorecard_change(opportunity, scorecard_matrix(card), scorecard_matrix(moved), account_id, about)
        plan.scorecards.append({"opportunityId": opportunity, "criteria": scorecard_rows(moved, new_id)})
        log.append(_present(logged))
    return plan


def _cares_moved(card: Scorecard, survivor: str, duplicate: str) -> Scorecard:
    criteria = []
    for criterion in card.criteria:
        cares = {care.stakeholder: care.weight for care in criterion.cares}
        weight = cares.pop(duplicate, None)
        if weight is not None:
            cares.setdefault(survivor, weight)
        criteria.append(replace(criterion, cares=tuple(Care(p, w) for p, w in sorted(cares.items()))))
    return Scorecard(tuple(criteria))


def _present(logged: EntityChange | None) -> EntityChange:
    assert logged is not None, "a move always changes something"
    return logged
