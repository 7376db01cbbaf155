"""Deal sections from JSON (as the import document spells them) and their resolution into a
`DealSnapshot` with internal ids: what the import and the snapshot loader will do, for the tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from service.rules.deals import (
    BurningIssue,
    BuyClass,
    BuyingCentreMember,
    Care,
    Competitor,
    CompetitorRep,
    CompetitorScore,
    Criterion,
    Deal,
    DealSection,
    DealSnapshot,
    DecisionStage,
    Favour,
    Involvement,
    Opportunity,
    OpportunityStatus,
    RepContact,
    SalesStage,
    Scorecard,
    Ucv,
)
from service.rules.enums import AccountTier, BuyerType, BuyingRole, PortfolioClass

Json = Mapping[str, Any]


def section_from_json(doc: Json) -> DealSection:
    return DealSection(
        competitors=tuple(Competitor(c["externalId"], c["name"], c.get("origin")) for c in doc.get("competitors", [])),
        competitor_reps=tuple(
            CompetitorRep(r["externalId"], r["name"], r["competitor"]) for r in doc.get("competitorReps", [])
        ),
        competitor_contacts=tuple(_contact(c) for c in doc.get("competitorContacts", [])),
        favours=tuple(Favour(f["stakeholder"], f["competitor"], f.get("note")) for f in doc.get("favours", [])),
        opportunities=tuple(_deal(o) for o in doc.get("opportunities", [])),
    )


def _contact(c: Json) -> RepContact:
    return RepContact(
        c["rep"],
        c["stakeholder"],
        c.get("visitsPerMonth"),
        c.get("typicalMinutes"),
        c.get("form"),
        tuple(c.get("topics", [])),
        c.get("strength"),
    )


def _deal(o: Json) -> Deal:
    scorecard = o.get("scorecard")
    return Deal(
        opportunity=_opportunity(o),
        buying_centre=tuple(_member(m) for m in o.get("buyingCentre", [])),
        competitors=tuple(Involvement(i["competitor"], i.get("incumbent", False)) for i in o.get("competitors", [])),
        scorecard=None if scorecard is None else Scorecard(tuple(_criterion(c) for c in scorecard["criteria"])),
    )


def _optional(value: Any, make: Callable[[Any], Any]) -> Any:
    return None if value is None else make(value)


def _opportunity(o: Json) -> Opportunity:
    issue, ucv = o.get("burningIssue"), o.get("ucv")
    return Opportunity(
        id=o["externalId"],
        name=o["name"],
        sales_stage=SalesStage(o.get("salesStage", "G")),
        status=OpportunityStatus(o.get("status", "OPEN")),
        buy_class=_optional(o.get("buyClass"), BuyClass),
        estimated_value=_optional(o.get("estimatedValue"), Decimal),
        currency=o.get("currency"),
        expected_close_date=_optional(o.get("expectedCloseDate"), date.fromisoformat),
        procurement_step=o.get("procurementStep"),
        decision_stage=_optional(o.get("decisionStage"), DecisionStage),
        burning_issue=_optional(issue, _burning_issue),
        ucv=_optional(ucv, _ucv),
    )


def _burning_issue(b: Json) -> BurningIssue:
    return BurningIssue(b["text"], b.get("owner"), b.get("personal"), b.get("timeImmediate"), b.get("certain"))


def _ucv(u: Json) -> Ucv:
    return Ucv(
        u["text"],
        u.get("measurable"),
        u.get("metric"),
        _optional(u.get("deliverableBy"), date.fromisoformat),
        _optional(u.get("customerDeadline"), date.fromisoformat),
        u.get("unique"),
    )


def _member(m: Json) -> BuyingCentreMember:
    roles, types = m.get("buyingRoles"), m.get("buyerTypes")
    return BuyingCentreMember(
        m["stakeholder"],
        None if roles is None else tuple(BuyingRole(r) for r in roles),
        None if types is None else tuple(BuyerType(t) for t in types),
        m.get("handler", False),
        m.get("projectLead", False),
    )


def _criterion(c: Json) -> Criterion:
    return Criterion(
        c["name"],
        c["weight"],
        c["ourScore"],
        tuple(CompetitorScore(s["competitor"], s["score"]) for s in c.get("competitorScores", [])),
        tuple(Care(x["stakeholder"], x["weight"]) for x in c.get("cares", [])),
    )


def snapshot_of(
    section: DealSection,
    opportunity: str,
    ids: Callable[[str], str],
    tier: AccountTier | None = None,
    portfolio_class: PortfolioClass | None = None,
) -> DealSnapshot:
    """The snapshot of one opportunity of `section`, every external id mapped through `ids`."""
    deal = next(d for d in section.opportunities if d.opportunity.id == opportunity)
    return DealSnapshot(
        deal=_resolved_deal(deal, ids),
        competitors=tuple(replace(c, id=ids(c.id)) for c in section.competitors),
        reps=tuple(replace(r, id=ids(r.id), competitor=ids(r.competitor)) for r in section.competitor_reps),
        contacts=tuple(replace(c, rep=ids(c.rep), stakeholder=ids(c.stakeholder)) for c in section.competitor_contacts),
        favours=tuple(
            replace(f, stakeholder=ids(f.stakeholder), competitor=ids(f.competitor)) for f in section.favours
        ),
        account_tier=tier,
        portfolio_class=portfolio_class,
    )


def _resolved_deal(deal: Deal, ids: Callable[[str], str]) -> Deal:
    opportunity = deal.opportunity
    issue = opportunity.burning_issue
    if issue is not None and issue.owner is not None:
        opportunity = replace(opportunity, burning_issue=replace(issue, owner=ids(issue.owner)))
    scorecard = deal.scorecard
    return Deal(
        opportunity=replace(opportunity, id=ids(opportunity.id)),
        buying_centre=tuple(replace(m, stakeholder=ids(m.stakeholder)) for m in deal.buying_centre),
        competitors=tuple(replace(i, competitor=ids(i.competitor)) for i in deal.competitors),
        scorecard=None if scorecard is None else Scorecard(tuple(_resolved(c, ids) for c in scorecard.criteria)),
    )


def _resolved(criterion: Criterion, ids: Callable[[str], str]) -> Criterion:
    return replace(
        criterion,
        competitor_scores=tuple(replace(s, competitor=ids(s.competitor)) for s in criterion.competitor_scores),
        cares=tuple(replace(c, stakeholder=ids(c.stakeholder)) for c in criterion.cares),
    )
