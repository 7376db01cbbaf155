"""The deal rules against the brute-force references on small random deals."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.rules.account_graph import AccountGraph
from service.rules.analytics import coverage_gaps, leverage, neutrals_to_convert
from service.rules.deals import (
    Deal,
    DealSnapshot,
    Opportunity,
    SalesStage,
    competitor_threats,
    deal_view,
    information_completeness,
    qualification,
    scorecard,
)
from service.rules.enums import GapKind

from ..reference import Reference, r9
from ..strategies import AS_OF
from .reference import TOL, DealReference, view_graph
from .strategies import deals

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PERSON_GAPS = {
    GapKind.UNCOVERED_KEY_PERSON,
    GapKind.STALE_COVERAGE,
    GapKind.UNKNOWN_STANCE,
    GapKind.SINGLE_POINT_OF_FAILURE,
}
"""Gaps about a key person: with a deal, only its buying centre holds key persons."""
Case = tuple[AccountGraph, DealSnapshot]


@PROPERTY
@given(deals(), st.integers(1, 4))
def test_existing_analytics_read_roles_from_the_buying_centre(case: Case, hops: int) -> None:
    graph, deal = case
    view = deal_view(graph, deal.deal.buying_centre)
    expected = view_graph(graph, deal.deal.buying_centre)
    assert view.people == expected.people
    ref = Reference(expected)
    assert {p: r9(v) for p, v in leverage(view, hops).items()} == {p: r9(v) for p, v in ref.leverage(hops).items()}
    members = {m.stakeholder for m in deal.deal.buying_centre}
    # Key persons only among the members; every other gap as on the account with the deal's roles.
    gaps = [
        (g.kind, g.stakeholder or g.role or g.buyer_type or g.circle, r9(g.severity))
        for g in coverage_gaps(view, 60, AS_OF)
    ]
    assert gaps == [row for row in ref.gaps(60, AS_OF) if row[0] not in PERSON_GAPS or row[1] in members]
    assert [r.stakeholder for r in neutrals_to_convert(view, hops)[:100]] == [
        r[0] for r in ref.conversions(hops, *_neutral_args())[:100]
    ]


def _neutral_args() -> tuple[set, set, bool]:  # type: ignore[type-arg]
    from service.rules.enums import Stance

    return {Stance.NEUTRAL}, {Stance.SUPPORTER, Stance.MENTOR}, True


@PROPERTY
@given(deals())
def test_scorecard_matches_brute_force(case: Case) -> None:
    graph, deal = case
    ref = DealReference(graph, deal)
    result = scorecard(graph, deal)
    assert [(t.competitor, t.total, t.unscored) for t in result.totals] == ref.totals()
    criteria = deal.deal.scorecard.criteria if deal.deal.scorecard else ()
    names = [c.name for c in criteria]
    expected = [(names[position], gap, ahead, carers) for position, gap, ahead, carers in ref.lost()]
    actual = [
        (
            row.criterion,
            row.gap,
            [(a.competitor, a.score) for a in row.ahead],
            [(c.stakeholder, c.care, c.favours) for c in row.caring_members],
        )
        for row in result.lost_criteria
    ]
    assert actual == expected


@PROPERTY
@given(deals())
def test_qualification_matches_brute_force(case: Case) -> None:
    graph, deal = case
    ref = DealReference(graph, deal)
    result = qualification(graph, deal)
    issue = deal.opportunity.burning_issue
    if issue is None:
        assert not result.burning_issue.recorded
        assert result.burning_issue.checks == ()
    else:
        flags = [issue.personal is True, issue.time_immediate is True, issue.certain is True]
        assert [c.met for c in result.burning_issue.checks] == flags
        assert result.burning_issue.qualified == all(flags)
    ucv = ref.ucv_met()
    if ucv is None:
        assert not result.ucv.recorded
        assert result.ucv.checks == ()
    else:
        assert [c.met for c in result.ucv.checks] == ucv
        assert result.ucv.checks[3].stakeholders == tuple(ref.opposing())
        assert result.ucv.qualified == all(ucv)
    assert result.qualified == (result.burning_issue.qualified and result.ucv.qualified)
    assert [(g.stage, g.met, list(g.stakeholders)) for g in result.gates] == ref.gates()
    assert (result.alignment.value if result.alignment else None) == ref.alignment()


@pytest.mark.parametrize("stage", list(SalesStage))
@pytest.mark.parametrize("step", [None, *range(1, 13)])
def test_stage_alignment_for_every_stage_and_step(stage: SalesStage, step: int | None) -> None:
    graph = AccountGraph("acc")
    deal = DealSnapshot(Deal(Opportunity("o", "Deal", sales_stage=stage, procurement_step=step)))
    alignment = qualification(graph, deal).alignment
    assert (alignment.value if alignment else None) == DealReference(graph, deal).alignment()


@settings(PROPERTY, max_examples=300)
@given(deals(), st.integers(1, 4))
def test_competitor_threats_match_brute_force(case: Case, hops: int) -> None:
    graph, deal = case
    ref = DealReference(graph, deal)
    rows = competitor_threats(graph, deal, hops)
    actual = [
        (
            r.stakeholder,
            r9(r.leverage),
            r.contact_strength,
            (r.converter.kind.value, r.converter.id) if r.converter else None,
            r9(r.converter_strength),
        )
        for r in rows
    ]
    expected = ref.threats(hops)
    assert [row[:3] for row in actual] == [row[:3] for row in expected]
    for got, want in zip(actual, expected, strict=True):
        assert math.isclose(got[4], want[4], abs_tol=TOL)
        assert got[3] == want[3]


@PROPERTY
@given(deals())
def test_information_completeness_matches_brute_force(case: Case) -> None:
    graph, deal = case
    ref = DealReference(graph, deal)
    result = information_completeness(graph, deal, AS_OF)
    level_2, level_3 = ref.completeness(AS_OF)
    assert [c.met for c in result.checks if c.level == 2] == level_2
    actual_3 = [
        (c.item.value, c.stakeholders[0] if c.item.value in ("BACKGROUND_NOTES", "PHONE") else None, c.met)
        for c in result.checks
        if c.level == 3
    ]
    assert actual_3 == level_3
    assert (result.level_2.met, result.level_2.applicable) == (sum(level_2), 5)
    assert (result.level_3.met, result.level_3.applicable) == (sum(m for _, _, m in level_3), len(level_3))
    assert result.cadence_days == ref.cadence()
    assert math.isclose(result.score, (sum(level_2) + sum(m for _, _, m in level_3)) / (5 + len(level_3)))
    assert result.missing == tuple(c for c in result.checks if not c.met)
