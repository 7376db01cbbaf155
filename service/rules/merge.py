"""Merging a duplicate stakeholder into its survivor: what moves, what is dropped, and why.

Everything of the duplicate moves onto the survivor: influence links (both directions), ties,
circle memberships, coverage, interactions it was met in, reporting lines (its manager and its
direct reports) and its external ids; its part in deals too (`service.rules.deals.merge_plan`). A link between the two would become a self-link: it is
dropped. Where both already have the same link (same other person, circle or team member), the
survivor's is kept and the duplicate's dropped; when their values differ that is a conflict, and
the payload says what was kept and what was dropped. Fields follow the same rule: an empty field
of the survivor takes the duplicate's value, a field both have keeps the survivor's.

The duplicate is archived (never deleted) and remembers `mergedInto`; its history stays, and also
becomes the survivor's. Merging it again into the same survivor changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from service.rules.account_import.plan import INTELLIGENCE_FIELDS
from service.rules.changes import ChangeOp, EntityChange
from service.rules.enums import ErrorCode
from service.rules.validation import Problem

CONTACT_FIELDS = ("name", "title", "department", "email", "phone", "level")
EMPTY_VALUES: tuple[Any, ...] = (None, [], (), "", "UNKNOWN")
"""Values that count as "not known": the survivor takes the duplicate's value instead (UNKNOWN is a stance)."""

Props = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Link:
    """One relationship of a stakeholder, from its point of view."""

    kind: str
    """INFLUENCES, TIE, MEMBER_OF, COVERS, MET, MANAGER (it reports to `other`) or REPORT (`other` reports to it)."""
    other: str
    """The id of the node at the other end (stakeholder, circle, team member or interaction)."""
    other_name: str | None = None
    outgoing: bool = True
    """For influence links: whether it points away from the stakeholder."""
    props: Props = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, bool, str | None]:
        """Two links with one key are the same link: one per ordered pair (influence) or pair and kind (tie)."""
        tie_kind = self.props.get("kind") if self.kind == "TIE" else None
        outgoing = self.outgoing if self.kind == "INFLUENCES" else True
        return self.kind, self.other, outgoing, tie_kind


@dataclass(frozen=True, slots=True)
class MergeSide:
    id: str
    props: Props
    links: tuple[Link, ...] = ()


@dataclass
class MergePlan:
    moves: dict[str, list[Link]] = field(default_factory=dict)
    """By kind: the duplicate's links that move to the survivor; every other link of the duplicate is dropped."""
    dropped: list[Link] = field(default_factory=list)
    fills: dict[str, Any] = field(default_factory=dict)
    """Survivor fields that take the duplicate's value."""
    conflicts: list[str] = field(default_factory=list)
    already_merged: bool = False

    @property
    def moved(self) -> int:
        return sum(len(links) for links in self.moves.values())


def check_merge(survivor: Props | None, duplicate: Props | None, survivor_id: str, duplicate_id: str) -> list[Problem]:
    """Problems that refuse the merge; paths relative to the input."""
    problems = []
    if survivor is None:
        problems.append(Problem(("survivor",), "no stakeholder with this id.", ErrorCode.NOT_FOUND))
    if duplicate is None:
        problems.append(Problem(("duplicate",), "no stakeholder with this id.", ErrorCode.NOT_FOUND))
    if survivor is None or duplicate is None:
        return problems
    if survivor_id == duplicate_id:
        return [Problem(("duplicate",), "a stakeholder cannot be merged into themselves.")]
    if survivor.get("accountId") != duplicate.get("accountId"):
        problems.append(Problem(("duplicate",), "survivor and duplicate must belong to the same account."))
    if survivor.get("archived"):
        problems.append(Problem(("survivor",), "the survivor is archived; unarchive them or merge the other way."))
    merged_into = duplicate.get("mergedInto")
    if merged_into is not None and merged_into != survivor_id:
        problems.append(Problem(("duplicate",), "the duplicate was already merged into another stakeholder."))
    return problems


def _describe(link: Link, name: str) -> str:
    other = link.other_name or link.other
    if link.kind == "INFLUENCES":
        return f"both influence {other}" if link.outgoing else f"{other} influences both"
    if link.kind == "TIE":
        return f"both have a {link.props.get('kind')} tie with {other}"
    if link.kind == "MEMBER_OF":
        return f"both are in circle {other}"
    if link.kind == "COVERS":
        return f"{other} covers both"
    if link.kind == "MANAGER":
        return "both report to someone"
    return f"{name}: {other}"


COMPARED = {
    "INFLUENCES": ("strength", "kind", "topic", "confidence"),
    "TIE": ("strength", "note"),
    "MEMBER_OF": ("core",),
    "COVERS": ("relationshipStep", "relationshipType"),
}
ENTITIES = {"INFLUENCES": "InfluenceLink", "TIE": "Tie", "MEMBER_OF": "Membership", "COVERS": "Coverage"}


def _differences(kind: str, kept: Link, dropped: Link) -> list[str]:
    parts = []
    for name in COMPARED.get(kind, ()):
        a, b = kept.props.get(name), dropped.props.get(name)
        if a != b:
            parts.append(f"kept {_label(name)} {_value(a)} (survivor), dropped {_value(b)} (duplicate)")
    return parts


def _label(name: str) -> str:
    return {"relationshipStep": "relationship step", "relationshipType": "relationship type"}.get(name, name)


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]" if value else "none"
    return str(value)


def plan_merge(survivor: MergeSide, duplicate: MergeSide) -> MergePlan:
    """Decide every move, drop and field (see the module docstring)."""
    plan = MergePlan()
    if duplicate.props.get("mergedInto") == survivor.id and duplicate.props.get("archived"):
        plan.already_merged = True
        return plan
    survivor_links = {link.key: link for link in survivor.links}
    survivor_manager = next((link for link in survivor.links if link.kind == "MANAGER"), None)
    for link in duplicate.links:
        if link.other == survivor.id:
            plan.dropped.append(link)
            if link.kind in ("INFLUENCES", "TIE"):
                plan.conflicts.append(
                    f"dropped the {_kind_name(link)} between the two: it would link the survivor to itself"
                )
            continue
        if link.kind == "MANAGER" and survivor_manager is not None:
            plan.dropped.append(link)
            if survivor_manager.other != link.other:
                plan.conflicts.append(
                    f"managers differ: kept {survivor_manager.other_name or survivor_manager.other} (survivor), "
                    f"dropped {link.other_name or link.other} (duplicate)"
                )
            continue
        kept = survivor_links.get(link.key)
        if kept is None:
            plan.moves.setdefault(link.kind, []).append(link)
            continue
        plan.dropped.append(link)
        differences = _differences(link.kind, kept, link)
        if differences:
            plan.conflicts.append(f"{_describe(link, link.kind)}: {'; '.join(differences)}")
    _fields(plan, survivor, duplicate)
    return plan


def _kind_name(link: Link) -> str:
    if link.kind == "INFLUENCES":
        return f"influence link (strength {link.props.get('strength')})"
    return f"{link.props.get('kind')} tie"


def _fields(plan: MergePlan, survivor: MergeSide, duplicate: MergeSide) -> None:
    for name in (*CONTACT_FIELDS, *INTELLIGENCE_FIELDS):
        kept, other = survivor.props.get(name), duplicate.props.get(name)
        if other in EMPTY_VALUES or kept == other:
            continue
        if kept in EMPTY_VALUES:
            plan.fills[name] = other
            continue
        plan.conflicts.append(f"{name}: kept {_value(kept)} (survivor), dropped {_value(other)} (duplicate)")


def merge_changes(plan: MergePlan, survivor: MergeSide, duplicate: MergeSide) -> list[EntityChange]:
    """The change log of a merge: the survivor's filled fields, the archived duplicate, and every link
    of the duplicate that moved to the survivor or was dropped."""
    account = survivor.props.get("accountId")
    s, d = survivor.id, duplicate.id
    fills = {name: (survivor.props.get(name), value) for name, value in plan.fills.items()}
    changes = [
        EntityChange("Stakeholder", s, ChangeOp.UPDATED, {**fills, "mergedFrom": (None, d)}, account, (s, d)),
        EntityChange(
            "Stakeholder",
            d,
            ChangeOp.ARCHIVED,
            {"archived": (bool(duplicate.props.get("archived")), True), "mergedInto": (None, s)},
            account,
            (d,),
        ),
    ]
    for links in plan.moves.values():
        for link in links:
            changes += _moved(link, s, d, account)
    for link in plan.dropped:
        changes += _dropped(link, d, account)
    return changes


def _pair(x: str, y: str) -> tuple[str, str]:
    low, high = sorted((x, y))
    return low, high


def _moved(link: Link, s: str, d: str, account: str | None) -> list[EntityChange]:
    other = link.other
    if link.kind == "INFLUENCES":
        end = "from" if link.outgoing else "to"
        return [
            EntityChange(
                "InfluenceLink", str(link.props.get("id")), ChangeOp.UPDATED, {end: (d, s)}, account, (s, other)
            )
        ]
    if link.kind == "TIE":
        (old_a, old_b), (new_a, new_b) = _pair(d, other), _pair(s, other)
        fields = {"a": (old_a, new_a), "b": (old_b, new_b)}
        return [EntityChange("Tie", str(link.props.get("id")), ChangeOp.UPDATED, fields, account, (s, other))]
    if link.kind in ("MEMBER_OF", "COVERS"):
        return [*_dropped(link, d, account), _recreated(link, s, account)]
    if link.kind == "MET":
        return [EntityChange("Interaction", other, ChangeOp.UPDATED, {"met": (d, s)}, account, (s,))]
    if link.kind == "MANAGER":
        return [EntityChange("Stakeholder", s, ChangeOp.UPDATED, {"reportsTo": (None, other)}, account, (s,))]
    if link.kind == "REPORT":
        return [EntityChange("Stakeholder", other, ChangeOp.UPDATED, {"reportsTo": (d, s)}, account, (other,))]
    return []


def _ends(link: Link, person: str) -> tuple[str, dict[str, Any]]:
    """The entity id and identifying fields of a membership or coverage of `person`."""
    if link.kind == "MEMBER_OF":
        return f"{link.other}:{person}", {"circleId": link.other, "stakeholderId": person}
    return f"{link.other}:{person}", {"teamMemberId": link.other, "stakeholderId": person}


def _recreated(link: Link, person: str, account: str | None) -> EntityChange:
    entity_id, ends = _ends(link, person)
    values = {**ends, **{name: link.props.get(name) for name in COMPARED[link.kind]}}
    fields = {name: (None, value) for name, value in values.items() if value is not None}
    return EntityChange(ENTITIES[link.kind], entity_id, ChangeOp.CREATED, fields, account, (person,))


def _dropped(link: Link, d: str, account: str | None) -> list[EntityChange]:
    if link.kind in ("MEMBER_OF", "COVERS"):
        entity_id, values = _ends(link, d)
    elif link.kind == "INFLUENCES":
        entity_id = str(link.props.get("id"))
        values = {"from": d, "to": link.other} if link.outgoing else {"from": link.other, "to": d}
    elif link.kind == "TIE":
        entity_id = str(link.props.get("id"))
        a, b = _pair(d, link.other)
        values = {"kind": link.props.get("kind"), "a": a, "b": b}
    elif link.kind == "MANAGER":
        return [EntityChange("Stakeholder", d, ChangeOp.UPDATED, {"reportsTo": (link.other, None)}, account, (d,))]
    else:
        return []
    values.update({name: link.props.get(name) for name in COMPARED[link.kind]})
    fields = {name: (value, None) for name, value in values.items() if value is not None}
    return [EntityChange(ENTITIES[link.kind], entity_id, ChangeOp.DELETED, fields, account, (d, link.other))]
