"""The account's past (DOMAIN.md rule 18): what changed between two instants, and its summary."""

from __future__ import annotations

import strawberry

from service.rules import history
from service.rules.account_graph import AccountGraph
from service.schema.context import Context
from service.schema.enums import Stance
from service.schema.pagination import bounded_first
from service.schema.types.account_analytics import First, load_refs
from service.schema.types.stakeholder import Stakeholder
from service.schema.types.team import TeamMember

DEFAULT_FIRST = 20


@strawberry.type(description="A stakeholder whose stance changed between the two instants.")
class StanceMove:
    stakeholder: Stakeholder
    before: Stance
    after: Stance


@strawberry.type(description="An influence link (kind INFLUENCES, `a` influences `b`) or a tie (ALLY, KNOWS, RIVAL).")
class MapLink:
    kind: str
    a: Stakeholder
    b: Stakeholder
    strength: int | None


@strawberry.type(description="A team member's coverage of a stakeholder.")
class CoveragePair:
    team_member: TeamMember
    stakeholder: Stakeholder


@strawberry.type(
    description="What changed in the account's map from `from` to `to` (DOMAIN.md rule 18), computed from the "
    "map as of each; every list returns its first `first` rows (at most 100) and a count beside it."
)
class MapDiff:
    result: strawberry.Private[history.MapDiff]
    before: strawberry.Private[AccountGraph]
    after: strawberry.Private[AccountGraph]
    support_score_before: float | None
    support_score_after: float | None

    async def _people(self, info: strawberry.Info[Context], ids: list[str]) -> dict[str, Stakeholder]:
        refs = await load_refs(info, self.after, people=[i for i in ids if i in self.after.records])
        earlier = await load_refs(info, self.before, people=[i for i in ids if i not in self.after.records])
        return {**earlier.people, **refs.people}

    @strawberry.field(description="By name.")
    async def stance_moves(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[StanceMove]:
        rows = self.result.stance_moves[: bounded_first(first, DEFAULT_FIRST)]
        people = await self._people(info, [m.stakeholder for m in rows])
        return [StanceMove(stakeholder=people[m.stakeholder], before=m.before, after=m.after) for m in rows]

    @strawberry.field
    def stance_move_count(self) -> int:
        return len(self.result.stance_moves)

    @strawberry.field(description="Active at `to` but not at `from` (created or restored), by name.")
    async def people_added(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[Stakeholder]:
        ids = list(self.result.people_added[: bounded_first(first, DEFAULT_FIRST)])
        people = await self._people(info, ids)
        return [people[i] for i in ids]

    @strawberry.field
    def person_added_count(self) -> int:
        return len(self.result.people_added)

    @strawberry.field(description="Active at `from` but not at `to` (archived), by name.")
    async def people_archived(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[Stakeholder]:
        ids = list(self.result.people_archived[: bounded_first(first, DEFAULT_FIRST)])
        people = await self._people(info, ids)
        return [people[i] for i in ids]

    @strawberry.field
    def person_archived_count(self) -> int:
        return len(self.result.people_archived)

    async def _links(
        self, info: strawberry.Info[Context], links: tuple[history.DiffLink, ...], first: int | None
    ) -> list[MapLink]:
        rows = links[: bounded_first(first, DEFAULT_FIRST)]
        people = await self._people(info, [i for link in rows for i in (link.a, link.b)])
        return [MapLink(kind=r.kind, a=people[r.a], b=people[r.b], strength=r.strength) for r in rows]

    @strawberry.field(description="Influence links and ties that exist at `to` but not at `from`.")
    async def links_added(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[MapLink]:
        return await self._links(info, self.result.links_added, first)

    @strawberry.field
    def link_added_count(self) -> int:
        return len(self.result.links_added)

    @strawberry.field(description="Influence links and ties that exist at `from` but not at `to`.")
    async def links_removed(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[MapLink]:
        return await self._links(info, self.result.links_removed, first)

    @strawberry.field
    def link_removed_count(self) -> int:
        return len(self.result.links_removed)

    async def _coverage(
        self, info: strawberry.Info[Context], pairs: tuple[tuple[str, str], ...], first: int | None
    ) -> list[CoveragePair]:
        rows = pairs[: bounded_first(first, DEFAULT_FIRST)]
        people = await self._people(info, [p for _, p in rows])
        members = await info.context.loaders.team_member.load_many([t for t, _ in rows])
        return [
            CoveragePair(team_member=TeamMember.from_domain(m), stakeholder=people[p])
            for (_, p), m in zip(rows, members, strict=True)
            if m is not None
        ]

    @strawberry.field(description="Coverage at `to` that was not there at `from`.")
    async def coverage_added(self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST) -> list[CoveragePair]:
        return await self._coverage(info, self.result.coverage_added, first)

    @strawberry.field
    def coverage_added_count(self) -> int:
        return len(self.result.coverage_added)

    @strawberry.field(description="Coverage at `from` that is gone at `to`.")
    async def coverage_removed(
        self, info: strawberry.Info[Context], first: First = DEFAULT_FIRST
    ) -> list[CoveragePair]:
        return await self._coverage(info, self.result.coverage_removed, first)

    @strawberry.field
    def coverage_removed_count(self) -> int:
        return len(self.result.coverage_removed)
