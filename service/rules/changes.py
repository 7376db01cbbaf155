"""The change log's unit: one entity changed by one write (DOMAIN.md: every change is recorded: who,
when, old -> new). History, the map as of a date and the change feed are all read from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class ChangeOp(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    ARCHIVED = "ARCHIVED"
    RESTORED = "RESTORED"
    DELETED = "DELETED"


@dataclass(frozen=True, slots=True)
class EntityChange:
    """`fields` maps each stored property that changed to (old, new), values as stored, None for absent.
    A creation lists every stored value (old None), a deletion every stored value (new None), so the
    log alone can rebuild any past state.

    `entity` names the kind: Account, Stakeholder, InfluenceLink, Tie, Membership, CircleRelation, Circle,
    Coverage, TeamMember, TeamAssignment, Interaction (and the deal kinds). `about` lists the stakeholders
    it concerns, for their history (a stakeholder's own changes need not list it)."""

    entity: str
    entity_id: str
    op: ChangeOp
    fields: Mapping[str, tuple[Any, Any]]
    account_id: str | None
    about: tuple[str, ...] = field(default=())


Fields = dict[str, tuple[Any, Any]]


def membership_change(
    circle: str, person: str, old: bool | None, new: bool | None
) -> tuple[str, str, ChangeOp, Fields]:
    """Entity, id, op and fields of a membership change (None: not a member); ends logged with the op."""
    if old is None:
        return "Membership", f"{circle}:{person}", ChangeOp.CREATED, {
            "circleId": (None, circle), "stakeholderId": (None, person), "core": (None, new)
        }  # fmt: skip
    if new is None:
        return "Membership", f"{circle}:{person}", ChangeOp.DELETED, {
            "circleId": (circle, None), "stakeholderId": (person, None), "core": (old, None)
        }  # fmt: skip
    return "Membership", f"{circle}:{person}", ChangeOp.UPDATED, {"core": (old, new)}


def circle_relation_change(relation: str, a: str, b: str, *, created: bool) -> tuple[str, str, ChangeOp, Fields]:
    values = {"type": relation, "a": a, "b": b}
    fields = {name: ((None, v) if created else (v, None)) for name, v in values.items()}
    return "CircleRelation", f"{relation}:{a}:{b}", ChangeOp.CREATED if created else ChangeOp.DELETED, fields


def team_assignment_change(member: str, account: str, *, assigned: bool) -> tuple[str, str, ChangeOp, Fields]:
    values = {"teamMemberId": member, "accountId": account}
    fields = {name: ((None, v) if assigned else (v, None)) for name, v in values.items()}
    return "TeamAssignment", f"{member}:{account}", ChangeOp.CREATED if assigned else ChangeOp.DELETED, fields
