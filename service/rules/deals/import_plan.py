"""The deal sections of an account import against what is stored: rows to write, counts and history.

Competitors, reps and opportunities follow the import's mode field by field (MERGE: a field left out keeps
its stored value; REPLACE: it is cleared). An opportunity's burning issue and UCV are one value each: given,
they are set exactly; left out, MERGE keeps and REPLACE clears them. Buying-centre members, competitors
involved, rep contacts, favours and scorecards are set exactly as given; MERGE keeps those the document
leaves out, REPLACE removes them: from each of the document's opportunities, and the contacts and favours of
the account's people that this source wrote. REPLACE also deletes this source's opportunities of the
account that the document dropped. Competitors and reps belong to the workspace: an import never removes
them. Unchanged records produce no rows, so re-importing writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from service.rules.account_import.plan import Counts, merged
from service.rules.changes import ChangeOp, EntityChange
from service.rules.deals.changes import (
    contact_change,
    favour_change,
    involvement_change,
    member_change,
    scorecard_change,
)
from service.rules.deals.document import DealSection
from service.rules.deals.model import Care, CompetitorScore, Deal, Opportunity, Scorecard
from service.rules.deals.stored import (
    burning_issue_props,
    contact_props,
    favour_props,
    member_props,
    opportunity_props,
    scorecard_matrix,
    scorecard_people,
    scorecard_rows,
    ucv_props,
)
from service.rules.enums import ImportMode

Props = dict[str, Any]
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class StoredCompetitor:
    id: str
    props: Props
    accounts: frozenset[str] = frozenset()
    """The accounts that show it (see `service.graph.writes.competitors`)."""


@dataclass(frozen=True, slots=True)
class StoredRep:
    id: str
    props: Props
    competitor: str
    accounts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class StoredOpportunity:
    id: str
    props: Props
    """`stored.STORED_OPPORTUNITY_FIELDS`, dates native."""
    members: dict[str, Props] = field(default_factory=dict)
    """Stakeholder id -> `stored.member_props`."""
    involved: dict[str, Props] = field(default_factory=dict)
    """Competitor id -> {"incumbent"}."""
    scorecard: Scorecard | None = None


@dataclass(frozen=True, slots=True)
class StoredRelation:
    props: Props
    source: str | None


@dataclass(frozen=True, slots=True)
class StoredDeals:
    competitors: dict[str, StoredCompetitor] = field(default_factory=dict)
    """The document's competitors found by this source's external id."""
    reps: dict[str, StoredRep] = field(default_factory=dict)
    opportunities: dict[str, StoredOpportunity] = field(default_factory=dict)
    """This account's opportunities of this source, by external id."""
    contacts: dict[Pair, StoredRelation] = field(default_factory=dict)
    """(rep id, stakeholder id) -> the contact, for the account's people."""
    favours: dict[Pair, StoredRelation] = field(default_factory=dict)
    """(stakeholder id, competitor id) -> the favour, for the account's people."""


@dataclass
class DealImportPlan:
    competitors: list[Props] = field(default_factory=list)
    reps: list[Props] = field(default_factory=list)
    opportunities_removed: list[str] = field(default_factory=list)
    opportunities: list[Props] = field(default_factory=list)
    members_removed: list[Props] = field(default_factory=list)
    members: list[Props] = field(default_factory=list)
    involvements_removed: list[Props] = field(default_factory=list)
    involvements: list[Props] = field(default_factory=list)
    scorecards: list[Props] = field(default_factory=list)
    """{opportunityId, criteria}: the criteria replace the stored ones (none: the scorecard is removed)."""
    contacts_removed: list[Props] = field(default_factory=list)
    contacts: list[Props] = field(default_factory=list)
    favours_removed: list[Props] = field(default_factory=list)
    favours: list[Props] = field(default_factory=list)
    changes: list[EntityChange] = field(default_factory=list)
    accounts: set[str] = field(default_factory=set)
    """Other accounts whose data changes: those that show a changed competitor or rep."""
    counts: Counts = field(default_factory=Counts)


def plan_deal_import(
    section: DealSection,
    stored: StoredDeals,
    *,
    account_id: str,
    people: Mapping[str, str],
    source: str,
    mode: ImportMode,
    new_id: Callable[[], str],
) -> DealImportPlan:
    """What to write so that the store matches `section` (see the module docstring); `people` maps the
    document's stakeholder external ids to internal ids. `section` must be valid."""
    return _Planner(section, stored, account_id, people, source, mode, new_id).build()


class _Planner:
    def __init__(
        self,
        section: DealSection,
        stored: StoredDeals,
        account_id: str,
        people: Mapping[str, str],
        source: str,
        mode: ImportMode,
        new_id: Callable[[], str],
    ) -> None:
        self.section = section
        self.stored = stored
        self.account_id = account_id
        self.people = people
        self.source = source
        self.mode = mode
        self.new_id = new_id
        self.plan = DealImportPlan()
        self.competitor_ids: dict[str, str] = {}
        self.rep_ids: dict[str, str] = {}

    def build(self) -> DealImportPlan:
        self._competitors()
        self._reps()
        self._opportunities()
        self._contacts()
        self._favours()
        return self.plan

    def _log(self, change: EntityChange | None) -> bool:
        if change is None:
            return False
        self.plan.changes.append(change)
        return True

    def _node(
        self, entity: str, node_id: str, found: bool, changed: Mapping[str, tuple[Any, Any]], account: str | None
    ) -> None:
        if changed:
            op = ChangeOp.UPDATED if found else ChangeOp.CREATED
            self.plan.changes.append(EntityChange(entity, node_id, op, dict(changed), account))

    # --- competitors and reps (the workspace's) ---------------------------------------------------
    def _competitors(self) -> None:
        for competitor in self.section.competitors:
            found = self.stored.competitors.get(competitor.id)
            competitor_id = found.id if found else self.new_id()
            self.competitor_ids[competitor.id] = competitor_id
            given = {"name": competitor.name, "origin": competitor.origin}
            props, changed = merged(found.props if found else None, given, self.mode)
            self.plan.counts.tally(found is None, bool(changed))
            self._node("Competitor", competitor_id, found is not None, changed, None)
            if found is None or changed:
                row = {"id": competitor_id, "externalId": competitor.id, "create": found is None, "props": props}
                self.plan.competitors.append(row)
            if found is not None and changed:
                self.plan.accounts.update(found.accounts)

    def _reps(self) -> None:
        for rep in self.section.competitor_reps:
            found = self.stored.reps.get(rep.id)
            rep_id = found.id if found else self.new_id()
            self.rep_ids[rep.id] = rep_id
            competitor = self.competitor_ids[rep.competitor]
            props, changed = merged(found.props if found else None, {"name": rep.name}, self.mode)
            if found is None or found.competitor != competitor:
                changed["competitorId"] = (None if found is None else found.competitor, competitor)
            self.plan.counts.tally(found is None, bool(changed))
            self._node("CompetitorRep", rep_id, found is not None, changed, None)
            if found is None or changed:
                self.plan.reps.append(
                    {
                        "id": rep_id,
                        "externalId": rep.id,
                        "create": found is None,
                        "props": props,
                        "competitorId": competitor,
                    }
                )
            if found is not None and changed:
                self.plan.accounts.update(found.accounts)

    # --- opportunities ---------------------------------------------------------------------------
    def _opportunities(self) -> None:
        for deal in self.section.opportunities:
            self._opportunity(self._resolved(deal))
        if self.mode is ImportMode.REPLACE:
            kept = {deal.opportunity.id for deal in self.section.opportunities}
            for external_id, found in sorted(self.stored.opportunities.items()):
                if external_id not in kept:
                    self._remove_opportunity(found)

    def _resolved(self, deal: Deal) -> Deal:
        """`deal` with internal ids for its people and competitors (its own id stays external)."""
        people, competitors = self.people, self.competitor_ids
        opportunity = deal.opportunity
        issue = opportunity.burning_issue
        if issue is not None and issue.owner is not None:
            opportunity = replace(opportunity, burning_issue=replace(issue, owner=people[issue.owner]))
        card = deal.scorecard
        if card is not None:
            card = Scorecard(
                tuple(
                    replace(
                        c,
                        competitor_scores=tuple(
                            CompetitorScore(competitors[s.competitor], s.score) for s in c.competitor_scores
                        ),
                        cares=tuple(Care(people[x.stakeholder], x.weight) for x in c.cares),
                    )
                    for c in card.criteria
                )
            )
        return Deal(
            opportunity=opportunity,
            buying_centre=tuple(replace(m, stakeholder=people[m.stakeholder]) for m in deal.buying_centre),
            competitors=tuple(replace(i, competitor=competitors[i.competitor]) for i in deal.competitors),
            scorecard=card,
        )

    def _opportunity(self, deal: Deal) -> None:
        found = self.stored.opportunities.get(deal.opportunity.id)
        opportunity_id = found.id if found else self.new_id()
        props, changed = self._fields(deal.opportunity, found)
        self._node("Opportunity", opportunity_id, found is not None, changed, self.account_id)
        if found is None or changed:
            self.plan.opportunities.append(
                {"id": opportunity_id, "externalId": deal.opportunity.id, "create": found is None, "props": props}
            )
        parts = [
            self._members(opportunity_id, deal, found),
            self._involvements(opportunity_id, deal, found),
            self._scorecard(opportunity_id, deal.scorecard, found),
        ]
        self.plan.counts.tally(found is None, bool(changed) or any(parts))

    def _fields(self, opportunity: Opportunity, found: StoredOpportunity | None) -> tuple[Props, Props]:
        props, changed = merged(found.props if found else None, opportunity_props(opportunity), self.mode)
        replaced = self.mode is ImportMode.REPLACE
        if opportunity.burning_issue is not None or replaced:
            props, more = merged(props, burning_issue_props(opportunity.burning_issue), ImportMode.REPLACE)
            changed.update(more)
        if opportunity.ucv is not None or replaced:
            props, more = merged(props, ucv_props(opportunity.ucv), ImportMode.REPLACE)
            changed.update(more)
        return props, changed

    def _members(self, opportunity_id: str, deal: Deal, found: StoredOpportunity | None) -> bool:
        stored = found.members if found else {}
        wanted = {m.stakeholder: member_props(m) for m in deal.buying_centre}
        return self._relations(
            stored,
            wanted,
            lambda person, old, new: member_change(opportunity_id, person, old, new, self.account_id),
            lambda person, props: self.plan.members.append(
                {"opportunityId": opportunity_id, "stakeholderId": person, "props": props}
            ),
            lambda person: self.plan.members_removed.append({"opportunityId": opportunity_id, "stakeholderId": person}),
        )

    def _involvements(self, opportunity_id: str, deal: Deal, found: StoredOpportunity | None) -> bool:
        stored = found.involved if found else {}
        wanted = {i.competitor: {"incumbent": i.incumbent} for i in deal.competitors}
        return self._relations(
            stored,
            wanted,
            lambda competitor, old, new: involvement_change(opportunity_id, competitor, old, new, self.account_id),
            lambda competitor, props: self.plan.involvements.append(
                {"opportunityId": opportunity_id, "competitorId": competitor, "props": props}
            ),
            lambda competitor: self.plan.involvements_removed.append(
                {"opportunityId": opportunity_id, "competitorId": competitor}
            ),
        )

    def _relations(
        self,
        stored: Mapping[str, Props],
        wanted: Mapping[str, Props],
        logged: Callable[[str, Props | None, Props | None], EntityChange | None],
        write: Callable[[str, Props], None],
        remove: Callable[[str], None],
    ) -> bool:
        """Set each wanted relation that differs; REPLACE removes the rest. True when anything changed."""
        changed = False
        for key, props in wanted.items():
            if self._log(logged(key, stored.get(key), props)):
                write(key, props)
                changed = True
        if self.mode is ImportMode.REPLACE:
            for key in sorted(stored.keys() - wanted.keys()):
                self._log(logged(key, stored[key], None))
                remove(key)
                changed = True
        return changed

    def _scorecard(self, opportunity_id: str, card: Scorecard | None, found: StoredOpportunity | None) -> bool:
        before = found.scorecard if found else None
        if card is None and self.mode is ImportMode.MERGE:
            return False
        old, new = scorecard_matrix(before), scorecard_matrix(card)
        if old == new:
            return False
        about = sorted({*scorecard_people(before), *scorecard_people(card)})
        self._log(scorecard_change(opportunity_id, old, new, self.account_id, about))
        self.plan.scorecards.append({"opportunityId": opportunity_id, "criteria": scorecard_rows(card, self.new_id)})
        return True

    def _remove_opportunity(self, found: StoredOpportunity) -> None:
        self.plan.opportunities_removed.append(found.id)
        self.plan.counts.removed += 1
        for person, props in sorted(found.members.items()):
            self._log(member_change(found.id, person, props, None, self.account_id))
        for competitor, props in sorted(found.involved.items()):
            self._log(involvement_change(found.id, competitor, props, None, self.account_id))
        if found.scorecard is not None:
            matrix = scorecard_matrix(found.scorecard)
            people = scorecard_people(found.scorecard)
            self._log(scorecard_change(found.id, matrix, None, self.account_id, people))
        gone = {name: (value, None) for name, value in sorted(found.props.items()) if value is not None}
        self.plan.changes.append(EntityChange("Opportunity", found.id, ChangeOp.DELETED, gone, self.account_id))

    # --- the account's people and the competitors' side -----------------------------------------
    def _contacts(self) -> None:
        wanted: dict[Pair, Props] = {}
        for contact in self.section.competitor_contacts:
            key = (self.rep_ids[contact.rep], self.people[contact.stakeholder])
            wanted[key] = contact_props(contact)
        self._account_relations(
            self.stored.contacts,
            wanted,
            lambda key, old, new: contact_change(key[0], key[1], old, new, self.account_id),
            lambda key, props: self.plan.contacts.append({"repId": key[0], "stakeholderId": key[1], "props": props}),
            lambda key: self.plan.contacts_removed.append({"repId": key[0], "stakeholderId": key[1]}),
        )

    def _favours(self) -> None:
        wanted: dict[Pair, Props] = {}
        for favour in self.section.favours:
            key = (self.people[favour.stakeholder], self.competitor_ids[favour.competitor])
            wanted[key] = favour_props(favour)
        self._account_relations(
            self.stored.favours,
            wanted,
            lambda key, old, new: favour_change(key[0], key[1], old, new, self.account_id),
            lambda key, props: self.plan.favours.append(
                {"stakeholderId": key[0], "competitorId": key[1], "props": props}
            ),
            lambda key: self.plan.favours_removed.append({"stakeholderId": key[0], "competitorId": key[1]}),
        )

    def _account_relations(
        self,
        stored: Mapping[Pair, StoredRelation],
        wanted: Mapping[Pair, Props],
        logged: Callable[[Pair, Props | None, Props | None], EntityChange | None],
        write: Callable[[Pair, Props], None],
        remove: Callable[[Pair], None],
    ) -> None:
        """Contacts and favours: counted one by one; REPLACE removes only this source's."""
        for key, props in wanted.items():
            found = stored.get(key)
            changed = self._log(logged(key, found.props if found else None, props))
            self.plan.counts.tally(found is None, changed)
            if changed:
                write(key, props)
        if self.mode is ImportMode.REPLACE:
            for key in sorted(stored.keys() - wanted.keys()):
                if stored[key].source == self.source:
                    self._log(logged(key, stored[key].props, None))
                    remove(key)
                    self.plan.counts.removed += 1
