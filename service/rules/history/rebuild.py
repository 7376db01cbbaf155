"""The analytics snapshot of an account from its map state (`state.MapState`): what
`service.graph.analytics.load_account_graph` reads from the store, read from the state instead, so that
every analytic runs unchanged on the map as it was (DOMAIN.md rule 18)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

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
from service.rules.history.state import MapState
from service.rules.models import Stakeholder

RecordParser = Callable[[str, Mapping[str, Any]], Stakeholder]
"""A person's stored record from their id and values (the graph layer adds what the log leaves out)."""

Values = Mapping[str, Any]

_FRACTION = re.compile(r"(\.\d{6})\d+")


def instant(value: Any) -> datetime | None:
    """A logged instant: a datetime, or its text as the log stores it (ISO, nanoseconds cut to micro)."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", str(value)).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


Kinds = Mapping[str, list[tuple[str, Values]]]
"""A state's entities by kind: (entity id, values)."""


def by_kind(state: MapState) -> Kinds:
    """One pass over the state instead of one per kind."""
    kinds: dict[str, list[tuple[str, Values]]] = defaultdict(list)
    for (entity, entity_id), values in state.items():
        kinds[entity].append((entity_id, values))
    return kinds


def active_people(kinds: Kinds) -> dict[str, Values]:
    """Stakeholders with a name who are not archived, as the snapshot loader keeps them."""
    return {i: v for i, v in kinds["Stakeholder"] if v.get("name") is not None and v.get("archived") is False}


def last_contacts(kinds: Kinds) -> dict[str, datetime]:
    """The latest interaction that met each person."""
    latest: dict[str, datetime] = {}
    for _, values in kinds["Interaction"]:
        at = instant(values.get("at"))
        if at is None:
            continue
        for person in values.get("stakeholderIds") or ():
            if person not in latest or at > latest[person]:
                latest[person] = at
    return latest


def _person(person_id: str, v: Values, last_contact: datetime | None) -> Person:
    tier = v.get("contactTier")
    return Person(
        id=person_id,
        name=v["name"],
        title=v.get("title"),
        stance=Stance(v.get("stance") or Stance.UNKNOWN.value),
        influence=v.get("influence"),
        buying_roles=frozenset(BuyingRole(r) for r in v.get("buyingRoles") or ()),
        buyer_types=frozenset(BuyerType(t) for t in v.get("buyerTypes") or ()),
        contact_tier=ContactTier(tier) if tier else None,
        last_contact_at=last_contact,
    )


def _coverage(kinds: Kinds, active: Mapping[str, Values]) -> list[Coverage]:
    return [
        Coverage(team_member=v["teamMemberId"], person=v["stakeholderId"], relationship_step=v.get("relationshipStep"))
        for _, v in kinds["Coverage"]
        if v.get("stakeholderId") in active and v.get("teamMemberId") is not None
    ]


def _team(state: MapState, kinds: Kinds, account_id: str, coverage: list[Coverage]) -> tuple[TeamMember, ...]:
    ids = {c.team_member for c in coverage}
    ids.update(  # the log leaves `accountId` out (bookkeeping): an assignment put back by undoing has none
        v["teamMemberId"]
        for _, v in kinds["TeamAssignment"]
        if v.get("accountId", account_id) == account_id and v.get("teamMemberId") is not None
    )
    names = {i: state.get(("TeamMember", i), {}).get("name") or "" for i in ids}
    return tuple(TeamMember(id=i, name=n) for i, n in sorted(names.items(), key=lambda kv: (kv[1], kv[0])))


def _ties(kinds: Kinds, active: Mapping[str, Values]) -> list[Tie]:
    return [
        Tie(TieKind(v["kind"]), v["a"], v["b"], v.get("strength"))
        for _, v in kinds["Tie"]
        if v.get("a") in active and v.get("b") in active and v.get("kind") is not None
    ]


def _enum_or_none(kind: Any, value: Any) -> Any:
    return kind(value) if value else None


def rebuild_graph(state: MapState, account_id: str, record: RecordParser) -> AccountGraph:
    """The snapshot of `account_id` as `state` has it; `records` holds every person of the state, the
    archived ones too (so a summary of the past can name them)."""
    kinds = by_kind(state)
    active = active_people(kinds)
    contacts = last_contacts(kinds)
    circles = {i: v for i, v in kinds["Circle"] if v.get("name") is not None}
    coverage = _coverage(kinds, active)
    account = state.get(("Account", account_id), {})
    everyone = {i: v for i, v in kinds["Stakeholder"] if v.get("name") is not None}
    return AccountGraph(
        account_id=account_id,
        people=tuple(_person(i, v, contacts.get(i)) for i, v in active.items()),
        links=tuple(
            (v["from"], v["to"], v["strength"])
            for _, v in kinds["InfluenceLink"]
            if v.get("from") in active and v.get("to") in active
        ),
        ties=tuple(_ties(kinds, active)),
        reporting_lines=tuple(
            ReportingLine(person=i, manager=v["reportsTo"]) for i, v in active.items() if v.get("reportsTo") in active
        ),
        circles=tuple(Circle(id=i, name=v["name"]) for i, v in circles.items()),
        memberships=tuple(
            Membership(person=v["stakeholderId"], circle=v["circleId"], core=bool(v.get("core")))
            for _, v in kinds["Membership"]
            if v.get("stakeholderId") in active and v.get("circleId") in circles
        ),
        team=_team(state, kinds, account_id, coverage),
        coverage=tuple(coverage),
        tier=_enum_or_none(AccountTier, account.get("tier")),
        portfolio_class=_enum_or_none(PortfolioClass, account.get("portfolioClass")),
        records=_Records(everyone, record),
    )


class _Records(Mapping[str, Stakeholder]):
    """Each person's record, parsed on first read."""

    def __init__(self, values: Mapping[str, Values], parse: RecordParser) -> None:
        self._values = values
        self._parse = parse
        self._parsed: dict[str, Stakeholder] = {}

    def __getitem__(self, key: str) -> Stakeholder:
        found = self._parsed.get(key)
        if found is None:
            found = self._parsed[key] = self._parse(key, self._values[key])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)
