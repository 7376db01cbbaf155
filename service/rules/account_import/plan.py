"""The diff between an account document and what is stored: rows to write, counts and history.

MERGE upserts what the document gives: a field left out (null) keeps its stored value. REPLACE
treats the document as the whole truth for its source: left-out fields are cleared, and this
source's links, ties, memberships, coverage and circles that the document no longer has are
removed, and its absent stakeholders archived (never deleted). Records written by hand or by other
sources are left alone. Unchanged records produce no rows, so re-importing writes nothing.

Every row carries `undo`: the operations that put back what the row changes (`undo.py`), built from
the stored state, so that a batched import can be rolled back to exactly the state it started from.
The steps that remove records come before the steps that write, and a removed circle loses its
memberships and relations in their own steps first, so that undoing in reverse order always finds
both ends of a relationship it recreates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from service.rules.account_import import undo
from service.rules.account_import.document import (
    AccountDocument,
    CircleDoc,
    CoverageDoc,
    InfluenceDoc,
    InteractionDoc,
    StakeholderDoc,
    TeamMemberDoc,
    TieDoc,
)
from service.rules.account_import.stored import Props, StoredAccountState, StoredCircle, StoredLink
from service.rules.changes import (
    ChangeOp,
    EntityChange,
    circle_relation_change,
    membership_change,
    team_assignment_change,
)
from service.rules.enums import ErrorCode, ImportMode
from service.rules.validation import Problem

INTELLIGENCE_FIELDS = (
    "stance",
    "influence",
    "buyingRoles",
    "buyerTypes",
    "adaptability",
    "personality",
    "contactTier",
    "notes",
)
CLEARED_VALUES: Mapping[str, Any] = {"stance": "UNKNOWN", "buyingRoles": [], "buyerTypes": []}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    removed: int = 0

    def tally(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


@dataclass
class ImportPlan:
    account_id: str
    problems: list[Problem] = field(default_factory=list)
    account: list[dict[str, Any]] = field(default_factory=list)
    stakeholders_created: list[dict[str, Any]] = field(default_factory=list)
    stakeholders_updated: list[dict[str, Any]] = field(default_factory=list)
    reporting: list[dict[str, Any]] = field(default_factory=list)
    archived: list[dict[str, Any]] = field(default_factory=list)
    circles: list[dict[str, Any]] = field(default_factory=list)
    circles_removed: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    memberships_removed: list[dict[str, Any]] = field(default_factory=list)
    circle_relations: list[dict[str, Any]] = field(default_factory=list)
    circle_relations_removed: list[dict[str, Any]] = field(default_factory=list)
    influences: list[dict[str, Any]] = field(default_factory=list)
    influences_removed: list[dict[str, Any]] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    ties_removed: list[dict[str, Any]] = field(default_factory=list)
    team: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    coverage_removed: list[dict[str, Any]] = field(default_factory=list)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    changes: list[EntityChange] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)

    def record(
        self,
        entity: str,
        entity_id: str,
        op: ChangeOp,
        changed: Mapping[str, tuple[Any, Any]],
        about: list[str],
        account_id: str | None = "",
    ) -> None:
        """Log one entity's change (nothing when nothing changed); in this account unless told otherwise."""
        if changed:
            account = self.account_id if account_id == "" else account_id
            self.changes.append(EntityChange(entity, entity_id, op, dict(changed), account, tuple(about)))


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    return value


def merged(stored: Props | None, given: Props, mode: ImportMode) -> tuple[Props, dict[str, tuple[Any, Any]]]:
    """The properties after applying `given` (None = not given), and what changed: name -> (old, new)."""
    before = stored or {}
    after = dict(before)
    for name, value in given.items():
        if value is None:
            if mode is ImportMode.MERGE:
                continue
            value = CLEARED_VALUES.get(name)
        after[name] = _value(value)
    changed = {
        name: (before.get(name), after.get(name))
        for name in given
        if before.get(name) != after.get(name) and not (name not in before and after.get(name) is None)
    }
    return after, changed


def _stakeholder_props(s: StakeholderDoc) -> Props:
    return {
        "name": s.name,
        "title": s.title,
        "department": s.department,
        "email": s.email,
        "phone": s.phone,
        "level": s.level,
        "stance": s.stance,
        "influence": s.influence,
        "buyingRoles": s.buying_roles,
        "buyerTypes": s.buyer_types,
        "adaptability": s.adaptability,
        "personality": s.personality,
        "contactTier": s.contact_tier,
        "notes": s.notes,
    }


def _circle_props(c: CircleDoc) -> Props:
    return {
        "name": c.name,
        "color": c.color,
        "businessValue": c.business_value,
        "trackRecord": c.track_record,
        "partisansAndAllies": c.partisans_and_allies,
        "philosophyAndPolicy": c.philosophy_and_policy,
    }


def _influence_props(i: InfluenceDoc) -> Props:
    return {"strength": i.strength, "kind": i.kind, "topic": i.topic, "confidence": i.confidence}


def _tie_props(t: TieDoc) -> Props:
    return {"strength": t.strength, "note": t.note}


def _team_props(t: TeamMemberDoc) -> Props:
    return {"name": t.name, "role": t.role, "email": t.email}


def _coverage_props(c: CoverageDoc) -> Props:
    return {"relationshipStep": c.relationship_step, "relationshipType": c.relationship_type}


def _interaction_props(i: InteractionDoc) -> Props:
    return {"at": i.at, "type": i.type, "summary": i.summary, "nextStep": i.next_step}


class _Planner:
    def __init__(self, doc: AccountDocument, stored: StoredAccountState, new_id: Callable[[], str]) -> None:
        self.doc = doc
        self.stored = stored
        self.new_id = new_id
        self.mode = doc.mode
        account_id = stored.account.id if stored.account else new_id()
        self.plan = ImportPlan(account_id=account_id)
        self.people: dict[str, str] = {}
        self.circle_ids: dict[str, str] = {}
        self.team_ids: dict[str, str] = {}

    def build(self) -> ImportPlan:
        self._conflicts()
        if self.plan.problems:
            return self.plan
        self._account()
        self._stakeholders()
        self._circles()
        self._influences()
        self._ties()
        self._team()
        self._coverage()
        self._interactions()
        return self.plan

    def _conflicts(self) -> None:
        for index, s in enumerate(self.doc.stakeholders):
            found = self.stored.stakeholders.get(s.external_id)
            if found is not None and found.account_id != self.plan.account_id:
                self.plan.problems.append(
                    Problem(
                        ("stakeholders", str(index), "externalId"),
                        f"{s.external_id!r} of source {self.doc.source!r} belongs to another account.",
                        ErrorCode.CONFLICT,
                    )
                )

    def _account(self) -> None:
        a = self.doc.account
        stored = self.stored.account
        given = {
            "name": a.name,
            "industry": a.industry,
            "tier": a.tier,
            "portfolioClass": a.portfolio_class,
        }
        props, changed = merged(stored.props if stored else None, given, self.mode)
        self.plan.counts.tally(stored is None, bool(changed))
        op = ChangeOp.CREATED if stored is None else ChangeOp.UPDATED
        self.plan.record("Account", self.plan.account_id, op, changed, [])
        if stored is None or changed:
            self.plan.account.append(
                {
                    "id": self.plan.account_id,
                    "externalId": a.external_id,
                    "create": stored is None,
                    "props": props,
                    "undo": [undo.restore_node("Account", self.plan.account_id, stored is not None)],
                }
            )

    def _stakeholders(self) -> None:
        for s in self.doc.stakeholders:
            found = self.stored.stakeholders.get(s.external_id)
            self.people[s.external_id] = found.id if found else self.new_id()
        for s in self.doc.stakeholders:
            self._stakeholder(s)
        if self.mode is ImportMode.REPLACE:
            self._archive_absent()

    def _stakeholder(self, s: StakeholderDoc) -> None:
        found = self.stored.stakeholders.get(s.external_id)
        person = self.people[s.external_id]
        props, changed = merged(found.props if found else None, _stakeholder_props(s), self.mode)
        manager = self.people.get(s.reports_to) if s.reports_to else None
        manager_changed = (
            found is not None
            and found.manager_id != manager
            and (s.reports_to is not None or self.mode is ImportMode.REPLACE)
        )
        restored = found is not None and found.archived
        self.plan.counts.tally(found is None, bool(changed) or manager_changed or restored)
        if found is None:
            props.setdefault("stance", "UNKNOWN")
            props.setdefault("buyingRoles", [])
            props.setdefault("buyerTypes", [])
            self.plan.stakeholders_created.append(
                {
                    "id": person,
                    "externalId": s.external_id,
                    "props": props,
                    "undo": [undo.delete_node("Stakeholder", person)],
                }
            )
        elif changed or restored:
            self.plan.stakeholders_updated.append(
                {"id": person, "props": props, "undo": [undo.put_node("Stakeholder", person)]}
            )
        logged = dict(changed)
        if restored:
            logged["archived"] = (True, False)
        if (found is None and manager is not None) or manager_changed:
            logged["reportsTo"] = (None if found is None else found.manager_id, manager)
        if found is None:
            logged = {**logged, **{name: (None, props[name]) for name in CLEARED_VALUES if name not in logged}}
        op = ChangeOp.CREATED if found is None else ChangeOp.RESTORED if restored else ChangeOp.UPDATED
        self.plan.record("Stakeholder", person, op, logged, [person])
        if (found is None and manager is not None) or manager_changed:
            old_manager = None if found is None else found.manager_id
            self.plan.reporting.append(
                {"id": person, "managerId": manager, "undo": [undo.set_manager(person, old_manager)]}
            )

    def _archive_absent(self) -> None:
        present = set(self.people.values())
        archived = {s.id for s in self.stored.stakeholders.values() if s.archived}
        for person in sorted(self.stored.source_stakeholders_in_account):
            if person in present or person in archived:
                continue
            self.plan.archived.append({"id": person, "undo": [undo.put_node("Stakeholder", person)]})
            self.plan.counts.archived += 1
            self.plan.record("Stakeholder", person, ChangeOp.ARCHIVED, {"archived": (False, True)}, [person])

    def _circles(self) -> None:
        for c in self.doc.circles:
            found = self.stored.circles.get(c.key)
            self.circle_ids[c.key] = found.id if found else self.new_id()
        wanted_relations: set[tuple[str, str, str]] = set()
        for c in self.doc.circles:
            self._circle(c)
            me = self.circle_ids[c.key]
            for relation, keys in (("RIVAL_OF", c.rivals), ("ALLIED_WITH", c.allies)):
                for key in keys:
                    other = self.circle_ids[key]
                    wanted_relations.add((relation, min(me, other), max(me, other)))
        self._circle_relations(wanted_relations)
        if self.mode is ImportMode.REPLACE:
            for key, stored in sorted(self.stored.circles.items()):
                if key not in self.circle_ids:
                    self.plan.circles_removed.append({"id": stored.id, "undo": [undo.put_node("Circle", stored.id)]})
                    self.plan.counts.removed += 1
                    for person in stored.members:
                        self._remove_membership(stored, person)
                    removed = {name: (value, None) for name, value in sorted(stored.props.items()) if value is not None}
                    self.plan.record("Circle", stored.id, ChangeOp.DELETED, removed, [])

    def _circle(self, c: CircleDoc) -> None:
        found = self.stored.circles.get(c.key)
        circle = self.circle_ids[c.key]
        props, changed = merged(found.props if found else None, _circle_props(c), self.mode)
        self.plan.record("Circle", circle, ChangeOp.CREATED if found is None else ChangeOp.UPDATED, changed, [])
        members_changed = self._members(c, circle, found)
        self.plan.counts.tally(found is None, bool(changed) or members_changed)
        if found is None or changed:
            before = undo.restore_node("Circle", circle, found is not None)
            self.plan.circles.append(
                {"id": circle, "key": c.key, "create": found is None, "props": props, "undo": [before]}
            )

    def _members(self, c: CircleDoc, circle: str, found: StoredCircle | None) -> bool:
        stored = found.members if found else {}
        wanted = {self.people[m.stakeholder]: m.core for m in c.members}
        changed = False
        for person, core in wanted.items():
            if stored.get(person) != core:
                changed = True
                back = undo.restore_rel("MEMBER_OF", person, circle, person in stored)
                self.plan.memberships.append(
                    {"stakeholderId": person, "circleId": circle, "core": core, "undo": [back]}
                )
                self._membership(circle, person, stored.get(person), core)
        if self.mode is ImportMode.REPLACE and found is not None:
            for person in stored:
                if person not in wanted:
                    changed = True
                    self._remove_membership(found, person)
        return changed

    def _remove_membership(self, circle: StoredCircle, person: str) -> None:
        back = undo.put_rel("MEMBER_OF", person, circle.id)
        self.plan.memberships_removed.append({"stakeholderId": person, "circleId": circle.id, "undo": [back]})
        self._membership(circle.id, person, circle.members[person], None)

    def _membership(self, circle: str, person: str, old: bool | None, new: bool | None) -> None:
        self.plan.record(*membership_change(circle, person, old, new), [person])

    def _circle_relations(self, wanted: set[tuple[str, str, str]]) -> None:
        existing: set[tuple[str, str, str]] = set()
        for stored in self.stored.circles.values():
            for relation, others in (("RIVAL_OF", stored.rivals), ("ALLIED_WITH", stored.allies)):
                for other in others:
                    existing.add((relation, min(stored.id, other), max(stored.id, other)))
        for relation, a, b in sorted(wanted - existing):
            back = undo.delete_rel(relation, a, b)
            self.plan.circle_relations.append({"type": relation, "a": a, "b": b, "undo": [back]})
            self.plan.record(*circle_relation_change(relation, a, b, created=True), [])
        if self.mode is ImportMode.REPLACE:
            for relation, a, b in sorted(existing - wanted):
                back = undo.put_rel(relation, a, b)
                self.plan.circle_relations_removed.append({"type": relation, "a": a, "b": b, "undo": [back]})
                self.plan.record(*circle_relation_change(relation, a, b, created=False), [])

    def _link(
        self,
        entity: str,
        found: StoredLink | None,
        given: Props,
        ends: Props,
        about: list[str],
        new_id: str | None = None,
    ) -> tuple[str, Props, bool]:
        """`ends` are what identifies the link (its ends, a tie's kind): logged when it is created;
        `new_id` is the entity id of a new one (default: a fresh id)."""
        link_id = found.id if found else (new_id or self.new_id())
        props, changed = merged(found.props if found else None, given, self.mode)
        self.plan.counts.tally(found is None, bool(changed))
        if found is None:
            created = {**{name: (None, value) for name, value in ends.items()}, **changed}
            self.plan.record(entity, link_id, ChangeOp.CREATED, created, about)
        else:
            self.plan.record(entity, link_id, ChangeOp.UPDATED, changed, about)
        return link_id, props, found is None or bool(changed)

    def _removed_links(
        self, entity: str, stale: list[StoredLink], ends: Callable[[StoredLink], Props]
    ) -> list[StoredLink]:
        removed = [link for link in stale if link.source == self.doc.source]
        for link in removed:
            self.plan.counts.removed += 1
            values = {**ends(link), **link.props}
            gone = {name: (value, None) for name, value in sorted(values.items()) if value is not None}
            self.plan.record(entity, link.id, ChangeOp.DELETED, gone, [link.start, link.end])
        return removed

    def _influences(self) -> None:
        wanted = set()
        for i in self.doc.influences:
            start, end = self.people[i.source], self.people[i.target]
            wanted.add((start, end))
            found = self.stored.influences.get((start, end))
            link_id, props, write = self._link(
                "InfluenceLink", found, _influence_props(i), {"from": start, "to": end}, [start, end]
            )
            if write:
                back = undo.restore_rel("INFLUENCES", start, end, found is not None)
                self.plan.influences.append({"id": link_id, "from": start, "to": end, "props": props, "undo": [back]})
        if self.mode is ImportMode.REPLACE:
            stale = [link for key, link in sorted(self.stored.influences.items()) if key not in wanted]
            self.plan.influences_removed += [
                {"id": link.id, "undo": [undo.put_rel("INFLUENCES", link.start, link.end)]}
                for link in self._removed_links("InfluenceLink", stale, _link_ends)
            ]

    def _ties(self) -> None:
        wanted = set()
        for t in self.doc.ties:
            a, b = sorted((self.people[t.a], self.people[t.b]))
            key = (t.kind.value, a, b)
            wanted.add(key)
            found = self.stored.ties.get(key)
            link_id, props, write = self._link(
                "Tie", found, _tie_props(t), {"kind": t.kind.value, "a": a, "b": b}, [a, b]
            )
            if write:
                back = undo.restore_rel("TIE", a, b, found is not None, t.kind.value)
                props = {**props, "kind": t.kind.value}
                self.plan.ties.append({"id": link_id, "a": a, "b": b, "props": props, "undo": [back]})
        if self.mode is ImportMode.REPLACE:
            stale = [link for key, link in sorted(self.stored.ties.items()) if key not in wanted]
            kinds = {link.id: key[0] for key, link in self.stored.ties.items()}
            self.plan.ties_removed += [
                {"id": link.id, "undo": [undo.put_rel("TIE", link.start, link.end, kinds[link.id])]}
                for link in self._removed_links("Tie", stale, _tie_ends)
            ]

    def _team(self) -> None:
        for t in self.doc.team:
            found = self.stored.team.get(t.external_id)
            member = found.id if found else self.new_id()
            self.team_ids[t.external_id] = member
            props, changed = merged(found.props if found else None, _team_props(t), self.mode)
            assign = found is None or not found.assigned
            self.plan.counts.tally(found is None, bool(changed) or assign)
            op = ChangeOp.CREATED if found is None else ChangeOp.UPDATED
            self.plan.record("TeamMember", member, op, changed, [], account_id=None)
            if assign:
                self.plan.record(*team_assignment_change(member, self.plan.account_id, assigned=True), [])
            if found is None or changed or assign:
                back = [undo.restore_node("TeamMember", member, found is not None)]
                if found is not None and assign:
                    back.append(undo.delete_rel("ASSIGNED_TO", member, self.plan.account_id))
                self.plan.team.append(
                    {"id": member, "externalId": t.external_id, "create": found is None, "props": props, "undo": back}
                )

    def _coverage(self) -> None:
        wanted = set()
        for c in self.doc.coverage:
            key = (self.team_ids[c.team_member], self.people[c.stakeholder])
            wanted.add(key)
            found = self.stored.coverage.get(key)
            ends = {"teamMemberId": key[0], "stakeholderId": key[1]}
            link_id, props, write = self._link(
                "Coverage", found, _coverage_props(c), ends, [key[1]], new_id=f"{key[0]}:{key[1]}"
            )
            if write:
                back = undo.restore_rel("COVERS", key[0], key[1], found is not None)
                self.plan.coverage.append(
                    {"teamMemberId": key[0], "stakeholderId": key[1], "props": props, "undo": [back]}
                )
        if self.mode is ImportMode.REPLACE:
            stale = [link for key, link in sorted(self.stored.coverage.items()) if key not in wanted]
            self.plan.coverage_removed += [
                {
                    "teamMemberId": link.start,
                    "stakeholderId": link.end,
                    "undo": [undo.put_rel("COVERS", link.start, link.end)],
                }
                for link in self._removed_links("Coverage", stale, _coverage_ends)
            ]

    def _interactions(self) -> None:
        for i in self.doc.interactions:
            found = self.stored.interactions.get(i.external_id)
            team_member = self.team_ids[i.team_member] if i.team_member else None
            met = frozenset(self.people[key] for key in i.stakeholders)
            props, changed = merged(found.props if found else None, _interaction_props(i), self.mode)
            relinked = found is not None and (found.team_member_id != team_member or found.stakeholder_ids != met)
            self.plan.counts.tally(found is None, bool(changed) or relinked)
            interaction = found.id if found else self.new_id()
            logged = dict(changed)
            if found is None or found.team_member_id != team_member:
                logged["teamMemberId"] = (None if found is None else found.team_member_id, team_member)
            if found is None or found.stakeholder_ids != met:
                logged["stakeholderIds"] = (None if found is None else sorted(found.stakeholder_ids), sorted(met))
            op = ChangeOp.CREATED if found is None else ChangeOp.UPDATED
            self.plan.record("Interaction", interaction, op, logged, sorted(met))
            if found is None or changed or relinked:
                back = [undo.restore_node("Interaction", interaction, found is not None)]
                if found is not None:
                    back.append(undo.relink(interaction, found.team_member_id, found.stakeholder_ids))
                self.plan.interactions.append(
                    {
                        "id": interaction,
                        "externalId": i.external_id,
                        "props": props,
                        "teamMemberId": team_member,
                        "stakeholderIds": sorted(met),
                        "undo": back,
                    }
                )


def plan_import(doc: AccountDocument, stored: StoredAccountState, new_id: Callable[[], str]) -> ImportPlan:
    """What to write so that the store matches `doc` (see the module docstring)."""
    return _Planner(doc, stored, new_id).build()


def _link_ends(link: StoredLink) -> Props:
    return {"from": link.start, "to": link.end}


def _tie_ends(link: StoredLink) -> Props:
    return {"a": link.start, "b": link.end}


def _coverage_ends(link: StoredLink) -> Props:
    return {"teamMemberId": link.start, "stakeholderId": link.end}
