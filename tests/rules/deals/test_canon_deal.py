"""The Canon Zhuhai demo deal (the deal sections of service/demo/canon-zhuhai.json) on the canon account: the seed's own case.

Stage E (提交初步方案, 25%): the quotation went to 唐军 on 3月2日; the sample technical test the
finance director asked for on 3月17日 (技术交流, D) is promised but not done. The customer sets its
technical criteria (procurement step 6, decision stage SET_CRITERIA): aligned with us.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from service.rules.account_graph import AccountGraph
from service.rules.analytics import coverage_gaps, leverage
from service.rules.deals import (
    DealSnapshot,
    InformationItem,
    QualificationCheck,
    SalesStage,
    StageAlignment,
    competitor_threats,
    deal_view,
    information_completeness,
    qualification,
    scorecard,
    validate_deal_section,
)
from service.rules.enums import GapKind

from ..canon import Canon, canon_document, internal_id
from .canon_deal import canon_deal, canon_graph_with_records, canon_section

CST = timezone(timedelta(hours=8))
AS_OF = datetime(2024, 3, 20, tzinfo=CST)
X, B = internal_id("c-x"), internal_id("c-b")


@pytest.fixture(scope="module")
def graph() -> AccountGraph:
    return canon_graph_with_records()


@pytest.fixture(scope="module")
def canon(graph: AccountGraph) -> Canon:
    return Canon(graph)


@pytest.fixture(scope="module")
def deal() -> DealSnapshot:
    return canon_deal()


def test_the_demo_deal_section_is_valid() -> None:
    stakeholders = [s["externalId"] for s in canon_document()["stakeholders"]]
    assert validate_deal_section(canon_section(), stakeholders) == []


def test_scorecard_reproduces_the_seed_totals_exactly(graph: AccountGraph, deal: DealSnapshot) -> None:
    totals = scorecard(graph, deal).totals
    # Exact, not approximate: 0.2 x 4 + 0.15 x 5 + ... on the weights as written.
    assert [(t.competitor, t.total, t.unscored) for t in totals] == [(None, 4.35, ()), (X, 3.85, ()), (B, 3.80, ())]
    assert [t.reason for t in totals] == [
        "Us: weighted total 4.35.",
        "X公司 (国外公司, incumbent): weighted total 3.85.",
        "B公司 (国内同行): weighted total 3.8.",
    ]


def test_scorecard_names_the_criteria_we_lose_and_who_cares(
    graph: AccountGraph, canon: Canon, deal: DealSnapshot
) -> None:
    lost = scorecard(graph, deal).lost_criteria
    assert [(row.criterion, row.gap) for row in lost] == [
        ("行业标准", 1),
        ("品牌", 1),
    ]  # equal weight x gap: matrix order
    assert [[(a.competitor, a.score) for a in row.ahead] for row in lost] == [[(X, 4)], [(B, 5), (X, 5)]]
    assert [
        [(canon.name(c.stakeholder), c.care, c.influence, c.favours) for c in row.caring_members] for row in lost
    ] == [
        [("何志远", 5, 3, ())],
        [("周敏", 4, 4, (X,))],
    ]
    assert [row.reason for row in lost] == [
        "行业标准 (weight 0.1): we score 3, behind X公司 4. Who cares: 何志远 (技术部经理), care 5/5, influence 3/5.",
        "品牌 (weight 0.1): we score 4, behind B公司 5, X公司 5. "
        "Who cares: 周敏 (财务总监), care 4/5, influence 4/5, favours X公司.",
    ]


def test_qualification_says_why_the_deal_is_not_qualified(
    graph: AccountGraph, canon: Canon, deal: DealSnapshot
) -> None:
    result = qualification(graph, deal)
    assert not result.qualified
    assert [(c.check, c.met) for c in result.burning_issue.checks] == [
        (QualificationCheck.PERSONAL, True),
        (QualificationCheck.TIME_IMMEDIATE, False),
        (QualificationCheck.CERTAIN, False),
    ]
    assert [c.check for c in result.ucv.failing] == [
        QualificationCheck.MEASURABLE,
        QualificationCheck.UNIQUE,
        QualificationCheck.DELIVERABLE_BY_DEADLINE,
        QualificationCheck.NOT_OPPOSED,
    ]
    assert canon.names(result.ucv.failing[-1].stakeholders) == ["周敏", "林涛"]
    assert result.reason == (
        "Not qualified. The B.I. of 唐军 (办公室主任) is not qualified: time-immediate: unknown, certain: unknown. "
        "The UCV is not qualified: measurable: no; unique: unknown; deliverable by the deadline: unknown "
        "(our delivery date and the customer's deadline not recorded); "
        "opposed on the decision chain by 周敏 (财务总监): OPPONENT, 林涛 (采购部经理): ENEMY."
    )


def test_stage_gates_and_alignment(graph: AccountGraph, canon: Canon, deal: DealSnapshot) -> None:
    result = qualification(graph, deal)
    assert [(g.stage, g.met, canon.names(g.stakeholders)) for g in result.gates] == [
        (SalesStage.G, True, ["唐军"]),  # the handler
        (SalesStage.F, True, ["唐军"]),  # covered by 张华
        (SalesStage.E, True, ["王磊"]),  # a qualified coach: breadth 4, influence 3, SUPPORTER
    ]
    assert result.alignment is StageAlignment.ALIGNED
    assert (
        result.alignment_reason == "The customer is at step 6 (建立技术标准), we are at E (提交初步方案, 25%): aligned."
    )


def test_competitor_threats_put_the_finance_director_first(
    graph: AccountGraph, canon: Canon, deal: DealSnapshot
) -> None:
    rows = competitor_threats(graph, deal)
    # Leverage toward 山田浩二: 周敏 5/5 = 1; 林涛→周敏→GM 3/5 x 5/5; 何志远→孙丽→周敏→GM 3/5 x 3/5 x 5/5
    assert [(canon.name(r.stakeholder), round(r.leverage, 9), r.contact_strength) for r in rows] == [
        ("周敏", 1.0, 5),
        ("林涛", 0.6, 1),  # unrated contact: counts as 1
        ("何志远", 0.36, 1),
    ]
    assert [r.competitors for r in rows] == [(X,), (X,), (B,)]
    assert canon.names(node.id for node in rows[0].path) == ["王磊", "孙丽", "周敏"]
    assert [r.reason for r in rows] == [
        "周敏 (财务总监), leverage 1: favours X公司 (三年前选择了X公司钢铁); "
        "X公司's rep 田中 meets them 1×/month, 120 min, 商务宴请, on 续约, 价格, strength 5/5. "
        "To win them back, use 王磊: 王磊 (生产部经理) reaches 周敏 in 2 hops: 王磊 → 孙丽 → 周敏, 2/5 × 3/5 = 0.24.",
        "林涛 (采购部经理), leverage 0.6: favours X公司 (与X公司的田中来往密切, 与财务总监结盟维持X公司); "
        "X公司's rep 田中 meets them 4×/month, 拜访, on 订单, 交货, strength unrated. "
        "Nobody who supports us reaches them yet.",
        "何志远 (技术部经理), leverage 0.36: B公司's rep 赵刚 meets them 2×/month, 技术交流, on 行业标准, "
        "strength unrated. Nobody who supports us reaches them yet.",
    ]


def test_information_completeness(graph: AccountGraph, canon: Canon, deal: DealSnapshot) -> None:
    result = information_completeness(graph, deal, AS_OF)
    assert (result.level_2.met, result.level_2.applicable, result.level_3.met, result.level_3.applicable) == (
        2,
        5,
        3,
        11,
    )
    assert result.score == 5 / 16
    assert result.cadence_days == 60  # tier C
    missing = [(c.level, c.item, canon.names(c.stakeholders)) for c in result.missing]
    assert missing == [
        (2, InformationItem.BUDGET_KNOWN, []),
        (2, InformationItem.CLOSE_DATE, []),
        (2, InformationItem.DECISION_MAKER_CONTACT, ["山田浩二"]),
        (3, InformationItem.BACKGROUND_NOTES, ["何志远"]),
        (3, InformationItem.BACKGROUND_NOTES, ["孙丽"]),
        (3, InformationItem.BACKGROUND_NOTES, ["山田浩二"]),
        (3, InformationItem.PHONE, ["何志远"]),
        (3, InformationItem.PHONE, ["周敏"]),
        (3, InformationItem.PHONE, ["孙丽"]),
        (3, InformationItem.PHONE, ["山田浩二"]),
        (3, InformationItem.KEY_PERSON_INTERACTIONS, ["何志远", "周敏", "孙丽", "山田浩二"]),
    ]


def test_account_analytics_on_the_deal_view(graph: AccountGraph, canon: Canon, deal: DealSnapshot) -> None:
    view = deal_view(graph, deal.deal.buying_centre)
    assert deal_view(graph, deal.deal.buying_centre) is view  # kept with the snapshot
    assert leverage(view)[canon.id("周敏")] == pytest.approx(1.0)
    uncovered = [
        canon.name(g.stakeholder or "")
        for g in coverage_gaps(view, 60, AS_OF)
        if g.kind is GapKind.UNCOVERED_KEY_PERSON
    ]
    # 刘建华 and 郑雪 (influence 4) are key persons of the account, but outside this buying centre.
    assert sorted(uncovered) == sorted(["山田浩二", "周敏", "孙丽", "何志远"])
    account_uncovered = {
        canon.name(g.stakeholder or "")
        for g in coverage_gaps(graph, 60, AS_OF)
        if g.kind is GapKind.UNCOVERED_KEY_PERSON
    }
    assert {"刘建华", "郑雪"} <= account_uncovered
