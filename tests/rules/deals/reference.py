"""Brute-force references for the deal rules, written from DOMAIN.md ("Deals", items 19-22) and
independent of `service.rules.deals`; paths come from the account reference (`tests/rules/reference`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from service.rules.account_graph import AccountGraph, Person
from service.rules.deals import BuyingCentreMember, DealSnapshot, SalesStage
from service.rules.enums import AccountTier, BuyerType, BuyingRole, PortfolioClass, Stance

from ..reference import HOSTILE, SUPPORTIVE, TOL, Reference, influence, r9

STAGES = list(SalesStage)


def view_graph(graph: AccountGraph, buying_centre: tuple[BuyingCentreMember, ...]) -> AccountGraph:
    """Roles and types from the buying centre (None: the account's), none outside it."""
    by_id = {m.stakeholder: m for m in buying_centre}
    people = []
    for p in graph.people:
        m = by_id.get(p.id)
        if m is None:
            people.append(replace(p, buying_roles=frozenset(), buyer_types=frozenset()))
        else:
            roles = p.buying_roles if m.buying_roles is None else frozenset(m.buying_roles)
            types = p.buyer_types if m.buyer_types is None else frozenset(m.buyer_types)
            people.append(replace(p, buying_roles=roles, buyer_types=types))
    return AccountGraph(
        graph.account_id,
        tuple(people),
        graph.links,
        graph.ties,
        graph.reporting_lines,
        graph.circles,
        graph.memberships,
        graph.team,
        graph.coverage,
    )


class DealReference:
    def __init__(self, graph: AccountGraph, deal: DealSnapshot) -> None:
        self.deal = deal
        self.records = graph.records
        self.ref = Reference(view_graph(graph, deal.deal.buying_centre))
        self.people: dict[str, Person] = self.ref.people
        self.members = {m.stakeholder: m for m in deal.deal.buying_centre if m.stakeholder in self.people}
        self.competitors = {c.id: c for c in deal.competitors}
        self.involved = [i.competitor for i in deal.deal.competitors if i.competitor in self.competitors]
        self.reps = {r.id: r for r in deal.reps if r.competitor in self.competitors}
        self.contacts = [c for c in deal.contacts if c.rep in self.reps and c.stakeholder in self.people]
        self.favours = [f for f in deal.favours if f.competitor in self.competitors and f.stakeholder in self.people]

    def key(self, p: str) -> tuple[str, str]:
        return self.ref.key(p)

    def cname(self, c: str) -> tuple[str, str]:
        return (self.competitors[c].name, c)

    # --- item 19 ---------------------------------------------------------------------------
    def totals(self) -> list[tuple[str | None, float, tuple[str, ...]]]:
        card = self.deal.deal.scorecard
        if card is None:
            return []
        rows = []
        for supplier in [None, *self.involved]:
            total, unscored = Fraction(0), []
            for c in card.criteria:
                score = c.our_score if supplier is None else self._score(c, supplier)
                if score is None:
                    unscored.append(c.name)
                else:
                    total += Fraction(repr(c.weight)) * score
            rows.append((supplier, total, tuple(unscored)))
        rows.sort(key=lambda r: (-r[1], r[0] is not None, *(("", "") if r[0] is None else self.cname(r[0]))))
        return [(s, float(t), u) for s, t, u in rows]

    @staticmethod
    def _score(criterion: Any, competitor: str) -> int | None:
        return next((s.score for s in criterion.competitor_scores if s.competitor == competitor), None)

    def lost(self) -> list[tuple[int, int, list[tuple[str, int]], list[tuple[str, int, tuple[str, ...]]]]]:
        """(position, gap, [(competitor, score)], [(member, care, favours)]) per lost criterion."""
        card = self.deal.deal.scorecard
        if card is None:
            return []
        rows = []
        for position, c in enumerate(card.criteria):
            ahead = [(x, s) for x in self.involved if (s := self._score(c, x)) is not None and s > c.our_score]
            if not ahead:
                continue
            ahead.sort(key=lambda a: (-a[1], *self.cname(a[0])))
            gap = ahead[0][1] - c.our_score
            cares: dict[str, int] = {}
            for care in c.cares:
                if care.stakeholder in self.members:
                    cares[care.stakeholder] = max(cares.get(care.stakeholder, 0), care.weight)
            carers = sorted(cares, key=lambda p: (-cares[p] * influence(self.people[p]), *self.key(p)))
            rows.append(
                (
                    -Fraction(repr(c.weight)) * gap,
                    position,
                    gap,
                    ahead,
                    [(p, cares[p], self.favoured(p)) for p in carers],
                )
            )
        rows.sort(key=lambda r: (r[0], r[1]))
        return [(position, gap, ahead, carers) for _, position, gap, ahead, carers in rows]

    def favoured(self, p: str) -> tuple[str, ...]:
        return tuple(sorted({f.competitor for f in self.favours if f.stakeholder == p}, key=self.cname))

    # --- item 20 ---------------------------------------------------------------------------
    def role_holders(self) -> list[str]:
        return sorted((p for p in self.members if self.people[p].buying_roles), key=self.key)

    def opposing(self) -> list[str]:
        return [p for p in self.role_holders() if self.people[p].stance in HOSTILE]

    def ucv_met(self) -> list[bool] | None:
        ucv = self.deal.opportunity.ucv
        if ucv is None:
            return None
        in_time = bool(ucv.deliverable_by and ucv.customer_deadline and ucv.deliverable_by <= ucv.customer_deadline)
        return [ucv.measurable is True, ucv.unique is True, in_time, not self.opposing()]

    def gates(self) -> list[tuple[SalesStage, bool, list[str]]]:
        stage = STAGES.index(self.deal.opportunity.sales_stage)
        handlers = sorted((p for p, m in self.members.items() if m.handler), key=self.key)
        covered = [p for p in handlers if p in self.ref.covered]
        coaches = sorted((c[0] for c in self.ref.coaches() if c[1] and c[0] in self.members), key=self.key)
        held = {r for p in self.members for r in self.people[p].buying_roles}
        leads = sorted((p for p, m in self.members.items() if m.project_lead), key=self.key)
        unknown = [p for p in self.role_holders() if self.people[p].stance is Stance.UNKNOWN]
        all_gates = [
            (SalesStage.G, bool(handlers), handlers),
            (SalesStage.F, bool(covered), covered or handlers),
            (SalesStage.E, bool(coaches), coaches),
            (SalesStage.D, held == set(BuyingRole) and bool(leads), leads),
            (SalesStage.C, not unknown, unknown),
        ]
        return [g for g in all_gates if STAGES.index(g[0]) <= stage]

    def alignment(self) -> str | None:
        step, stage = self.deal.opportunity.procurement_step, STAGES.index(self.deal.opportunity.sales_stage)
        if step is None:
            return None
        if (step >= 7 and stage < STAGES.index(SalesStage.D)) or (step >= 10 and stage < STAGES.index(SalesStage.B)):
            return "AHEAD"
        if self.deal.opportunity.sales_stage in (SalesStage.A, SalesStage.S) and step < 9:
            return "BEHIND"
        return "ALIGNED"

    # --- item 21 ---------------------------------------------------------------------------
    def threats(self, hops: int) -> list[tuple[str, float, int, tuple[str, str] | None, float]]:
        leverage = self.ref.leverage(hops)
        rows = []
        for p in self.members:
            mine = [c for c in self.contacts if c.stakeholder == p]
            monthly = any(c.visits_per_month is not None and c.visits_per_month >= 1 for c in mine)
            if not monthly and not any(f.stakeholder == p for f in self.favours):
                continue
            strength = max((1 if c.strength is None else c.strength for c in mine), default=0)
            converter, converter_strength = self.converter(p, hops)
            rows.append((p, r9(leverage[p]), strength, converter, converter_strength))
        rows.sort(key=lambda r: (-r[1], -r[2], *self.key(r[0])))
        return rows

    def converter(self, p: str, hops: int) -> tuple[tuple[str, str] | None, float]:
        offers = []
        for s, other in self.people.items():
            if other.stance in SUPPORTIVE and s != p and (x := self.ref.strongest(s, p, hops)):
                offers.append((x[0], x[1], 0, other.name, s))
        for c in self.ref.coverage:
            if c.person == p:
                step = 3 if c.relationship_step is None else c.relationship_step
                offers.append((r9(step / 5), 1, 1, self.ref.team[c.team_member].name, c.team_member))
        if not offers:
            return None, 0.0
        best = min(offers, key=lambda o: (-o[0], o[1], o[2], o[3], o[4]))
        return (("STAKEHOLDER", "TEAM_MEMBER")[best[2]], best[4]), best[0]

    # --- item 22 ---------------------------------------------------------------------------
    def cadence(self) -> int:
        tier, portfolio = self.deal.account_tier, self.deal.portfolio_class
        days = {AccountTier.A: 15, AccountTier.B: 30, AccountTier.C: 60, None: 60}[tier]
        if portfolio is PortfolioClass.VOLCANO:
            days = min(days, 30)
        if portfolio is PortfolioClass.DOG:
            days = max(days, 60)
        return days

    def has(self, p: str, field: str) -> bool:
        record = self.records.get(p)
        value = getattr(record, field) if record else None
        return bool(value and value.strip())

    def completeness(self, as_of: datetime) -> tuple[list[bool], list[tuple[str, str | None, bool]]]:
        """Level 2 flags in order, and level 3 (item, person, met) in item order, then person name."""
        o = self.deal.opportunity
        deciders = sorted(
            (p for p in self.members if self.people[p].buying_roles & {BuyingRole.DECISION_MAKER, BuyingRole.APPROVER}),
            key=self.key,
        )
        dms = [p for p in self.members if BuyingRole.DECISION_MAKER in self.people[p].buying_roles]
        level_2 = [
            o.estimated_value is not None,
            o.expected_close_date is not None,
            any(self.has(p, "phone") or self.has(p, "email") for p in dms),
            o.procurement_step is not None,
            bool(self.involved),
        ]
        subjects = sorted(
            (p for p in self.members if p in deciders or BuyerType.TECHNICAL in self.people[p].buyer_types),
            key=self.key,
        )
        level_3: list[tuple[str, str | None, bool]] = [("BACKGROUND_NOTES", p, self.has(p, "notes")) for p in subjects]
        level_3 += [("PHONE", p, self.has(p, "phone")) for p in subjects]
        if len(deciders) >= 2:
            edges = {frozenset(e) for e in self.ref.digraph.edges} | {frozenset((t.a, t.b)) for t in self.ref.ties}
            level_3.append(
                (
                    "DECISION_MAKER_RELATIONS",
                    None,
                    any(frozenset((a, b)) in edges for a in deciders for b in deciders if a != b),
                )
            )
        if self.involved:
            worked = any(c.stakeholder in self.members for c in self.contacts) or any(
                f.stakeholder in self.members for f in self.favours
            )
            level_3.append(("COMPETITOR_RELATIONS", None, worked))
        keys = [p for p in self.members if self.ref.is_key(p)]
        if keys:
            since = as_of - timedelta(days=self.cadence())
            contacts = [self.people[p].last_contact_at for p in keys]
            met = all(at is not None and at >= since for at in contacts)
            level_3.append(("KEY_PERSON_INTERACTIONS", None, met))
        return level_2, level_3


__all__ = ["TOL", "DealReference", "view_graph"]
