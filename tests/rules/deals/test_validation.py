"""Deal input checks: every problem named by its input path, nothing raised."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from service.rules.deals import (
    BurningIssue,
    BuyingCentreMember,
    Care,
    Competitor,
    CompetitorRep,
    CompetitorScore,
    Criterion,
    Deal,
    DealSection,
    Favour,
    Involvement,
    Opportunity,
    RepContact,
    Scorecard,
    Ucv,
    validate_buying_centre,
    validate_buying_centre_member,
    validate_competitor,
    validate_competitor_rep,
    validate_deal_section,
    validate_favour,
    validate_involvements,
    validate_opportunity,
    validate_rep_contact,
    validate_scorecard,
)
from service.rules.enums import ErrorCode
from service.rules.validation import Problem

from .canon_deal import canon_section

SEED = Scorecard(tuple(c for c in canon_section().opportunities[0].scorecard.criteria))  # type: ignore[union-attr]


def paths(problems: list[Problem]) -> list[tuple[tuple[str, ...], ErrorCode]]:
    return [(p.path, p.code) for p in problems]


def test_a_valid_opportunity_has_no_problems() -> None:
    opportunity = Opportunity(
        "o1",
        "Deal",
        estimated_value=Decimal("2400000"),
        currency="CNY",
        expected_close_date=date(2024, 9, 30),
        procurement_step=12,
        burning_issue=BurningIssue("pain", "s1", True, True, True),
        ucv=Ucv("value", True, "hours to fix", date(2024, 5, 1), date(2024, 6, 1), True),
    )
    assert validate_opportunity(opportunity, {"s1"}) == []
    assert opportunity.win_probability == 10


def test_opportunity_problems_name_their_fields() -> None:
    opportunity = Opportunity(
        "o1",
        " ",
        estimated_value=Decimal("-1"),
        procurement_step=13,
        burning_issue=BurningIssue("", "ghost"),
        ucv=Ucv("v", metric="m" * 201),
    )
    assert paths(validate_opportunity(opportunity, {"s1"})) == [
        (("name",), ErrorCode.INVALID),
        (("estimatedValue",), ErrorCode.INVALID),
        (("currency",), ErrorCode.INVALID),
        (("procurementStep",), ErrorCode.INVALID),
        (("burningIssue", "text"), ErrorCode.INVALID),
        (("burningIssue", "owner"), ErrorCode.NOT_FOUND),
        (("ucv", "metric"), ErrorCode.INVALID),
    ]
    bad_currency = dataclasses.replace(Opportunity("o1", "Deal"), currency="rmb")
    assert validate_opportunity(bad_currency) == [
        Problem(("currency",), "currency must be an ISO 4217 code such as CNY, got 'rmb'.")
    ]
    not_finite = Opportunity("o1", "Deal", estimated_value=Decimal("NaN"), currency="CNY")
    assert paths(validate_opportunity(not_finite)) == [(("estimatedValue",), ErrorCode.INVALID)]


def test_buying_centre_members_must_be_the_accounts_and_once_each() -> None:
    assert paths(validate_buying_centre_member(BuyingCentreMember("ghost"), {"s1"})) == [
        (("stakeholder",), ErrorCode.NOT_FOUND)
    ]
    members = (BuyingCentreMember("s1"), BuyingCentreMember("s2"), BuyingCentreMember("s1", handler=True))
    assert paths(validate_buying_centre(members, {"s1"})) == [
        (("2", "stakeholder"), ErrorCode.CONFLICT),
        (("1", "stakeholder"), ErrorCode.NOT_FOUND),
    ]


def test_competitors_reps_contacts_and_favours() -> None:
    assert paths(validate_competitor(Competitor("c1", "", "x" * 201))) == [
        (("name",), ErrorCode.INVALID),
        (("origin",), ErrorCode.INVALID),
    ]
    assert paths(validate_competitor_rep(CompetitorRep("r1", "田中", "ghost"), {"c1"})) == [
        (("competitor",), ErrorCode.NOT_FOUND)
    ]
    contact = RepContact("ghost", "s9", -1.0, 0, "f" * 201, ("ok", " "), 6)
    assert paths(validate_rep_contact(contact, {"r1"}, {"s1"})) == [
        (("rep",), ErrorCode.NOT_FOUND),
        (("stakeholder",), ErrorCode.NOT_FOUND),
        (("visitsPerMonth",), ErrorCode.INVALID),
        (("typicalMinutes",), ErrorCode.INVALID),
        (("form",), ErrorCode.INVALID),
        (("strength",), ErrorCode.INVALID),
        (("topics", "1"), ErrorCode.INVALID),
    ]
    assert validate_rep_contact(RepContact("r1", "s1", float("inf"))) == [
        Problem(("visitsPerMonth",), "visitsPerMonth must be between 0 and 100, got inf.")
    ]
    assert paths(validate_favour(Favour("s1", "ghost", "n" * 10_001), {"c1"}, {"s1"})) == [
        (("competitor",), ErrorCode.NOT_FOUND),
        (("note",), ErrorCode.INVALID),
    ]
    involvements = (Involvement("c1", True), Involvement("ghost"), Involvement("c1"))
    assert paths(validate_involvements(involvements, {"c1"})) == [
        (("2", "competitor"), ErrorCode.CONFLICT),
        (("1", "competitor"), ErrorCode.NOT_FOUND),
    ]


def test_the_seed_scorecard_is_valid() -> None:
    assert (
        validate_scorecard(SEED, {"c-x", "c-b"}, {"p-gm", "p-cfo", "p-proc", "p-tech", "p-qc", "p-prod", "p-tangjun"})
        == []
    )


def test_weights_that_do_not_sum_to_one_name_the_field() -> None:
    short = Scorecard((*SEED.criteria[:-1], dataclasses.replace(SEED.criteria[-1], weight=0.1)))
    assert validate_scorecard(short) == [Problem(("criteria",), "the criteria's weights must sum to 1, got 0.95.")]
    thirds = Scorecard(tuple(Criterion(f"k{i}", 1 / 3, 3) for i in range(3)))
    assert validate_scorecard(thirds) == []  # 0.9999999999999999: within 1e-9


def test_scorecard_problems_name_their_fields() -> None:
    card = Scorecard(
        (
            Criterion("价格", 0.5, 0, (CompetitorScore("c-x", 6), CompetitorScore("c-z", 3)), (Care("ghost", 0),)),
            Criterion(
                "价格", 0.0, 3, (CompetitorScore("c-x", 3), CompetitorScore("c-x", 4)), (Care("s1", 5), Care("s1", 4))
            ),
        )
    )
    assert paths(validate_scorecard(card, {"c-x"}, {"s1"})) == [
        (("criteria", "1", "name"), ErrorCode.CONFLICT),
        (("criteria", "0", "ourScore"), ErrorCode.INVALID),
        (("criteria", "0", "competitorScores", "0", "score"), ErrorCode.INVALID),
        (("criteria", "0", "competitorScores", "1", "competitor"), ErrorCode.NOT_FOUND),
        (("criteria", "0", "cares", "0", "stakeholder"), ErrorCode.NOT_FOUND),
        (("criteria", "0", "cares", "0", "weight"), ErrorCode.INVALID),
        (("criteria", "1", "weight"), ErrorCode.INVALID),
        (("criteria", "1", "competitorScores", "1", "competitor"), ErrorCode.CONFLICT),
        (("criteria", "1", "cares", "1", "stakeholder"), ErrorCode.CONFLICT),
    ]  # no sum check while a weight itself is wrong
    assert paths(validate_scorecard(Scorecard())) == [(("criteria",), ErrorCode.INVALID)]
    many = Scorecard(tuple(Criterion(f"k{i}", 0.01, 3) for i in range(51)))
    assert paths(validate_scorecard(many)) == [(("criteria",), ErrorCode.LIMIT_EXCEEDED)]


def test_the_import_section_reports_document_paths() -> None:
    seed = canon_section()
    deal = seed.opportunities[0]
    broken = Deal(
        dataclasses.replace(deal.opportunity, procurement_step=0),
        (*deal.buying_centre, BuyingCentreMember("p-nobody")),
        (*deal.competitors, Involvement("c-nobody")),
        Scorecard((dataclasses.replace(deal.scorecard.criteria[0], weight=0.5), *deal.scorecard.criteria[1:])),  # type: ignore[union-attr]
    )
    section = DealSection(
        competitors=(*seed.competitors, Competitor("c-x", "again")),
        competitor_reps=(CompetitorRep("", "田中", "c-x"),),
        competitor_contacts=(RepContact("r-nobody", "p-cfo"),),
        favours=(Favour("p-cfo", "c-x"), Favour("p-cfo", "c-x")),
        opportunities=(broken, deal),
    )
    stakeholders = {m.stakeholder for m in deal.buying_centre}
    assert paths(validate_deal_section(section, stakeholders)) == [
        (("competitors", "2", "externalId"), ErrorCode.CONFLICT),
        (("competitorReps", "0", "externalId"), ErrorCode.INVALID),
        (("competitorContacts", "0", "rep"), ErrorCode.NOT_FOUND),
        (("favours", "1", "competitor"), ErrorCode.CONFLICT),
        (("opportunities", "1", "externalId"), ErrorCode.CONFLICT),
        (("opportunities", "0", "procurementStep"), ErrorCode.INVALID),
        (("opportunities", "0", "buyingCentre", "8", "stakeholder"), ErrorCode.NOT_FOUND),
        (("opportunities", "0", "competitors", "2", "competitor"), ErrorCode.NOT_FOUND),
        (("opportunities", "0", "scorecard", "criteria"), ErrorCode.INVALID),
    ]
    assert DealSection().empty
    assert not section.empty
