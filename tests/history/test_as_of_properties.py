"""DOMAIN.md rule 18: for random edit sequences made through the use cases at known instants (checkpoints
stored among them, `service.graph.checkpoints`), the map rebuilt from the history as of each instant equals
the map that was current then (snapshotted during the test), and so does every analytic computed on it."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, example, given, settings

from service.graph.analytics import load_account_graph
from service.graph.as_of import account_states
from service.graph.database import Database
from service.rules import analytics
from service.rules.access import Principal, Role
from service.rules.account_graph import AccountGraph
from service.rules.entity_changes.refs import IdArg
from service.rules.entity_changes.rejected import Rejected
from service.rules.enums import BuyingRole, Stance, TieKind
from service.usecases import accounts, circles, interactions, links, stakeholders, team
from service.usecases.analytics import account_snapshot
from service.usecases.checkpoints import checkpoint_account
from service.usecases.services import Services
from service.usecases.stakeholders import ManagerChange, StakeholderEdit

START = datetime(2026, 1, 1, tzinfo=UTC)
PEOPLE = 5


class Clock:
    """The instant every write of the test happens at: set by the test, never the wall clock."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def ref(label: str, raw: str) -> IdArg:
    return IdArg(("id",), label, raw, raw)


person = st.integers(0, PEOPLE - 1)
stances = st.sampled_from(list(Stance))
edits = st.one_of(
    st.tuples(
        st.just("create"),
        stances,
        st.none() | st.integers(1, 5),
        st.lists(st.sampled_from(list(BuyingRole)), max_size=2, unique=True),
    ),
    st.tuples(st.just("stance"), person, stances),
    st.tuples(st.just("influence"), person, st.none() | st.integers(1, 5)),
    st.tuples(st.just("roles"), person, st.lists(st.sampled_from(list(BuyingRole)), max_size=2, unique=True)),
    st.tuples(st.just("reports"), person, st.none() | person),
    st.tuples(st.just("archive"), person, st.booleans()),
    st.tuples(st.just("link"), person, person, st.integers(1, 5)),
    st.tuples(st.just("unlink"), person, person),
    st.tuples(st.just("tie"), st.sampled_from(list(TieKind)), person, person, st.none() | st.integers(1, 5)),
    st.tuples(st.just("untie"), st.sampled_from(list(TieKind)), person, person),
    st.tuples(st.just("circle"), st.text("abc", min_size=1, max_size=3)),
    st.tuples(st.just("uncircle"), st.integers(0, 2)),
    st.tuples(st.just("member"), st.integers(0, 2), person, st.booleans()),
    st.tuples(st.just("unmember"), st.integers(0, 2), person),
    st.tuples(st.just("cover"), st.integers(0, 1), person, st.integers(1, 6)),
    st.tuples(st.just("uncover"), st.integers(0, 1), person),
    st.tuples(st.just("assign"), st.integers(0, 1), st.booleans()),
    st.tuples(st.just("rename"), st.integers(0, 1), st.text("xyz", min_size=1, max_size=3)),
    st.tuples(st.just("visit"), st.lists(person, min_size=1, max_size=2, unique=True), st.integers(0, 400)),
    st.tuples(st.just("tier"), st.sampled_from(["A", "B", "C", None])),
    st.tuples(st.just("checkpoint")),
)
steps = st.lists(st.tuples(edits, st.integers(0, 3)), min_size=1, max_size=14)
"""Each edit with the minutes that pass before it (0: the same minute as the one before, a second later)."""


class Map:
    """The account under test and the ids its edits name by index."""

    def __init__(self, services: Services, principal: Principal, account: str) -> None:
        self.services, self.principal, self.account = services, principal, account
        self.people: list[str] = []
        self.circles: list[str] = []
        self.team: list[str] = []

    def person(self, index: int) -> IdArg | None:
        return ref("Stakeholder", self.people[index]) if index < len(self.people) else None

    async def apply(self, edit: tuple[Any, ...]) -> None:
        s, p = self.services, self.principal
        kind, *args = edit
        if kind == "create":
            stance, influence, roles = args
            values = {
                "name": f"P{len(self.people)}",
                "stance": stance.value,
                "influence": influence,
                "buyingRoles": [r.value for r in roles],
            }
            made = await stakeholders.create_stakeholder(s, p, ref("Account", self.account), None, values)
            self.people.append(made.id)
            return
        if kind == "circle":
            made_circle = await circles.create_circle(s, p, ref("Account", self.account), {"name": args[0]})
            self.circles.append(made_circle.id)
            return
        if kind == "tier":
            await accounts.update_account(s, p, ref("Account", self.account), {"tier": args[0]})
            return
        if kind == "checkpoint":  # the map as it is now, stored: later reads of earlier instants start there
            await checkpoint_account(s.db, p.workspace_id, self.account, force=True)
            return
        action = self._action(kind, args)
        if action is not None:
            await action()

    def _action(self, kind: str, args: list[Any]) -> Callable[[], Any] | None:
        s, p = self.services, self.principal
        people = [self.person(a) if isinstance(a, int) else None for a in args]
        if kind in ("stance", "influence", "roles"):
            field = {"stance": "stance", "influence": "influence", "roles": "buyingRoles"}[kind]
            value = args[1].value if kind == "stance" else ([r.value for r in args[1]] if kind == "roles" else args[1])
            return (
                None
                if people[0] is None
                else lambda: stakeholders.update_stakeholder(s, p, StakeholderEdit(people[0], {field: value}))
            )
        if kind == "reports":
            manager = None if args[1] is None else self.person(args[1])
            if people[0] is None or (args[1] is not None and manager is None):
                return None
            return lambda: stakeholders.update_stakeholder(
                s, p, StakeholderEdit(people[0], {}, reports_to=ManagerChange(manager))
            )
        if kind == "archive":
            return None if people[0] is None else lambda: stakeholders.set_archived(s, p, people[0], args[1])
        if kind == "link" and people[0] and people[1]:
            values = {"strength": args[2], "kind": None, "topic": None, "confidence": None}
            return lambda: links.set_influence_link(s, p, people[0], people[1], values)
        if kind == "unlink" and people[0] and people[1]:
            return lambda: links.remove_influence_link(s, p, None, people[0], people[1])
        if kind in ("tie", "untie"):
            a, b = self.person(args[1]), self.person(args[2])
            if a is None or b is None:
                return None
            if kind == "tie":
                return lambda: links.set_tie(s, p, args[0], a, b, {"strength": args[3], "note": None})
            return lambda: links.remove_tie(s, p, None, args[0], a, b)
        circle = (
            ref("Circle", self.circles[args[0]])
            if kind in ("uncircle", "member", "unmember") and args[0] < len(self.circles)
            else None
        )
        if kind == "uncircle" and circle:
            return lambda: circles.delete_circle(s, p, circle)
        if kind == "member" and circle and self.person(args[1]):
            return lambda: circles.set_member(s, p, circle, self.person(args[1]), args[2])  # type: ignore[arg-type]
        if kind == "unmember" and circle and self.person(args[1]):
            return lambda: circles.remove_member(s, p, circle, self.person(args[1]))  # type: ignore[arg-type]
        member = ref("TeamMember", self.team[args[0]]) if kind in ("cover", "uncover", "assign", "rename") else None
        if kind == "cover" and member and self.person(args[1]):
            values = {"relationshipStep": args[2], "relationshipType": None}
            return lambda: team.set_coverage(s, p, member, self.person(args[1]), values)  # type: ignore[arg-type]
        if kind == "uncover" and member and self.person(args[1]):
            return lambda: team.remove_coverage(s, p, member, self.person(args[1]))  # type: ignore[arg-type]
        if kind == "assign" and member:
            return lambda: team.set_assigned(s, p, member, ref("Account", self.account), args[1])
        if kind == "rename" and member:
            return lambda: team.update_team_member(s, p, member, {"name": args[1]})
        if kind == "visit" and all(self.person(i) for i in args[0]):
            met = [self.person(i) for i in args[0]]
            values = {"at": START - timedelta(days=args[1]), "type": "MEETING", "summary": None, "nextStep": None}
            return lambda: interactions.record_interaction(s, p, ref("Account", self.account), None, met, values, None)  # type: ignore[arg-type]
        return None


def canonical(graph: AccountGraph) -> AccountGraph:
    """The same snapshot with every collection in one order (the loader's order is the database's)."""
    return dataclasses.replace(
        graph,
        people=tuple(sorted(graph.people, key=lambda x: x.id)),
        links=tuple(sorted(graph.links)),
        ties=tuple(sorted(graph.ties, key=lambda t: (t.kind.value, t.a, t.b))),
        reporting_lines=tuple(sorted(graph.reporting_lines, key=lambda r: (r.person, r.manager))),
        circles=tuple(sorted(graph.circles, key=lambda c: c.id)),
        memberships=tuple(sorted(graph.memberships, key=lambda m: (m.circle, m.person))),
        coverage=tuple(sorted(graph.coverage, key=lambda c: (c.team_member, c.person))),
    )


def every_analytic(graph: AccountGraph) -> dict[str, Any]:
    moment = START + timedelta(days=30)
    ids = [p.id for p in graph.people]

    def rows(ranked: Any) -> list[Any]:
        return list(ranked[: len(ranked)])

    consolidation = analytics.supporter_consolidation(graph)
    return {
        "influencers": rows(analytics.influencers(graph)),
        "neutralsToConvert": rows(analytics.neutrals_to_convert(graph)),
        "opponentsToNeutralize": rows(analytics.opponents_to_neutralize(graph)),
        "unlinkedPairs": rows(consolidation.unlinked_pairs),
        "isolatedSupporters": consolidation.isolated_supporters,
        "coverageGaps": analytics.coverage_gaps(graph, 60, moment),
        "coachCandidates": rows(analytics.coach_candidates(graph)),
        "powerMap": analytics.power_map(graph),
        "supportScore": analytics.support_score(graph),
        "accessPaths": {i: rows(analytics.access_paths(graph, i)) for i in ids},
        "overdueContacts": rows(analytics.overdue_contacts(graph, moment)),
        "brokers": rows(analytics.brokers(graph)),
        "simulate": [analytics.simulate(graph, [(i, Stance.SUPPORTER)]) for i in ids],
    }


async def _setup(db: Database, workspace: str, clock: Clock) -> Map:
    services = Services(Database(db.driver, db.database, clock=clock))
    principal = Principal(workspace, Role.ADMIN, "tester")
    account = await accounts.create_account(services, principal, {"name": "Timeline"}, None)
    edited = Map(services, principal, account.id)
    for name in ("Ann", "Bo"):
        member = await team.create_team_member(services, principal, {"name": name, "role": "SALES"}, None, None)
        edited.team.append(member.id)
    clock.now += timedelta(seconds=1)
    for stance in (Stance.SUPPORTER, Stance.NEUTRAL, Stance.OPPONENT):
        await edited.apply(("create", stance, 3, [BuyingRole.DECISION_MAKER] if stance is Stance.NEUTRAL else []))
    return edited


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(script=steps)
@example(script=[(("assign", 0, True), 0), (("assign", 0, False), 0)])  # an assignment undone lost its member
async def test_the_map_as_of_each_instant_is_the_map_that_was_current_then(
    db: Database, workspace: str, script: list[tuple[tuple[Any, ...], int]]
) -> None:
    clock = Clock()
    edited = await _setup(db, workspace, clock)
    seen: list[tuple[datetime, AccountGraph]] = []
    for edit, minutes in script:
        clock.now += timedelta(minutes=minutes, seconds=1)
        with contextlib.suppress(Rejected):  # refused (a cycle, say): nothing written, the map stays
            await edited.apply(edit)
        seen.append((clock.now, await db.read(load_account_graph, workspace, edited.account)))
    instants = [at for at, _ in seen]
    rebuilt = await db.read(account_states, workspace, edited.account, instants)
    assert rebuilt is not None
    for (at, current), past in zip(seen, rebuilt, strict=True):
        assert canonical(past) == canonical(current), at
        assert every_analytic(canonical(past)) == every_analytic(canonical(current)), at
        for person in past.people:  # a past record keeps the current version and updatedAt
            was, now = past.records[person.id], current.records[person.id]
            assert dataclasses.replace(was, version=now.version, updated_at=now.updated_at) == now
    # Between two instants the map is the one of the earlier; the use case reads it through the cache.
    at, current = seen[len(seen) // 2]
    through_use_case = await account_snapshot(
        edited.services, workspace, edited.account, at + timedelta(milliseconds=1)
    )
    assert canonical(through_use_case) == canonical(current)
    before_any = await account_snapshot(edited.services, workspace, edited.account, START)
    assert before_any.people == ()
    assert before_any.links == ()
