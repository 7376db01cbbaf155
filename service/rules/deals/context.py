"""What every deal analytic starts from: the deal's view of the account and the deal's facts by id."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from service.rules.account_graph import AccountGraph
from service.rules.analytics.active_view import ActiveView, active_view
from service.rules.deals.model import BuyingCentreMember, Competitor, CompetitorRep, DealSnapshot, Favour, RepContact
from service.rules.deals.view import deal_view


@dataclass(frozen=True)
class DealContext:
    snapshot: DealSnapshot
    graph: AccountGraph
    """The deal's view of the account (`deal_view`)."""
    view: ActiveView
    members: dict[str, BuyingCentreMember]
    """Active members of the buying centre, by stakeholder id."""

    @cached_property
    def competitors(self) -> dict[str, Competitor]:
        return {competitor.id: competitor for competitor in self.snapshot.competitors}

    @cached_property
    def involved(self) -> list[str]:
        """The competitors involved in the deal (and known), once each, in the deal's order."""
        known = self.competitors
        return list(dict.fromkeys(i.competitor for i in self.snapshot.deal.competitors if i.competitor in known))

    @cached_property
    def incumbents(self) -> frozenset[str]:
        return frozenset(i.competitor for i in self.snapshot.deal.competitors if i.incumbent)

    @cached_property
    def reps(self) -> dict[str, CompetitorRep]:
        return {rep.id: rep for rep in self.snapshot.reps if rep.competitor in self.competitors}

    @cached_property
    def contacts_of(self) -> dict[str, list[RepContact]]:
        """Active stakeholder id -> the rep contacts with them (reps known)."""
        found: dict[str, list[RepContact]] = {}
        for contact in self.snapshot.contacts:
            if contact.rep in self.reps and contact.stakeholder in self.view.people:
                found.setdefault(contact.stakeholder, []).append(contact)
        return found

    @cached_property
    def favours_of(self) -> dict[str, list[Favour]]:
        """Active stakeholder id -> the competitors they favour (competitors known)."""
        found: dict[str, list[Favour]] = {}
        for favour in self.snapshot.favours:
            if favour.competitor in self.competitors and favour.stakeholder in self.view.people:
                found.setdefault(favour.stakeholder, []).append(favour)
        return found

    def competitor_name(self, competitor_id: str) -> str:
        return self.competitors[competitor_id].name

    def sorted_members(self) -> list[str]:
        return self.view.sorted_ids(self.members)


def deal_context(graph: AccountGraph, snapshot: DealSnapshot) -> DealContext:
    buying_centre = snapshot.deal.buying_centre
    graph_of_deal = deal_view(graph, buying_centre)
    view = active_view(graph_of_deal)
    members = {m.stakeholder: m for m in buying_centre if m.stakeholder in view.people}
    return DealContext(snapshot, graph_of_deal, view, members)
