"""Hypothesis strategies for random deals over the random account graphs of `tests/rules/strategies`.

Awkward cases on purpose: archived and unknown members, members with and without their own roles,
several handlers or none, competitors with the same name, scores and favours for competitors not
involved, contacts from reps of unknown competitors, equal weighted gaps and equal totals.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from service.rules.account_graph import AccountGraph
from service.rules.deals import (
    BurningIssue,
    BuyingCentreMember,
    Care,
    Competitor,
    CompetitorRep,
    CompetitorScore,
    Criterion,
    Deal,
    DealSnapshot,
    Favour,
    Involvement,
    Opportunity,
    RepContact,
    SalesStage,
    Scorecard,
    Ucv,
)
from service.rules.enums import AccountTier, BuyerType, BuyingRole, PortfolioClass
from service.rules.models import Stakeholder

from ..strategies import AS_OF, account_graphs

FLAG = st.sampled_from((None, False, True, True))
LIKELY = st.sampled_from((True, True, True, False))
RARE = st.sampled_from((True, False, False, False, False))
ROLES = st.none() | st.frozensets(st.sampled_from((BuyingRole.DECISION_MAKER, *BuyingRole)), max_size=2)
TYPES = st.none() | st.frozensets(st.sampled_from(list(BuyerType)), max_size=2)
COMPETITOR_NAMES = st.sampled_from(("X", "Y", "Z"))
WEIGHT = st.sampled_from((0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 1 / 3))
SCORE = st.integers(1, 5)
DAY = st.none() | st.integers(0, 3).map(lambda n: date(2024, 5, 1 + n))
VISITS = st.none() | st.sampled_from((0.0, 0.5, 1.0, 2.0, 4.0))
TEXT = st.none() | st.sampled_from(("", " ", "note"))
LAST_CONTACT = st.none() | st.sampled_from((0, 14, 15, 16, 29, 30, 31, 59, 60, 61, 90)).map(
    lambda d: AS_OF - timedelta(days=d)
)
"""Around every cadence (15, 30, 60 days before `AS_OF`), where off-by-one errors show."""


@st.composite
def members(draw: st.DrawFn, people: list[str]) -> tuple[BuyingCentreMember, ...]:
    chosen = [p for p in [*people, "ghost"] if draw(LIKELY)]
    return tuple(
        BuyingCentreMember(p, _roles(draw(ROLES)), _types(draw(TYPES)), draw(st.booleans()), draw(st.booleans()))
        for p in chosen
    )


def _roles(values: frozenset[BuyingRole] | None) -> tuple[BuyingRole, ...] | None:
    return None if values is None else tuple(sorted(values, key=lambda v: v.value))


def _types(values: frozenset[BuyerType] | None) -> tuple[BuyerType, ...] | None:
    return None if values is None else tuple(sorted(values, key=lambda v: v.value))


@st.composite
def opportunities(draw: st.DrawFn, people: list[str]) -> Opportunity:
    owner = draw(st.none() | st.sampled_from([*people, "ghost"]))
    issue = BurningIssue("B.I.", owner, draw(FLAG), draw(FLAG), draw(FLAG)) if draw(LIKELY) else None
    ucv = Ucv("UCV", draw(FLAG), None, draw(DAY), draw(DAY), draw(FLAG)) if draw(LIKELY) else None
    return Opportunity(
        id="opp",
        name="Deal",
        sales_stage=draw(st.sampled_from(list(SalesStage))),
        estimated_value=draw(st.none() | st.just(Decimal("100"))),
        currency="CNY",
        expected_close_date=draw(DAY),
        procurement_step=draw(st.integers(1, 12)) if draw(LIKELY) else None,
        burning_issue=issue,
        ucv=ucv,
    )


@st.composite
def scorecards(draw: st.DrawFn, competitors: list[str], people: list[str]) -> Scorecard:
    criteria = []
    for index in range(draw(st.integers(1, 5))):
        scored = draw(st.dictionaries(st.sampled_from(competitors), SCORE)) if competitors else {}
        cares = draw(st.dictionaries(st.sampled_from(people), st.integers(1, 5))) if people else {}
        criteria.append(
            Criterion(
                f"k{index % 4}",
                draw(WEIGHT),
                draw(SCORE),
                tuple(CompetitorScore(c, s) for c, s in scored.items()),
                tuple(Care(p, w) for p, w in cares.items()),
            )
        )
    return Scorecard(tuple(criteria))


@st.composite
def deals(draw: st.DrawFn) -> tuple[AccountGraph, DealSnapshot]:
    graph = draw(account_graphs())
    graph = replace(graph, people=tuple(replace(p, last_contact_at=draw(LAST_CONTACT)) for p in graph.people))
    people = [p.id for p in graph.people]
    graph = replace(graph, records={p: _record(draw, graph.account_id, p) for p in people})
    count = draw(st.sampled_from((0, 1, 2, 2, 3, 3)))
    competitors = [Competitor(f"c{i}", draw(COMPETITOR_NAMES)) for i in range(count)]
    ids = [c.id for c in competitors]
    rep_owners = [*ids, "c-unknown"]
    reps = [
        CompetitorRep(f"r{i}", draw(COMPETITOR_NAMES), draw(st.sampled_from(rep_owners)))
        for i in range(draw(st.integers(0, 3)))
    ]
    involved = {c: draw(st.booleans()) for c in ids if draw(LIKELY)}
    deal = Deal(
        opportunity=draw(opportunities(people)),
        buying_centre=draw(members(people)),
        competitors=tuple(Involvement(c, incumbent) for c, incumbent in involved.items()),
        scorecard=draw(scorecards(ids, people)) if draw(LIKELY) else None,
    )
    return graph, DealSnapshot(
        deal=deal,
        competitors=tuple(competitors),
        reps=tuple(reps),
        contacts=_contacts(draw, [r.id for r in reps], people),
        favours=_favours(draw, ids, people),
        account_tier=draw(st.none() | st.sampled_from(list(AccountTier))),
        portfolio_class=draw(st.none() | st.sampled_from(list(PortfolioClass))),
    )


def _record(draw: st.DrawFn, account_id: str, person_id: str) -> Stakeholder:
    return Stakeholder(person_id, account_id, "?", phone=draw(TEXT), email=draw(TEXT), notes=draw(TEXT))


def _contacts(draw: st.DrawFn, reps: list[str], people: list[str]) -> tuple[RepContact, ...]:
    if not reps or not people:
        return ()
    pairs = [(r, p) for r in reps for p in people if draw(RARE)]
    return tuple(RepContact(r, p, draw(VISITS), None, None, (), draw(st.none() | st.integers(1, 5))) for r, p in pairs)


def _favours(draw: st.DrawFn, competitors: list[str], people: list[str]) -> tuple[Favour, ...]:
    if not competitors or not people:
        return ()
    return tuple(Favour(p, c) for p in people for c in competitors if draw(RARE))
