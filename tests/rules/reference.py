"""Brute-force references for the analytics, written straight from DOMAIN.md and independent of
`service.rules.analytics`: they enumerate every simple path with networkx, which the service must
never do. Strengths are rounded to 9 decimals (all of them are multiples of 5**-6, so rounding is exact
enough to compare and sort by)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import networkx as nx

from service.rules.account_graph import AccountGraph, Person
from service.rules.enums import (
    AccountTier,
    BuyerType,
    BuyingRole,
    ContactTier,
    GapKind,
    PortfolioClass,
    Stance,
    TieKind,
)

TOL = 1e-9
VALUES = {Stance.ENEMY: -2, Stance.OPPONENT: -1, Stance.NEUTRAL: 0, Stance.SUPPORTER: 1, Stance.MENTOR: 2}
SUPPORTIVE = {Stance.SUPPORTER, Stance.MENTOR}
NEUTRAL_OR_BETTER = {Stance.NEUTRAL, Stance.SUPPORTER, Stance.MENTOR}
HOSTILE = {Stance.ENEMY, Stance.OPPONENT}
BONDS = {TieKind.KNOWS, TieKind.ALLY}


def r9(value: float) -> float:
    return round(value, 9)


def influence(person: Person) -> int:
    return 1 if person.influence is None else person.influence


def weighted_stance(people: Iterable[Person]) -> float | None:
    known = [p for p in people if p.stance in VALUES]
    weight = sum(influence(p) for p in known)
    return sum(influence(p) * VALUES[p.stance] for p in known) / weight if weight else None


def pair_order(pairs: Iterable[tuple[str, str]], people: dict[str, Person]) -> list[tuple[str, str]]:
    """DOMAIN.md, "Bounded answers": influence(a) + influence(b) desc, then the two names, then the ids."""

    def key(pair: tuple[str, str]) -> tuple[int, str, str, str, str]:
        a, b = people[pair[0]], people[pair[1]]
        return (-(influence(a) + influence(b)), a.name, b.name, a.id, b.id)

    return sorted(pairs, key=key)


class Reference:
    def __init__(self, graph: AccountGraph) -> None:
        self.graph = graph
        self.people = {p.id: p for p in graph.people if not p.archived}
        self.team = {t.id: t for t in graph.team}
        self.digraph = nx.DiGraph()
        self.digraph.add_nodes_from(self.people)
        for source, target, strength in graph.links:
            if source in self.people and target in self.people and source != target:
                self.digraph.add_edge(source, target, weight=strength / 5)
        self.decision_makers = [
            p for p, person in self.people.items() if BuyingRole.DECISION_MAKER in person.buying_roles
        ]
        self.coverage = [c for c in graph.coverage if c.person in self.people and c.team_member in self.team]
        self.covered = {c.person for c in self.coverage}
        self.ties = [t for t in graph.ties if t.a in self.people and t.b in self.people and t.a != t.b]
        self.reporting_lines = [
            r
            for r in graph.reporting_lines
            if r.person in self.people and r.manager in self.people and r.person != r.manager
        ]
        circle_ids = {c.id for c in graph.circles}
        self.memberships = [m for m in graph.memberships if m.person in self.people and m.circle in circle_ids]
        self._strongest: dict[tuple[str, str, int], tuple[float, int] | None] = {}

    def key(self, person_id: str) -> tuple[str, str]:
        return (self.people[person_id].name, person_id)

    def path_strength(self, path: list[str]) -> float:
        return math.prod(self.digraph[a][b]["weight"] for a, b in zip(path, path[1:], strict=False))

    def strongest(self, a: str, b: str, hops: int) -> tuple[float, int] | None:
        """(strength, fewest hops among the strongest) over every simple path, or None."""
        cache_key = (a, b, hops)
        if cache_key not in self._strongest:
            candidates = [
                (r9(self.path_strength(path)), len(path) - 1)
                for path in nx.all_simple_paths(self.digraph, a, b, cutoff=hops)
            ]
            self._strongest[cache_key] = min(candidates, key=lambda c: (-c[0], c[1])) if candidates else None
        return self._strongest[cache_key]

    # --- items 1 and 2 ---------------------------------------------------------------------
    def influencers(self, of: str | None, hops: int, min_strength: float) -> list[tuple[str, str, float, int]]:
        targets = [of] if of is not None else self.decision_makers
        rows = []
        for p in self.people:
            found = [
                (s, h, self.key(t), t) for t in targets if t != p and (x := self.strongest(p, t, hops)) for s, h in [x]
            ]
            if found:
                s, h, _, t = min(found, key=lambda c: (-c[0], c[1], c[2]))
                if s > min_strength + TOL:
                    rows.append((p, t, s, h))
        return sorted(rows, key=lambda r: (-r[2], r[3], self.key(r[0])))

    def leverage(self, hops: int) -> dict[str, float]:
        result = {}
        for p in self.people:
            if p in self.decision_makers:
                result[p] = 1.0
            else:
                found = [x[0] for t in self.decision_makers if (x := self.strongest(p, t, hops))]
                result[p] = max(found, default=0.0)
        return result

    # --- items 3 and 4 ---------------------------------------------------------------------
    def conversions(
        self, hops: int, targets: set[Stance], converters: set[Stance], use_team: bool
    ) -> list[tuple[str, float, tuple[str, str] | None, float]]:
        leverage = self.leverage(hops)
        rows = []
        for p, person in self.people.items():
            if person.stance not in targets or leverage[p] <= TOL:
                continue
            offers = []
            for s, other in self.people.items():
                if other.stance in converters and s != p and (x := self.strongest(s, p, hops)):
                    offers.append((x[0], x[1], 0, other.name, s))
            if use_team:
                for c in self.coverage:
                    if c.person == p:
                        step = 3 if c.relationship_step is None else c.relationship_step
                        offers.append((r9(step / 5), 1, 1, self.team[c.team_member].name, c.team_member))
            best = min(offers, key=lambda o: (-o[0], o[1], o[2], o[3], o[4])) if offers else None
            converter = (("STAKEHOLDER", "TEAM_MEMBER")[best[2]], best[4]) if best else None
            rows.append((p, r9(leverage[p]), converter, best[0] if best else 0.0))
        rows.sort(key=lambda r: (-r[1], -r[3], -influence(self.people[r[0]]), self.key(r[0])))
        return rows

    # --- item 5 ----------------------------------------------------------------------------
    def consolidation(self, hops: int) -> tuple[list[tuple[str, str]], list[str]]:
        supporters = sorted((p for p, x in self.people.items() if x.stance in SUPPORTIVE), key=self.key)
        bonded = {frozenset(edge) for edge in self.digraph.edges} | {
            frozenset((t.a, t.b)) for t in self.ties if t.kind in BONDS
        }
        pairs = [
            (a, b) for i, a in enumerate(supporters) for b in supporters[i + 1 :] if frozenset((a, b)) not in bonded
        ]
        isolated = [
            s
            for s in supporters
            if not any(
                self.people[n].stance is Stance.NEUTRAL
                for n in nx.single_source_shortest_path_length(self.digraph, s, cutoff=hops)
            )
        ]
        return pair_order(pairs, self.people), sorted(isolated, key=lambda s: (-influence(self.people[s]), self.key(s)))

    # --- items 6, 7 ------------------------------------------------------------------------
    def is_key(self, p: str) -> bool:
        person = self.people[p]
        return bool(
            person.buying_roles & {BuyingRole.DECISION_MAKER, BuyingRole.APPROVER}
            or person.buyer_types & {BuyerType.ECONOMIC, BuyerType.TECHNICAL}
            or influence(person) >= 4
            or any(m.person == p and m.core for m in self.memberships)
            or person.contact_tier is ContactTier.VIP
        )

    def gaps(self, stale_days: int, as_of: datetime) -> list[tuple[GapKind, Any, float]]:
        leverage = self.leverage(3)
        rows: list[tuple[GapKind, Any, float, str, str]] = []
        for p, person in self.people.items():
            if not self.is_key(p):
                continue
            severity = r9(max(leverage[p], 0.1))
            if p not in self.covered:
                rows.append((GapKind.UNCOVERED_KEY_PERSON, p, severity, person.name, p))
            elif person.last_contact_at is None or person.last_contact_at < as_of - timedelta(days=stale_days):
                rows.append((GapKind.STALE_COVERAGE, p, severity, person.name, p))
            if person.stance is Stance.UNKNOWN:
                rows.append((GapKind.UNKNOWN_STANCE, p, severity, person.name, p))
            if self.single_point(p) is not None:
                rows.append((GapKind.SINGLE_POINT_OF_FAILURE, p, severity, person.name, p))
        for role in BuyingRole:
            if not any(role in x.buying_roles for x in self.people.values()):
                severity = 1.0 if role is BuyingRole.DECISION_MAKER else 0.5
                rows.append((GapKind.MISSING_ROLE, role, severity, role.value, ""))
        for kind in BuyerType:
            if not any(kind in x.buyer_types for x in self.people.values()):
                rows.append((GapKind.MISSING_BUYER_TYPE, kind, 0.5, kind.value, ""))
        for circle in self.graph.circles:
            core = {m.person for m in self.memberships if m.circle == circle.id and m.core}
            if core & set(self.decision_makers) and not core & self.covered:
                rows.append((GapKind.NO_CORE_ACCESS, circle.id, 1.0, circle.name, circle.id))
        if len(self.covered) <= 1:
            rows.append((GapKind.SINGLE_THREADED, None, 0.5, "", ""))
        if not any(c[1] for c in self.coaches()):
            rows.append((GapKind.NO_COACH, None, 0.5, "", ""))
        order = list(GapKind)
        rows.sort(key=lambda r: (-r[2], order.index(r[0]), r[3], r[4]))
        return [(kind, subject, severity) for kind, subject, severity, _, _ in rows]

    # --- item 8 ----------------------------------------------------------------------------
    @cached_property
    def network(self) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(self.people)
        graph.add_edges_from(self.digraph.edges)
        graph.add_edges_from((t.a, t.b) for t in self.ties)
        graph.add_edges_from((r.person, r.manager) for r in self.reporting_lines)
        return graph

    @cached_property
    def introductions(self) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(self.people)
        graph.add_edges_from(self.digraph.edges)
        graph.add_edges_from((t.a, t.b) for t in self.ties if t.kind in BONDS)
        graph.add_edges_from((r.person, r.manager) for r in self.reporting_lines)
        return graph

    def coaches(self) -> list[tuple[str, bool, int, int, float, tuple[str, ...]]]:
        leverage = self.leverage(3)
        rows = []
        for p, person in self.people.items():
            neighbours = set(self.network[p])
            if person.stance not in NEUTRAL_OR_BETTER or len(neighbours) < 3 or influence(person) < 3:
                continue
            circles = {m.circle for m in self.memberships if m.person in neighbours | {p}}
            rows.append((p, person.stance in SUPPORTIVE, len(neighbours), len(circles), r9(leverage[p]), self.via(p)))
        rows.sort(key=lambda r: (not r[1], -r[2] * influence(self.people[r[0]]), -r[4], self.key(r[0])))
        return rows

    def via(self, p: str) -> tuple[str, ...]:
        if p in self.covered:
            return ()
        paths = [
            path
            for c in self.covered
            if nx.has_path(self.introductions, c, p)
            for path in nx.all_shortest_paths(self.introductions, c, p)
        ]
        if not paths:
            return ()
        # Shortest first; among those the smallest (name, id) sequence read from the candidate end.
        return tuple(min(paths, key=lambda path: (len(path), [self.key(n) for n in reversed(path)])))

    # --- items 9, 10, 12 -------------------------------------------------------------------
    def power_map(self) -> tuple[list[tuple[str, int, int, int, float | None, int, bool]], list[str]]:
        rows = []
        for circle in self.graph.circles:
            members = {m.person: m.core for m in self.memberships if m.circle == circle.id}
            for m in self.memberships:
                if m.circle == circle.id and m.core:
                    members[m.person] = True
            core = {p for p, is_core in members.items() if is_core}
            people = [self.people[p] for p in members]
            balance = weighted_stance(people)
            rows.append(
                (
                    circle.id,
                    len(members),
                    len(core),
                    sum(influence(x) for x in people),
                    None if balance is None else r9(balance),
                    len(core & self.covered),
                    bool(core & set(self.decision_makers)),
                )
            )
        names = {c.id: c.name for c in self.graph.circles}
        rows.sort(key=lambda r: (not r[6], -r[3], names[r[0]], r[0]))
        affiliated = {m.person for m in self.memberships}
        return rows, sorted((p for p in self.people if p not in affiliated), key=self.key)

    def support_score(self) -> float | None:
        holders = [x for x in self.people.values() if x.buying_roles]
        return weighted_stance(holders or list(self.people.values()))

    # --- items 11 and 13 -------------------------------------------------------------------
    @cached_property
    def warm(self) -> nx.DiGraph:
        """Warm introduction arcs: ("T", team member) or ("S", stakeholder) nodes, strongest weight per arc."""
        graph = nx.DiGraph()

        def offer(a: tuple[str, str], b: tuple[str, str], weight: float) -> None:
            if not graph.has_edge(a, b) or graph[a][b]["weight"] < weight:
                graph.add_edge(a, b, weight=weight)

        for c in self.coverage:
            step = 3 if c.relationship_step is None else c.relationship_step
            offer(("T", c.team_member), ("S", c.person), step / 5)
        undirected = [(a, b, data["weight"]) for a, b, data in self.digraph.edges(data=True)]
        undirected += [(t.a, t.b, (3 if t.strength is None else t.strength) / 5) for t in self.ties if t.kind in BONDS]
        undirected += [(r.person, r.manager, 3 / 5) for r in self.reporting_lines]
        for a, b, weight in undirected:
            offer(("S", a), ("S", b), weight)
            offer(("S", b), ("S", a), weight)
        graph.remove_edges_from(
            [(a, b) for a, b in graph.edges if a[0] == "S" and self.people[a[1]].stance not in SUPPORTIVE]
        )
        return graph

    def access(self, to: str, hops: int) -> tuple[list[tuple[str, float, int]], nx.DiGraph]:
        graph = self.warm
        rows = []
        for member in self.team:
            if ("T", member) not in graph or ("S", to) not in graph:
                continue
            found = [
                (r9(math.prod(graph[a][b]["weight"] for a, b in zip(path, path[1:], strict=False))), len(path) - 1)
                for path in nx.all_simple_paths(graph, ("T", member), ("S", to), cutoff=hops)
            ]
            if found:
                s, h = min(found, key=lambda f: (-f[0], f[1]))
                rows.append((member, s, h))
        rows.sort(key=lambda r: (-r[1], r[2], self.team[r[0]].name, r[0]))
        return rows, graph

    def routes(self, to: str, hops: int) -> list[list[tuple[str, str]]]:
        """Every access path (rule 11 with rule 13) of at most `hops` hops to `to`."""
        graph = self.warm
        if ("S", to) not in graph:
            return []
        return [
            path
            for member in self.team
            if ("T", member) in graph
            for path in nx.all_simple_paths(graph, ("T", member), ("S", to), cutoff=hops)
        ]

    # --- rule 15 ---------------------------------------------------------------------------
    def single_point(self, to: str, hops: int = 4) -> tuple[tuple[str, str], str | None, tuple[str, ...]] | None:
        """((kind, id) named, the one team member or None, the stakeholders on every route) or None."""
        routes = self.routes(to, hops)
        if not routes:
            return None
        starts = {route[0][1] for route in routes}
        on_every = set.intersection(*(set(route[1:-1]) for route in routes))
        if len(starts) > 1 and not on_every:
            return None
        passed = tuple(node[1] for node in routes[0][1:-1] if node in on_every)
        for route in routes:  # the same order on every route
            assert tuple(node[1] for node in route[1:-1] if node in on_every) == passed
        member = next(iter(starts)) if len(starts) == 1 else None
        named = ("STAKEHOLDER", passed[-1]) if passed else ("TEAM_MEMBER", member or "")
        return named, member, passed

    # --- rule 16 ---------------------------------------------------------------------------
    def brokers(self) -> list[tuple[str, float]]:
        centrality = nx.betweenness_centrality(self.network, normalized=True)
        rows = [(p, value) for p, value in centrality.items() if value > 0]
        rows.sort(key=lambda r: (-r9(r[1]), -influence(self.people[r[0]]), self.key(r[0])))
        return rows

    # --- rule 14 ---------------------------------------------------------------------------
    def due_interval(self, p: str) -> int | None:
        cadence = {AccountTier.A: 15, AccountTier.B: 30, AccountTier.C: 60, None: 60}[self.graph.tier]
        if self.graph.portfolio_class is PortfolioClass.VOLCANO:
            cadence = min(cadence, 30)
        if self.graph.portfolio_class is PortfolioClass.DOG:
            cadence = max(cadence, 60)
        tier = self.people[p].contact_tier
        if tier is ContactTier.NONE:
            return None
        return cadence // 2 if tier in {ContactTier.VIP, ContactTier.FREQUENT} else cadence

    def overdue(self, as_of: datetime) -> list[tuple[str, int, int | None]]:
        """(stakeholder, due interval, days overdue or None when never met), in order."""
        leverage = self.leverage(3)
        rows = []
        for p, person in self.people.items():
            interval = self.due_interval(p)
            last = person.last_contact_at
            if interval is None or (last is not None and not last < as_of - timedelta(days=interval)):
                continue
            days = None if last is None else (as_of - last - timedelta(days=interval)).days
            rows.append((p, interval, days))
        rows.sort(key=lambda r: (r[2] is not None, -(r[2] or 0), -r9(leverage[r[0]]), self.key(r[0])))
        return rows
