"""Hypothesis strategies for small random account graphs.

They deliberately produce the awkward cases: cycles (including all-5/5 cycles), disconnected parts,
equal strengths, namesakes, archived people with links, people in several circles, nobody holding a
role, no team, duplicate-free links per ordered pair and ties per pair and kind.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from service.rules.account_graph import (
    AccountGraph,
    Circle,
    Coverage,
    Membership,
    Person,
    ReportingLine,
    TeamMember,
    Tie,
)
from service.rules.enums import AccountTier, BuyerType, BuyingRole, ContactTier, PortfolioClass, Stance, TieKind

NAMES = ("Ann", "Bo", "Cy", "Di", "Ed", "Fay")
"""Few names, so namesakes are common and the id tie-break gets exercised."""
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
AS_OF = EPOCH + timedelta(days=120)

# Strategies are built once here: building them inside a draw costs hypothesis a validation each time.
NAME = st.sampled_from(NAMES)
STRENGTH = st.sampled_from((1, 2, 3, 4, 5, 5, 5))
OPTIONAL_RATING = st.none() | st.integers(1, 5)


def _person_fields(stance: st.SearchStrategy[Stance]) -> st.SearchStrategy[tuple]:  # type: ignore[type-arg]
    return st.tuples(
        NAME,
        st.none() | st.sampled_from(("CFO", "GM", "QC")),
        stance,
        OPTIONAL_RATING,
        st.frozensets(st.sampled_from((BuyingRole.DECISION_MAKER, *BuyingRole)), max_size=2),
        st.frozensets(st.sampled_from(list(BuyerType)), max_size=3),
        st.none() | st.sampled_from(list(ContactTier)),
        st.sampled_from((False, False, False, True)),
        st.none() | st.integers(0, 120).map(lambda days: EPOCH + timedelta(days=days)),
    )


PERSON_FIELDS = _person_fields(st.sampled_from(list(Stance)))
WARM_PERSON_FIELDS = _person_fields(
    st.sampled_from((Stance.SUPPORTER, Stance.SUPPORTER, Stance.MENTOR, Stance.NEUTRAL))
)
"""Mostly supporters: many warm routes, so single points of failure need the hop bound to be found."""

TEAM_SIZE = st.integers(0, 3)
CIRCLE_COUNT = st.integers(0, 3)
CIRCLE_NAME = st.sampled_from(("Red", "Green", "Blue"))
TIE_KIND = st.sampled_from(list(TieKind))
BOOL = st.booleans()
TIER = st.none() | st.sampled_from(list(AccountTier))
PORTFOLIO_CLASS = st.none() | st.sampled_from(list(PortfolioClass))


def _person(index: int, fields: tuple) -> Person:  # type: ignore[type-arg]
    name, title, stance, influence, roles, types, tier, archived, last_contact = fields
    return Person(f"p{index}", name, title, stance, influence, roles, types, tier, archived, last_contact)


def _other(index: st.SearchStrategy[int], count: int) -> st.SearchStrategy[tuple[int, int]]:
    """An ordered pair of distinct indexes below `count`, without rejection sampling."""
    return st.tuples(index, st.integers(0, count - 2)).map(lambda ab: (ab[0], ab[1] + (ab[1] >= ab[0])))


@st.composite
def account_graphs(draw: st.DrawFn, max_people: int = 8, max_links: int = 14, warm: bool = False) -> AccountGraph:
    """`warm`: mostly supporters."""
    count = draw(st.sampled_from(range(max_people + 1)))
    fields = WARM_PERSON_FIELDS if warm else PERSON_FIELDS
    persons = [_person(i, draw(fields)) for i in range(count)]
    team = [TeamMember(f"t{i}", draw(NAME)) for i in range(draw(TEAM_SIZE))]
    tier, portfolio_class = draw(TIER), draw(PORTFOLIO_CLASS)
    if count < 2:
        return AccountGraph("acc", people=tuple(persons), team=tuple(team), tier=tier, portfolio_class=portfolio_class)
    index = st.integers(0, count - 1)
    pair = _other(index, count)
    # A uniform link count: hypothesis alone would favour near-empty graphs.
    link_count = min(draw(st.sampled_from(range(max_links + 1))), count * (count - 1))
    links = draw(st.dictionaries(pair, STRENGTH, min_size=link_count, max_size=max(link_count, max_links)))
    ties = draw(st.dictionaries(st.tuples(pair.map(sorted).map(tuple), TIE_KIND), OPTIONAL_RATING, max_size=count))
    managers = draw(st.dictionaries(pair.map(lambda ab: ab[0]), index, max_size=count))
    circles = [Circle(f"c{i}", draw(CIRCLE_NAME)) for i in range(draw(CIRCLE_COUNT))]
    memberships = (
        draw(st.dictionaries(st.tuples(index, st.integers(0, len(circles) - 1)), BOOL, max_size=2 * count))
        if circles
        else {}
    )
    coverage = (
        draw(st.dictionaries(st.tuples(st.integers(0, len(team) - 1), index), OPTIONAL_RATING, max_size=count))
        if team
        else {}
    )
    p = [person.id for person in persons]
    return AccountGraph(
        account_id="acc",
        people=tuple(persons),
        links=tuple((p[a], p[b], s) for (a, b), s in links.items()),
        ties=tuple(Tie(kind, p[a], p[b], s) for ((a, b), kind), s in ties.items()),
        reporting_lines=tuple(ReportingLine(p[a], p[m]) for a, m in managers.items() if a != m),
        circles=tuple(circles),
        memberships=tuple(Membership(p[a], circles[c].id, core) for (a, c), core in memberships.items()),
        team=tuple(team),
        coverage=tuple(Coverage(team[t].id, p[a], s) for (t, a), s in coverage.items()),
        tier=tier,
        portfolio_class=portfolio_class,
    )
