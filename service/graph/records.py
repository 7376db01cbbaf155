"""One parser per domain type: stored property maps -> frozen domain objects."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from service.rules.enums import (
    AccountTier,
    Adaptability,
    BuyerType,
    BuyingRole,
    ContactTier,
    InfluenceKind,
    InteractionType,
    OrgLevel,
    Personality,
    PortfolioClass,
    RelationshipStage,
    RelationshipType,
    Stance,
    TeamRole,
    TieKind,
)
from service.rules.models import (
    Account,
    Change,
    Circle,
    Coverage,
    ExternalId,
    InfluenceLink,
    Interaction,
    Stakeholder,
    TeamMember,
    Tie,
)

E = TypeVar("E", bound=Enum)
T = TypeVar("T")
Props = Mapping[str, Any]


class ParsedOnRead(Mapping[str, T]):
    """Stored records by id, each parsed on its first read and kept: for records read in bulk of which
    a caller may use only a few."""

    def __init__(self, props: Mapping[str, Any], parse: Callable[[Any], T]) -> None:
        self._props = props
        self._parse = parse
        self._parsed: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        found = self._parsed.get(key)
        if found is None:
            found = self._parsed[key] = self._parse(self._props[key])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._props)

    def __len__(self) -> int:
        return len(self._props)


@cache
def _members(kind: type[E]) -> dict[Any, E]:
    return {member.value: member for member in kind}


def member(kind: type[E], value: Any) -> E:
    """`kind(value)` by a dictionary lookup: calling an Enum class costs ~0.6 µs, and a page of people reads
    thousands of enum values. An unknown value raises as `kind(value)` does."""
    found = _members(kind).get(value)
    return kind(value) if found is None else found


def _enum(kind: type[E], value: Any) -> E | None:
    return None if value is None else member(kind, value)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The start of epoch seconds, aware: what a date-time passed or read as seconds and nanoseconds counts from."""


def native_datetime(value: Any) -> datetime | None:
    """Neo4j's DateTime, epoch milliseconds, or `[t.epochSeconds, t.nanosecond]` -> an aware `datetime` (None, or
    a pair of nulls, -> None).

    Bulk reads return epoch milliseconds, a write's answer the pair (exact to the microsecond, as the driver's
    conversion): the driver's DateTime hydration costs ~0.15 ms a value.
    """
    if value is None:
        return None
    if isinstance(value, int):
        return datetime.fromtimestamp(value / 1000, UTC)
    if isinstance(value, list):
        seconds, nanos = value
        if seconds is None:
            return None
        return EPOCH + timedelta(seconds=seconds, microseconds=nanos // 1000)
    native: datetime = value.to_native() if hasattr(value, "to_native") else value
    return native


def account_from(p: Props) -> Account:
    return Account(
        id=p["id"],
        name=p["name"],
        industry=p.get("industry"),
        tier=_enum(AccountTier, p.get("tier")),
        portfolio_class=_enum(PortfolioClass, p.get("portfolioClass")),
        relationship_stage=_enum(RelationshipStage, p.get("relationshipStage")),
        updated_at=native_datetime(p.get("updatedAt")),
    )


def stakeholder_from(p: Props) -> Stakeholder:
    return Stakeholder(
        id=p["id"],
        account_id=p["accountId"],
        name=p["name"],
        title=p.get("title"),
        department=p.get("department"),
        email=p.get("email"),
        phone=p.get("phone"),
        level=_enum(OrgLevel, p.get("level")),
        stance=member(Stance, p.get("stance") or Stance.UNKNOWN.value),
        influence=p.get("influence"),
        buying_roles=tuple(member(BuyingRole, r) for r in p.get("buyingRoles") or ()),
        buyer_types=tuple(member(BuyerType, t) for t in p.get("buyerTypes") or ()),
        adaptability=_enum(Adaptability, p.get("adaptability")),
        personality=_enum(Personality, p.get("personality")),
        contact_tier=_enum(ContactTier, p.get("contactTier")),
        notes=p.get("notes"),
        archived=bool(p.get("archived", False)),
        version=int(p.get("version") or 1),
        updated_at=native_datetime(p.get("updatedAt")),
    )


def circle_from(p: Props) -> Circle:
    return Circle(
        id=p["id"],
        account_id=p["accountId"],
        name=p["name"],
        color=p.get("color"),
        business_value=p.get("businessValue"),
        track_record=p.get("trackRecord"),
        partisans_and_allies=p.get("partisansAndAllies"),
        philosophy_and_policy=p.get("philosophyAndPolicy"),
    )


def influence_from(p: Props) -> InfluenceLink:
    return InfluenceLink(
        id=p["id"],
        from_id=p["from"],
        to_id=p["to"],
        strength=p["strength"],
        kind=_enum(InfluenceKind, p.get("kind")),
        topic=p.get("topic"),
        confidence=p.get("confidence"),
    )


def tie_from(p: Props) -> Tie:
    return Tie(
        id=p["id"],
        kind=member(TieKind, p["kind"]),
        a_id=p["a"],
        b_id=p["b"],
        strength=p.get("strength"),
        note=p.get("note"),
    )


def team_member_from(p: Props) -> TeamMember:
    return TeamMember(id=p["id"], name=p["name"], role=member(TeamRole, p["role"]), email=p.get("email"))


def coverage_from(p: Props) -> Coverage:
    return Coverage(
        team_member_id=p["teamMember"],
        stakeholder_id=p["stakeholder"],
        relationship_step=p.get("relationshipStep"),
        relationship_type=_enum(RelationshipType, p.get("relationshipType")),
        last_contact_at=native_datetime(p.get("lastContactAt")),
    )


def interaction_from(p: Props) -> Interaction:
    at = native_datetime(p["at"])
    assert at is not None
    return Interaction(
        id=p["id"],
        account_id=p["accountId"],
        at=at,
        type=InteractionType(p["type"]),
        team_member_id=p.get("teamMember"),
        stakeholder_ids=tuple(p.get("stakeholders") or ()),
        summary=p.get("summary"),
        next_step=p.get("nextStep"),
    )


def change_from(p: Props) -> Change:
    at = native_datetime(p["at"])
    assert at is not None
    return Change(
        id=p["id"],
        at=at,
        by=p["by"],
        entity=p["entity"],
        entity_id=p["entityId"],
        field=p["field"],
        old=json.loads(p["old"]),
        new=json.loads(p["new"]),
        op=p.get("op") or "UPDATED",
        index=p.get("index") or 0,
    )


def external_id_from(p: Props) -> ExternalId:
    return ExternalId(source=p["source"], id=p["externalId"])
