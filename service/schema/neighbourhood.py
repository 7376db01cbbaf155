"""GraphQL objects for stakeholders read with their surroundings (`service.graph.neighbourhood`).

Each person gets the relationship values the query selected, built here once, so that those fields answer
from the object without a DataLoader; each circle, team member and person they name is one object,
however many rows name it. A person the relationships lead to, of whom the query selects only the id,
is a `StakeholderReference`: their record is not read at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import strawberry

from service.graph.neighbourhood import NOTHING, Around
from service.rules import models
from service.schema.context import Context
from service.schema.preloaded import NOT_LOADED, Later, NotLoaded, Preloaded
from service.schema.selection import around_of, selected_paths
from service.schema.types.circle import CircleMembership, PoliticalCircle, load_circle
from service.schema.types.links import InfluenceLink, Tie
from service.schema.types.stakeholder import Stakeholder, StakeholderReference
from service.schema.types.team import Coverage, TeamMember, load_team_member

T = TypeVar("T")
U = TypeVar("U")


class _Builder:
    """Builds the objects of one read, sharing every object it makes."""

    def __init__(self, info: strawberry.Info[Context], hood: models.Neighbourhood) -> None:
        self.info = info
        self.ctx = info.context
        self.hood = hood
        self.circles: dict[str, PoliticalCircle | Later[PoliticalCircle]] = {}
        self.team: dict[str, TeamMember | Later[TeamMember]] = {}
        self.references: dict[str, StakeholderReference] = {}

    def read(self, stakeholders: Sequence[models.Stakeholder]) -> list[Stakeholder]:
        built = self.ctx.built_stakeholders
        people = [Stakeholder.from_domain(s) for s in stakeholders]
        for person in people:
            built.setdefault(person.raw_id, person)
        for person in people:
            person.preloaded = self.preloaded(person, self.hood.of(person.raw_id))
        return people

    def person(self, raw_id: str) -> Stakeholder:
        """The person a relationship leads to: built in this request, read with this neighbourhood, or
        (the query selects only their id) a reference."""
        built = self.ctx.built_stakeholders
        found = built.get(raw_id)
        if found is None:
            record = self.hood.people.get(raw_id)
            if record is None:
                return self.reference(raw_id)
            found = built[raw_id] = Stakeholder.from_domain(record)
        return found

    def reference(self, raw_id: str) -> StakeholderReference:
        """One reference per person however many links lead to them (a page's links name a few people many
        times)."""
        found = self.references.get(raw_id)
        if found is None:
            found = self.references[raw_id] = StakeholderReference(raw_id)
        return found

    def circle(self, raw_id: str) -> PoliticalCircle | Later[PoliticalCircle]:
        """The circle of a membership (read with the people; loaded if ever missing)."""
        found = self.circles.get(raw_id)
        if found is None:
            record = self.hood.circles.get(raw_id)
            info = self.info
            found = PoliticalCircle.from_domain(record) if record else Later(lambda: load_circle(info, raw_id))
            self.circles[raw_id] = found
        return found

    def team_member(self, raw_id: str) -> TeamMember | Later[TeamMember]:
        """The team member of a coverage (read with the people; loaded if ever missing)."""
        found = self.team.get(raw_id)
        if found is None:
            record = self.hood.team_members.get(raw_id)
            info = self.info
            found = TeamMember.from_domain(record) if record else Later(lambda: load_team_member(info, raw_id))
            self.team[raw_id] = found
        return found

    def preloaded(self, me: Stakeholder, around: models.Surroundings) -> Preloaded:
        person = self.person
        return Preloaded(
            influences=_each(around.influences, lambda link: InfluenceLink.from_domain(link, me, person(link.to_id))),
            influenced_by=_each(
                around.influenced_by, lambda link: InfluenceLink.from_domain(link, person(link.from_id), me)
            ),
            ties=_each(around.ties, lambda tie: Tie.from_domain(tie, person(tie.a_id), person(tie.b_id))),
            circles=_each(
                around.memberships,
                lambda m: CircleMembership(circle_id=m.circle_id, core=m.core, circle=self.circle(m.circle_id)),
            ),
            covered_by=_each(
                around.coverage, lambda c: Coverage.from_domain(c, self.team_member(c.team_member_id), me)
            ),
            reports_to=NOT_LOADED
            if around.reports_to is None
            else (person(around.reports_to[0]) if around.reports_to else None),
            direct_reports=_each(around.direct_reports, person),
        )


def _each(found: tuple[T, ...] | None, build: Callable[[T], U]) -> list[U] | NotLoaded:
    return NOT_LOADED if found is None else [build(item) for item in found]


def people_around(
    info: strawberry.Info[Context], stakeholders: Sequence[models.Stakeholder], hood: models.Neighbourhood
) -> list[Stakeholder]:
    """The stakeholders' objects, in order, carrying what was read around them."""
    return _Builder(info, hood).read(stakeholders)


def stakeholder_selection(info: strawberry.Info[Context], *prefixes: str) -> Around:
    """What the query selects around the stakeholders this field answers with, at `prefixes` below it."""
    return around_of(selected_paths(info), prefixes)


async def stakeholder_with_surroundings(info: strawberry.Info[Context], raw_id: str) -> Stakeholder | None:
    """The stakeholder with what the query selects around it: one round trip (or, from the detail cache
    while the account's clock stands, a tiny one), or the DataLoader when the query selects nothing around it."""
    ctx = info.context
    around = stakeholder_selection(info, "")
    if around == NOTHING:
        found = await ctx.loaders.stakeholder.load(raw_id)
        return None if found is None else Stakeholder.from_domain(found)
    clock = ctx.clocks.get(("Stakeholder", raw_id))
    (record,), hood = await ctx.db.read(ctx.services.details.load, ctx.workspace_id, raw_id, around, clock)
    if record is None:
        return None
    ctx.loaders.stakeholder.prime(raw_id, record)
    return people_around(info, [record], hood)[0]
