"""Rules 13 to 17 (DOMAIN.md "Analytics v2") on the demo account and on small hand-made cases, with
every expected value derived by hand. GM = 山田浩二; 张华 covers 唐军 (step 3); 刘洋 covers 王磊 and
赵强 (step 2); 唐军 (supporter) reports to the GM and influences 周敏 (1/5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import networkx as nx
import pytest

from service.rules.account_graph import AccountGraph, Coverage, Person, TeamMember, Tie
from service.rules.analytics import (
    AnalyticsInputError,
    NodeRef,
    access_paths,
    betweenness,
    brokers,
    cadence_days,
    contact_due_dates,
    coverage_gaps,
    due_interval_days,
    neutrals_to_convert,
    overdue_contacts,
    simulate,
    simulate_after,
)
from service.rules.enums import AccountTier, ContactTier, GapKind, PortfolioClass, Stance, TieKind

from .canon import Canon, canon_graph
from .test_canon import AFTER_LAST_VISIT, CST, RED, approx


@pytest.fixture(scope="module")
def canon() -> Canon:
    return Canon(canon_graph())


# --- rule 13 -----------------------------------------------------------------------------------
def test_the_access_path_to_the_general_manager_goes_through_tang_jun(canon: Canon) -> None:
    rows = access_paths(canon.graph, canon.id("山田浩二"))
    assert [(canon.name(r.team_member), r.strength, r.hops) for r in rows] == [("张华", approx(0.36), 2)]
    assert rows[0].path == (
        NodeRef.team_member(canon.team_id("张华")),
        NodeRef.stakeholder(canon.id("唐军")),
        NodeRef.stakeholder(canon.id("山田浩二")),
    )
    assert rows[0].reason == "张华 covers 唐军 3/5; 唐军 reports to 山田浩二 3/5: strength 0.36."


def test_a_manager_who_supports_us_introduces_us_to_a_subordinate(canon: Canon) -> None:
    """王磊 (supporter) manages 赵强; were 赵强 not covered, 刘洋 → 王磊 → 赵强 would be 2/5 x 3/5."""
    coverage = tuple(c for c in canon.graph.coverage if c.person != canon.id("赵强"))
    rows = access_paths(replace(canon.graph, coverage=coverage), canon.id("赵强"))
    # the influence link 赵强→王磊 (2/5) is weaker than the reporting line (3/5)
    assert [(canon.name(r.team_member), r.strength) for r in rows] == [("刘洋", approx(0.24))]
    assert rows[0].reason == "刘洋 covers 王磊 2/5; 王磊 manages 赵强 3/5: strength 0.24."


# --- rule 15 -----------------------------------------------------------------------------------
def test_tang_jun_is_the_single_point_of_failure_to_the_finance_director(canon: Canon) -> None:
    gaps = coverage_gaps(canon.graph, as_of=AFTER_LAST_VISIT)
    single = {g.subject_name: g for g in gaps if g.kind is GapKind.SINGLE_POINT_OF_FAILURE}
    cfo = single["周敏"]
    assert cfo.stakeholder == canon.id("周敏")
    assert cfo.single_point == NodeRef.stakeholder(canon.id("唐军"))
    assert cfo.severity == approx(1.0)  # 周敏 → GM 5/5
    assert cfo.reason == (
        "周敏 (财务总监) is a key person (APPROVER, influence 4/5, core of 红色圈 财务-行政圈, VIP contact tier); "
        "every warm route we have to them starts at our 张华 and goes through 唐军 (办公室主任): 张华 → 唐军 → 周敏."
    )
    assert cfo.suggestion == (
        "Open a second route to 周敏 that does not depend on 唐军: cover 周敏 directly, or win a supporter "
        "who reaches them another way."
    )
    assert {name: canon.name(g.single_point.id) for name, g in single.items() if g.single_point} == {
        "周敏": "唐军",
        "山田浩二": "唐军",
        "刘建华": "王磊",  # 刘洋 → 王磊 → 刘建华, or via 赵强 → 王磊
        "孙丽": "王磊",
        "王磊": "刘洋",  # covered by 刘洋 only; 赵强 → 王磊 starts at 刘洋 too
    }
    assert single["王磊"].reason.endswith("only our 刘洋 has a warm route to them: 刘洋 → 王磊.")


def test_a_second_route_removes_the_single_point_of_failure(canon: Canon) -> None:
    """陈伟 covering 周敏 directly is a route that avoids 唐军 and starts at another team member."""
    coverage = (*canon.graph.coverage, Coverage(canon.team_id("陈伟"), canon.id("周敏"), 2))
    gaps = coverage_gaps(replace(canon.graph, coverage=coverage), as_of=AFTER_LAST_VISIT)
    single = {g.subject_name for g in gaps if g.kind is GapKind.SINGLE_POINT_OF_FAILURE}
    assert "周敏" not in single
    assert "山田浩二" in single  # 周敏 is an opponent: she introduces nobody, so the GM still hangs on 唐军


def _chain_account() -> AccountGraph:
    """T covers A. A - X - K is 3 hops from T; A - B - C - D - K, avoiding X, is 5. All supporters."""
    names = ["A", "B", "C", "D", "X"]
    people = [Person(n, n, stance=Stance.SUPPORTER) for n in names]
    people.append(Person("K", "K", stance=Stance.NEUTRAL, influence=5))
    pairs = [("A", "X"), ("X", "K"), ("A", "B"), ("B", "C"), ("C", "D"), ("D", "K")]
    return AccountGraph(
        "chain",
        people=tuple(people),
        ties=tuple(Tie(TieKind.KNOWS, a, b) for a, b in pairs),
        team=(TeamMember("T", "T"),),
        coverage=(Coverage("T", "A"),),
    )


def test_the_hop_bound_decides_who_lies_on_every_route() -> None:
    """Within 4 hops every route passes X; a dominator tree (no hop bound) would name A alone."""
    gaps = [
        g for g in coverage_gaps(_chain_account(), as_of=AFTER_LAST_VISIT) if g.kind is GapKind.SINGLE_POINT_OF_FAILURE
    ]
    assert [(g.stakeholder, g.single_point) for g in gaps] == [("K", NodeRef.stakeholder("X"))]
    assert gaps[0].reason == (
        "K is a key person (influence 5/5); every warm route we have to them starts at our T and goes "
        "through A, then X: T → A → X → K."
    )


# --- rule 16 -----------------------------------------------------------------------------------
def test_brokers_bridge_the_two_circles(canon: Canon) -> None:
    rows = brokers(canon.graph)
    assert [(canon.name(r.stakeholder), r.covered) for r in rows] == [
        ("周敏", False),
        ("孙丽", False),
        ("刘建华", False),
        ("山田浩二", False),
        ("王磊", True),
        ("何志远", False),  # 何志远 and 吴芳 tie (0.133); influence 3 beats 2
        ("吴芳", False),
        ("郑雪", False),
        ("唐军", True),
        ("林涛", False),
        ("李娜", False),
    ]  # 许静, 赵强, 陈静, 黄晓东, 高远: leaves, betweenness 0
    network = nx.Graph()
    network.add_nodes_from(p.id for p in canon.graph.people)
    network.add_edges_from((source, target) for source, target, _ in canon.graph.links)
    network.add_edges_from((x.a, x.b) for x in canon.graph.ties)
    network.add_edges_from((x.person, x.manager) for x in canon.graph.reporting_lines)
    expected = nx.betweenness_centrality(network, normalized=True)
    assert betweenness(canon.graph) == {p: approx(v) for p, v in expected.items()}
    assert rows[0].reason == (
        "周敏 (财务总监) bridges the account: betweenness 0.331, linked to 6 people across 2 circle(s); "
        "nobody on our team covers them: a broker we do not reach."
    )
    assert rows[4].reason.endswith("we cover them (刘洋).")
    assert len(brokers(canon.graph)[:3]) == 3


# --- rule 14 -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tier", "portfolio_class", "days"),
    [
        (AccountTier.A, None, 15),
        (AccountTier.B, None, 30),
        (AccountTier.C, None, 60),
        (None, None, 60),
        (AccountTier.C, PortfolioClass.VOLCANO, 30),
        (AccountTier.A, PortfolioClass.VOLCANO, 15),
        (AccountTier.A, PortfolioClass.DOG, 60),
        (AccountTier.C, PortfolioClass.DOG, 60),
        (AccountTier.B, PortfolioClass.COW, 30),
        (AccountTier.B, PortfolioClass.STAR, 30),
    ],
)
def test_cadence(tier: AccountTier | None, portfolio_class: PortfolioClass | None, days: int) -> None:
    assert cadence_days(tier, portfolio_class) == days


def test_due_interval() -> None:
    assert [due_interval_days(15, tier) for tier in (*ContactTier, None)] == [None, 15, 7, 7, 15]
    assert due_interval_days(30, ContactTier.VIP) == 15


def test_overdue_contacts_of_a_tier_a_account(canon: Canon) -> None:
    """Tier A: every 15 days; VIP and FREQUENT every 7; 许静 (NONE) never. As of 2024-03-20."""
    graph = replace(canon.graph, tier=AccountTier.A)
    rows = list(overdue_contacts(graph, as_of=AFTER_LAST_VISIT))
    assert [(canon.name(r.stakeholder), r.due_interval_days, r.days_overdue) for r in rows] == [
        # never met, by leverage: 周敏 and the GM 1 (周 U+5468 < 山 U+5C71), then 0.8, 0.6 ...
        ("周敏", 7, None),
        ("山田浩二", 7, None),
        ("刘建华", 7, None),
        ("孙丽", 7, None),  # 0.6; 孙 U+5B59 < 林 U+6797
        ("林涛", 7, None),
        ("郑雪", 7, None),  # 0.48
        ("吴芳", 15, None),  # LIGHT; 0.4, 吴 U+5434 < 李 U+674E
        ("李娜", 7, None),
        ("何志远", 7, None),  # 0.36
        ("陈静", 15, None),  # 0.24
        ("高远", 15, None),  # 0.08
        ("黄晓东", 15, None),  # 0
        ("王磊", 7, 14),  # FREQUENT; met 02-27 10:00, due 03-05 10:00, 14 days 14 hours before 03-20
        ("赵强", 15, 6),  # LIGHT; due 03-13 10:00
    ]  # 唐军 (FREQUENT) met 03-17: due 03-24; 许静: contact tier NONE
    assert rows[0].reason == (
        "周敏 (财务总监) is due every 7 days (tier A account: visit every 15 days, halved for a VIP contact); "
        "we have never met them."
    )
    assert rows[-2].reason == (
        "王磊 (生产部经理) is due every 7 days (tier A account: visit every 15 days, halved for a FREQUENT "
        "contact); last contact 2024-02-27, 14 day(s) overdue."
    )
    assert rows[-2].last_contact_at == datetime(2024, 2, 27, 10, tzinfo=CST)
    assert [canon.name(r.stakeholder) for r in overdue_contacts(graph, as_of=AFTER_LAST_VISIT)[:2]] == [
        "周敏",
        "山田浩二",
    ]


def test_a_dog_account_is_due_every_two_months(canon: Canon) -> None:
    graph = replace(canon.graph, tier=AccountTier.A, portfolio_class=PortfolioClass.DOG)
    rows = list(overdue_contacts(graph, as_of=AFTER_LAST_VISIT))
    assert all(r.last_contact_at is None for r in rows)  # 王磊 now due every 30 days, 赵强 every 60
    assert rows[0].reason.startswith("周敏 (财务总监) is due every 30 days (tier A account, DOG: visit every 60 days")


def test_due_dates(canon: Canon) -> None:
    due = contact_due_dates(replace(canon.graph, tier=AccountTier.A))
    tang = due[canon.id("唐军")]
    assert (tang.due_interval_days, tang.due_at) == (7, datetime(2024, 3, 24, 2, tzinfo=UTC))  # 03-17 10:00 +08
    assert due[canon.id("许静")].due_interval_days is None
    assert due[canon.id("周敏")].due_at is None  # never met: due at once
    assert due[canon.id("周敏")].due_interval_days == 7
    assert contact_due_dates(canon.graph)[canon.id("唐军")].due_interval_days == 30  # tier C: 60, halved


# --- rule 17 -----------------------------------------------------------------------------------
def test_simulating_a_neutral_cfo(canon: Canon) -> None:
    changes = {canon.id("周敏"): Stance.NEUTRAL}
    result = simulate_after(canon.graph, changes, as_of=AFTER_LAST_VISIT)
    assert result.counts == simulate(canon.graph, changes)
    # 周敏 (leverage 1) becomes a neutral to win: best converter 王磊 → 孙丽 → 周敏, 2/5 x 3/5 = 0.24
    # (唐军 → 周敏 is only 1/5); after the GM (leverage 1, converter 0.64).
    converts = [
        (canon.name(r.stakeholder), canon.name(r.converter.id) if r.converter else None, r.converter_strength)
        for r in result.neutrals_to_convert[:2]
    ]
    assert converts == [("山田浩二", "王磊", approx(0.64)), ("周敏", "王磊", approx(0.24))]
    red = next(c for c in result.power_map.circles if c.circle == canon.circle_id(RED))
    assert red.stance_balance == approx(-4 / 21)  # 周敏, influence 4: from -1 to 0
    cfo_gaps = [g for g in result.coverage_gaps if g.subject_name == "周敏"]
    assert [g.kind for g in cfo_gaps] == [GapKind.UNCOVERED_KEY_PERSON, GapKind.SINGLE_POINT_OF_FAILURE]
    assert "win them over through a supporter" in cfo_gaps[0].suggestion
    # nothing written: the demo snapshot still has 周敏 as an opponent
    assert canon.id("周敏") not in {r.stakeholder for r in neutrals_to_convert(canon.graph)}
    assert canon.graph.people == canon_graph().people


def test_simulate_after_names_the_bad_change(canon: Canon) -> None:
    with pytest.raises(AnalyticsInputError) as error:
        simulate_after(canon.graph, [(canon.id("周敏"), Stance.NEUTRAL), ("nobody", Stance.MENTOR)])
    assert error.value.field == "changes.1.stakeholder"


def test_as_of_defaults_to_now() -> None:
    graph = AccountGraph("one", people=(Person("p", "P", last_contact_at=datetime.now(UTC) - timedelta(days=59)),))
    assert list(overdue_contacts(graph)) == []  # no tier: every 60 days
    assert [r.days_overdue for r in overdue_contacts(graph, as_of=datetime.now(UTC) + timedelta(days=2))] == [1]
