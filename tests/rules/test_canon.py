"""The analytics on the demo account (canon-zhuhai.json), with every expected value derived by hand
from DOMAIN.md. Notation: w = strength/5; GM = 山田浩二, the only decision maker."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from service.rules.account_graph import AccountGraph, Coverage
from service.rules.analytics import (
    AnalyticsInputError,
    NodeKind,
    access_paths,
    coach_candidates,
    coverage_gaps,
    influencers,
    leverage,
    neutrals_to_convert,
    opponents_to_neutralize,
    power_map,
    simulate,
    support_score,
    supporter_consolidation,
)
from service.rules.enums import GapKind, Stance

from .canon import Canon, canon_graph

CST = timezone(timedelta(hours=8))
AFTER_LAST_VISIT = datetime(2024, 3, 20, tzinfo=CST)
"""22 days after 王磊's site visit (2024-02-27): his coverage is fresh."""
RED = "红色圈 财务-行政圈"
GREEN = "绿色圈 生产-技术圈"


@pytest.fixture(scope="module")
def canon() -> Canon:
    return Canon(canon_graph())


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-9)


def test_influencers_of_the_decision_maker(canon: Canon) -> None:
    rows = influencers(canon.graph)
    assert [(canon.name(r.influencer), r.strength, r.hops) for r in rows] == [
        ("周敏", approx(1.0), 1),  # 周敏→GM 5/5
        ("刘建华", approx(0.8), 1),  # 刘建华→GM 4/5
        ("王磊", approx(0.64), 2),  # 王磊→刘建华→GM 4/5 x 4/5
        ("孙丽", approx(0.6), 2),  # 孙丽→周敏→GM 3/5 x 5/5 (beats 孙丽→刘建华→GM 0.48); name 孙 < 林
        ("林涛", approx(0.6), 2),  # 林涛→周敏→GM 3/5 x 5/5
        ("郑雪", approx(0.48), 2),  # 郑雪→刘建华→GM 3/5 x 4/5
        ("李娜", approx(0.4), 1),  # 李娜→GM 2/5: fewer hops than 吴芳's equal 0.4
        ("吴芳", approx(0.4), 2),  # 吴芳→周敏→GM 2/5 x 5/5
        ("何志远", approx(0.36), 3),  # 何志远→孙丽→周敏→GM 3/5 x 3/5 x 5/5
        ("赵强", approx(0.256), 3),  # 赵强→王磊→刘建华→GM 2/5 x 4/5 x 4/5
        ("陈静", approx(0.24), 3),  # 陈静→孙丽→周敏→GM 2/5 x 3/5 x 5/5
        ("唐军", approx(0.2), 2),  # 唐军→周敏→GM 1/5 x 5/5 (beats 唐军→李娜→GM 0.16)
        ("高远", approx(0.08), 3),  # 高远→吴芳→周敏→GM 1/5 x 2/5 x 5/5
    ]  # 黄晓东 needs 4 hops; 许静 influences nobody
    assert {canon.name(r.target) for r in rows} == {"山田浩二"}
    by_name = {canon.name(r.influencer): r for r in rows}
    assert canon.names(by_name["王磊"].path) == ["王磊", "刘建华", "山田浩二"]
    assert by_name["周敏"].reason == "周敏 (财务总监) influences 山田浩二 directly, 5/5"
    assert by_name["王磊"].reason == (
        "王磊 (生产部经理) reaches 山田浩二 in 2 hops: 王磊 → 刘建华 → 山田浩二, 4/5 × 4/5 = 0.64"
    )
    assert influencers(canon.graph, of=canon.id("山田浩二")) == rows


def test_influencers_respect_max_hops_and_min_strength(canon: Canon) -> None:
    direct = influencers(canon.graph, max_hops=1)
    assert [(canon.name(r.influencer), r.strength) for r in direct] == [
        ("周敏", approx(1.0)),
        ("刘建华", approx(0.8)),
        ("李娜", approx(0.4)),
    ]
    four = {canon.name(r.influencer): r.strength for r in influencers(canon.graph, max_hops=4)}
    assert four["黄晓东"] == approx(0.144)  # 黄晓东→何志远→孙丽→周敏→GM 2/5 x 3/5 x 3/5 x 5/5
    strong = influencers(canon.graph, min_strength=0.6)
    assert [canon.name(r.influencer) for r in strong] == ["周敏", "刘建华", "王磊"]  # 0.6 itself is not > 0.6


def test_influencers_of_the_cfo(canon: Canon) -> None:
    rows = influencers(canon.graph, of=canon.id("周敏"), max_hops=2)
    assert [(canon.name(r.influencer), r.strength, r.hops) for r in rows] == [
        ("孙丽", approx(0.6), 1),  # 3/5; 孙 (U+5B59) < 林 (U+6797)
        ("林涛", approx(0.6), 1),  # 3/5
        ("吴芳", approx(0.4), 1),  # 2/5
        ("何志远", approx(0.36), 2),  # 何志远→孙丽→周敏 3/5 x 3/5; 何 (U+4F55) < 郑 (U+90D1)
        ("郑雪", approx(0.36), 2),  # 郑雪→林涛→周敏 3/5 x 3/5
        ("王磊", approx(0.24), 2),  # 王磊→孙丽→周敏 2/5 x 3/5; 王 (U+738B) < 陈 (U+9648)
        ("陈静", approx(0.24), 2),  # 陈静→孙丽→周敏 2/5 x 3/5
        ("唐军", approx(0.2), 1),  # 1/5
        ("高远", approx(0.08), 2),  # 高远→吴芳→周敏 1/5 x 2/5
    ]
    assert {canon.name(r.target) for r in rows} == {"周敏"}


def test_leverage(canon: Canon) -> None:
    values = {canon.name(p): v for p, v in leverage(canon.graph).items()}
    assert values["山田浩二"] == 1.0  # the decision maker
    assert values["王磊"] == approx(0.64)
    assert values["黄晓东"] == 0.0  # 4 hops away
    assert values["许静"] == 0.0  # no outgoing link
    assert len(values) == 16


def test_neutrals_to_convert(canon: Canon) -> None:
    rows = neutrals_to_convert(canon.graph)
    view = [
        (
            canon.name(r.stakeholder),
            r.leverage,
            canon.name(r.converter.id) if r.converter else None,
            r.converter_strength,
        )
        for r in rows
    ]
    assert view == [
        ("山田浩二", 1.0, "王磊", approx(0.64)),  # 王磊→刘建华→GM beats 赵强 0.256 and 唐军 0.2
        ("刘建华", approx(0.8), "王磊", approx(0.8)),  # 王磊→刘建华 4/5
        ("孙丽", approx(0.6), "王磊", approx(0.4)),  # 王磊→孙丽 2/5
        ("郑雪", approx(0.48), None, 0.0),  # nobody influences 郑雪
        ("李娜", approx(0.4), "唐军", approx(0.4)),  # 唐军→李娜 2/5; ahead of 吴芳 on converter strength
        ("吴芳", approx(0.4), None, 0.0),  # only 高远 (neutral) influences 吴芳
        ("何志远", approx(0.36), None, 0.0),
        ("陈静", approx(0.24), None, 0.0),
        ("高远", approx(0.08), None, 0.0),
    ]  # 黄晓东 and 许静 have leverage 0
    assert all(r.converter is None or r.converter.kind is NodeKind.STAKEHOLDER for r in rows)
    assert [canon.name(n.id) for n in rows[1].path] == ["王磊", "刘建华"]
    assert "王磊" in rows[1].reason
    assert "4/5" in rows[1].reason
    assert len(neutrals_to_convert(canon.graph)[:2]) == 2


def test_a_covering_team_member_converts_when_stronger(canon: Canon) -> None:
    """张华 covers 郑雪 at step 4 (w 0.8); no supporter influences 郑雪."""
    graph = replace(canon.graph, coverage=(*canon.graph.coverage, _coverage(canon, "张华", "郑雪", 4)))
    row = next(r for r in neutrals_to_convert(graph) if canon.name(r.stakeholder) == "郑雪")
    assert row.converter is not None
    assert row.converter.kind is NodeKind.TEAM_MEMBER
    assert canon.name(row.converter.id) == "张华"
    assert row.converter_strength == approx(0.8)
    assert [n.kind for n in row.path] == [NodeKind.TEAM_MEMBER, NodeKind.STAKEHOLDER]


def test_on_equal_strength_a_supporter_beats_a_team_member(canon: Canon) -> None:
    """刘洋 covering 刘建华 at step 4 (w 0.8) ties with 王磊→刘建华 4/5, 1 hop: the supporter wins."""
    graph = replace(canon.graph, coverage=(*canon.graph.coverage, _coverage(canon, "刘洋", "刘建华", 4)))
    row = next(r for r in neutrals_to_convert(graph) if canon.name(r.stakeholder) == "刘建华")
    assert row.converter is not None
    assert row.converter.kind is NodeKind.STAKEHOLDER
    assert canon.name(row.converter.id) == "王磊"


def test_opponents_to_neutralize(canon: Canon) -> None:
    rows = opponents_to_neutralize(canon.graph)
    assert [
        (
            canon.name(r.stakeholder),
            r.leverage,
            canon.name(r.converter.id) if r.converter else None,
            r.converter_strength,
        )
        for r in rows
    ] == [
        ("周敏", 1.0, "孙丽", approx(0.6)),  # leverage 5/5; 孙丽 (neutral) →周敏 3/5; 林涛 3/5 is an enemy
        ("林涛", approx(0.6), "郑雪", approx(0.6)),  # 林涛→周敏→GM 0.6; 郑雪 (neutral) →林涛 3/5
    ]


def test_supporter_consolidation(canon: Canon) -> None:
    result = supporter_consolidation(canon.graph)
    # Supporters: 唐军, 王磊, 赵强. 赵强→王磊 is an influence link, so that pair is bonded.
    assert [(canon.name(a), canon.name(b)) for a, b in result.unlinked_pairs] == [("唐军", "王磊"), ("唐军", "赵强")]
    assert result.pair_reason(*result.unlinked_pairs[0]) == (
        "唐军 (办公室主任) and 王磊 (生产部经理) both support us but have no link or tie."
    )
    assert any((source, target) == (canon.id("赵强"), canon.id("王磊")) for source, target, _ in canon.graph.links)
    # 唐军→李娜, 王磊→刘建华, 赵强→王磊→刘建华: each reaches a neutral.
    assert result.isolated_supporters == ()
    # Within 1 hop 赵强 reaches only 王磊, a supporter.
    isolated = supporter_consolidation(canon.graph, max_hops=1).isolated_supporters
    assert [canon.name(s.stakeholder) for s in isolated] == ["赵强"]


def test_coverage_gaps(canon: Canon) -> None:
    gaps = coverage_gaps(canon.graph, as_of=AFTER_LAST_VISIT)
    assert [(g.kind, g.subject_name, g.severity) for g in gaps] == [
        (GapKind.UNCOVERED_KEY_PERSON, "周敏", approx(1.0)),  # approver, leverage 1; 周 < 山 by code point
        (GapKind.UNCOVERED_KEY_PERSON, "山田浩二", 1.0),  # decision maker
        (GapKind.SINGLE_POINT_OF_FAILURE, "周敏", approx(1.0)),  # 张华 → 唐军 → 周敏 only
        (GapKind.SINGLE_POINT_OF_FAILURE, "山田浩二", 1.0),  # 张华 → 唐军 → GM (reports to) only
        (GapKind.NO_CORE_ACCESS, RED, 1.0),  # GM in its core; core 山田浩二 and 周敏 uncovered
        (GapKind.UNCOVERED_KEY_PERSON, "刘建华", approx(0.8)),  # influence 4, green core
        (GapKind.SINGLE_POINT_OF_FAILURE, "刘建华", approx(0.8)),  # every route: 刘洋 .. 王磊 → 刘建华
        (GapKind.SINGLE_POINT_OF_FAILURE, "王磊", approx(0.64)),  # only 刘洋 covers him or 赵强
        (GapKind.UNCOVERED_KEY_PERSON, "孙丽", approx(0.6)),  # technical buyer, influence 4, VIP
        (GapKind.SINGLE_POINT_OF_FAILURE, "孙丽", approx(0.6)),  # every route: 刘洋 .. 王磊 → 孙丽
        (GapKind.UNCOVERED_KEY_PERSON, "郑雪", approx(0.48)),  # influence 4
        (GapKind.UNCOVERED_KEY_PERSON, "何志远", approx(0.36)),  # technical buyer
        (GapKind.UNCOVERED_KEY_PERSON, "陈静", approx(0.24)),  # technical buyer
        (GapKind.UNCOVERED_KEY_PERSON, "黄晓东", 0.1),  # technical buyer, leverage 0 -> floor 0.1
    ]
    # Not reported: SINGLE_THREADED (3 covered: 唐军, 王磊, 赵强), NO_COACH (王磊 qualifies), missing
    # roles or buyer types (all present), STALE (王磊 met 22 days ago; 唐军 and 赵强 are not key people).
    # 郑雪 has two routes from two team members, through 唐军 and through 王磊: no single point.
    core_gap = gaps[4]
    assert core_gap.circle == canon.circle_id(RED)
    assert core_gap.stakeholder is None
    assert all(g.reason and g.suggestion for g in gaps)


def test_coverage_goes_stale(canon: Canon) -> None:
    later = coverage_gaps(canon.graph, as_of=AFTER_LAST_VISIT + timedelta(days=60))
    stale = [(g.subject_name, g.severity) for g in later if g.kind is GapKind.STALE_COVERAGE]
    assert stale == [("王磊", approx(0.64))]  # core of green; last contact 2024-02-27, 82 days earlier
    fresh = coverage_gaps(canon.graph, stale_after_days=90, as_of=AFTER_LAST_VISIT + timedelta(days=60))
    assert GapKind.STALE_COVERAGE not in {g.kind for g in fresh}


def test_the_seed_situation_is_single_threaded(canon: Canon) -> None:
    """Before 刘洋's factory visit only 张华 ↔ 唐军 existed (research 5.1: "single-threaded")."""
    only_tangjun = tuple(c for c in canon.graph.coverage if c.person == canon.id("唐军"))
    gaps = coverage_gaps(replace(canon.graph, coverage=only_tangjun), as_of=AFTER_LAST_VISIT)
    kinds = [g.kind for g in gaps]
    assert GapKind.SINGLE_THREADED in kinds
    # 王磊 is no longer covered: an uncovered key person, yet still a qualified coach (coverage is
    # not part of the coach rule).
    assert GapKind.NO_COACH not in kinds
    assert (GapKind.UNCOVERED_KEY_PERSON, "王磊") in [(g.kind, g.subject_name) for g in gaps]


def test_coach_candidates(canon: Canon) -> None:
    rows = coach_candidates(canon.graph)
    assert [(canon.name(c.stakeholder), c.qualified, c.breadth, c.circles_reached, c.influence) for c in rows] == [
        # 王磊: 刘建华, 孙丽, 郑雪, 赵强 (links, ALLY, KNOWS, reporting); all green; supporter -> qualified
        ("王磊", True, 4, 1, 3),
        # 山田浩二: 周敏, 刘建华, 李娜 (links in) + 唐军, 吴芳 (report to him); 5 x 5 = 25
        ("山田浩二", False, 5, 2, 5),
        # 刘建华, 孙丽, 郑雪: breadth 5 x influence 4 = 20 each, then leverage 0.8 > 0.6 > 0.48
        ("刘建华", False, 5, 2, 4),
        ("孙丽", False, 5, 2, 4),  # 周敏, 刘建华, 王磊, 何志远, 陈静
        ("郑雪", False, 5, 2, 4),  # 林涛, 王磊, 刘建华, 李娜, 唐军
        ("李娜", False, 3, 2, 3),  # 山田浩二, 郑雪, 唐军; 3 x 3 = 9, leverage 0.4
        ("何志远", False, 3, 1, 3),  # 孙丽, 黄晓东, 刘建华; 3 x 3 = 9, leverage 0.36
    ]  # 唐军: influence 2, not a candidate though he is our warmest contact
    via = {canon.name(c.stakeholder): canon.names(c.introduced_via) for c in rows}
    assert via["王磊"] == []  # covered
    assert via["郑雪"] == ["唐军", "郑雪"]  # KNOWS; 唐 sorts before 王 (郑雪→王磊 is one hop too)
    assert via["孙丽"] == ["王磊", "孙丽"]
    # 唐军, whom we cover, reports to the GM (rule 13: a reporting line introduces)
    assert via["山田浩二"] == ["唐军", "山田浩二"]
    assert via["何志远"] == ["王磊", "刘建华", "何志远"]  # 何志远 reports to 刘建华
    zhengxue = next(c for c in rows if canon.name(c.stakeholder) == "郑雪")
    assert zhengxue.reasons == (
        "broad network: 5 people across 2 circle(s)",
        "influence 4/5",
        "stance NEUTRAL: not yet willing to help, win them over first",
        "introduction: 唐军 → 郑雪",
    )
    assert [canon.name(c.stakeholder) for c in coach_candidates(canon.graph)[:2]] == ["王磊", "山田浩二"]


def test_power_map(canon: Canon) -> None:
    result = power_map(canon.graph)
    assert [
        (
            canon_circle_name(canon, c.circle),
            c.members,
            c.core_members,
            c.influence_total,
            c.stance_balance,
            c.covered_core_members,
            c.decision_circle,
        )
        for c in result.circles
    ] == [
        # red: influence 2+5+4+3+2+1+3+1 = 21; stance 2x(+1) + 4x(-1) + 3x(-2) = -8
        (RED, 8, 2, 21, approx(-8 / 21), 0, True),
        # green: influence 4+3+1+4+2+3+2+4 = 23; stance 3x(+1) + 1x(+1) = 4; 王磊 covered in core
        (GREEN, 8, 2, 23, approx(4 / 23), 1, False),
    ]
    assert result.unaffiliated == ()


def canon_circle_name(canon: Canon, circle_id: str) -> str:
    return next(c.name for c in canon.graph.circles if c.id == circle_id)


def test_support_score(canon: Canon) -> None:
    # Role holders (12; not 刘建华, 郑雪, 李娜, 许静): influence total 32;
    # stance: 唐军 +2, 周敏 -4, 王磊 +3, 赵强 +1, 林涛 -6, the rest neutral: -4.  -4 / 32
    assert support_score(canon.graph) == approx(-0.125)


def test_access_paths(canon: Canon) -> None:
    to_zhengxue = access_paths(canon.graph, canon.id("郑雪"))
    assert [(canon.name(r.team_member), r.strength, canon.names(n.id for n in r.path)) for r in to_zhengxue] == [
        ("张华", approx(0.36), ["张华", "唐军", "郑雪"]),  # covers 3/5, KNOWS (unrated = 3) 3/5
        ("刘洋", approx(0.16), ["刘洋", "王磊", "郑雪"]),  # covers 2/5, link 郑雪→王磊 2/5 (either way)
    ]
    assert to_zhengxue[0].reason == "张华 covers 唐军 3/5; 唐军 KNOWS 郑雪 3/5: strength 0.36."
    to_vp = access_paths(canon.graph, canon.id("刘建华"))
    # 刘洋→王磊→刘建华 2/5 x 4/5 (link 4 beats ALLY 3); via 赵强 it is 2/5 x 2/5 x 4/5
    assert [(canon.name(r.team_member), r.strength, r.hops) for r in to_vp] == [("刘洋", approx(0.32), 2)]
    # 唐军 supports us and reports to the GM (rule 13): 3/5 x 3/5. Every other way to the GM passes a
    # neutral or an opponent (李娜, 周敏, 刘建华).
    to_gm = access_paths(canon.graph, canon.id("山田浩二"), max_hops=6)
    assert [(canon.name(r.team_member), r.strength, canon.names(n.id for n in r.path)) for r in to_gm] == [
        ("张华", approx(0.36), ["张华", "唐军", "山田浩二"])
    ]
    assert to_gm[0].reason == "张华 covers 唐军 3/5; 唐军 reports to 山田浩二 3/5: strength 0.36."
    assert [(canon.name(r.team_member), r.hops) for r in access_paths(canon.graph, canon.id("唐军"))] == [("张华", 1)]
    assert len(access_paths(canon.graph, canon.id("郑雪"))[:1]) == 1


def test_simulate_winning_the_cfo(canon: Canon) -> None:
    result = simulate(canon.graph, {canon.id("周敏"): Stance.NEUTRAL})
    assert result.support_score_before == approx(-0.125)
    assert result.support_score_after == approx(0.0)  # -4 + 4 = 0
    assert (result.neutrals_before, result.neutrals_after) == (11, 12)
    assert (result.opponents_before, result.opponents_after) == (2, 1)  # 周敏, 林涛 -> 林涛
    assert support_score(canon.graph) == approx(-0.125)  # nothing written


def test_archived_people_drop_out(canon: Canon) -> None:
    cfo = canon.id("周敏")
    graph = replace(canon.graph, people=tuple(replace(p, archived=p.id == cfo) for p in canon.graph.people))
    rows = {canon.name(r.influencer): r for r in influencers(graph)}
    assert "周敏" not in rows
    assert rows["孙丽"].strength == approx(0.48)  # 孙丽→刘建华→GM now
    with pytest.raises(AnalyticsInputError) as error:
        influencers(graph, of=cfo)
    assert error.value.field == "of"


@pytest.mark.parametrize("max_hops", [0, 7, -1])
def test_max_hops_out_of_range(canon: Canon, max_hops: int) -> None:
    with pytest.raises(AnalyticsInputError) as error:
        influencers(canon.graph, max_hops=max_hops)
    assert error.value.field == "maxHops"


def test_bad_arguments_name_their_field(canon: Canon) -> None:
    cases = [
        (lambda: influencers(canon.graph, of="nobody"), "of"),
        (lambda: access_paths(canon.graph, "nobody"), "to"),
        (lambda: access_paths(canon.graph, canon.id("郑雪"), max_hops=7), "maxHops"),
        (lambda: coverage_gaps(canon.graph, stale_after_days=-1), "staleAfterDays"),
        (
            lambda: simulate(canon.graph, [(canon.id("周敏"), Stance.NEUTRAL), ("nobody", Stance.MENTOR)]),
            "changes.1.stakeholder",
        ),
    ]
    for call, field in cases:
        with pytest.raises(AnalyticsInputError) as error:
            call()
        assert error.value.field == field


def _coverage(canon: Canon, member: str, person: str, step: int) -> Coverage:
    return Coverage(canon.team_id(member), canon.id(person), step)


def test_empty_account() -> None:
    graph = AccountGraph("empty")
    assert list(influencers(graph)) == []
    assert support_score(graph) is None
    kinds = [g.kind for g in coverage_gaps(graph, as_of=AFTER_LAST_VISIT)]
    assert kinds == [
        GapKind.MISSING_ROLE,  # DECISION_MAKER, severity 1
        GapKind.MISSING_ROLE,
        GapKind.MISSING_ROLE,
        GapKind.MISSING_ROLE,
        *[GapKind.MISSING_BUYER_TYPE] * 6,
        GapKind.SINGLE_THREADED,
        GapKind.NO_COACH,
    ]
