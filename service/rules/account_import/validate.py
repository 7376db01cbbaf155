"""Every problem of an account document, each with its path; an empty list means it can be written."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

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
from service.rules.enums import ErrorCode
from service.rules.validation import (
    INFLUENCE_RANGE,
    RELATIONSHIP_STEP_RANGE,
    STRENGTH_RANGE,
    TEXT_RULES,
    Problem,
    check_text,
    confidence_in_range,
    in_range,
    not_self,
    text_problems,
)

MAX_STAKEHOLDERS = 10_000
MAX_LINKS = 100_000
MAX_SMALL_LIST = 2_000


def effective_at_problems(effective_at: datetime | None, now: datetime) -> list[Problem]:
    """A backfilled document's instant (DOMAIN.md rule 18) has a time zone and is not in the future."""
    if effective_at is None:
        return []
    if effective_at.tzinfo is None:
        return [Problem(("effectiveAt",), "`effectiveAt` needs a time zone offset.")]
    if effective_at > now:
        return [Problem(("effectiveAt",), "`effectiveAt` cannot be in the future.")]
    return []


def validate_document(doc: AccountDocument) -> list[Problem]:
    problems = [
        *_external_id(doc.source, ("source",), "source"),
        *_external_id(doc.account.external_id, ("account", "externalId")),
        *text_problems("Account", {"name": doc.account.name, "industry": doc.account.industry}, ("account",)),
        *_limits(doc),
    ]
    if problems:
        return problems
    people = _keys([s.external_id for s in doc.stakeholders])
    circles = _keys([c.key for c in doc.circles])
    team = _keys([t.external_id for t in doc.team])
    return [
        *_duplicates([s.external_id for s in doc.stakeholders], "stakeholders", "externalId"),
        *_each("stakeholders", doc.stakeholders, lambda s, p: _stakeholder(s, p, people)),
        *_reporting_cycles(doc.stakeholders),
        *_duplicates([c.key for c in doc.circles], "circles", "key"),
        *_each("circles", doc.circles, lambda c, p: _circle(c, p, people, circles)),
        *_duplicates([(i.source, i.target) for i in doc.influences], "influences", "to"),
        *_each("influences", doc.influences, lambda i, p: _influence(i, p, people)),
        *_duplicates([(t.kind, *sorted((t.a, t.b))) for t in doc.ties], "ties", "b"),
        *_each("ties", doc.ties, lambda t, p: _tie(t, p, people)),
        *_duplicates([t.external_id for t in doc.team], "team", "externalId"),
        *_each("team", doc.team, _team_member),
        *_duplicates([(c.team_member, c.stakeholder) for c in doc.coverage], "coverage", "stakeholder"),
        *_each("coverage", doc.coverage, lambda c, p: _coverage(c, p, people, team)),
        *_duplicates([i.external_id for i in doc.interactions], "interactions", "externalId"),
        *_each("interactions", doc.interactions, lambda i, p: _interaction(i, p, people, team)),
    ]


def _limits(doc: AccountDocument) -> list[Problem]:
    sizes = {
        "stakeholders": (len(doc.stakeholders), MAX_STAKEHOLDERS),
        "influences": (len(doc.influences), MAX_LINKS),
        "ties": (len(doc.ties), MAX_LINKS),
        "circles": (len(doc.circles), MAX_SMALL_LIST),
        "team": (len(doc.team), MAX_SMALL_LIST),
        "coverage": (len(doc.coverage), MAX_LINKS),
        "interactions": (len(doc.interactions), MAX_LINKS),
    }
    return [
        Problem((name,), f"at most {limit} {name} per document, got {size}.", ErrorCode.LIMIT_EXCEEDED)
        for name, (size, limit) in sizes.items()
        if size > limit
    ]


def _external_id(value: str | None, path: tuple[str, ...], name: str = "externalId") -> list[Problem]:
    return check_text(value, TEXT_RULES["ExternalId"][name], path, name)


def _keys(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _each(list_name: str, items: Sequence[object], check: object) -> list[Problem]:
    assert callable(check)
    return [problem for index, item in enumerate(items) for problem in check(item, (list_name, str(index)))]


def _duplicates(keys: Sequence[object], list_name: str, field_name: str) -> list[Problem]:
    seen: dict[object, int] = {}
    problems = []
    for index, key in enumerate(keys):
        if key in seen:
            problems.append(
                Problem(
                    (list_name, str(index), field_name),
                    f"duplicates {list_name}[{seen[key]}]; each may appear once.",
                    ErrorCode.CONFLICT,
                )
            )
        else:
            seen[key] = index
    return problems


def _reference(key: str, known: frozenset[str], path: tuple[str, ...], what: str) -> list[Problem]:
    if key in known:
        return []
    return [Problem(path, f"no {what} with key {key!r} in this document.", ErrorCode.NOT_FOUND)]


def _stakeholder(s: StakeholderDoc, path: tuple[str, ...], people: frozenset[str]) -> list[Problem]:
    texts = {"name": s.name, "title": s.title, "department": s.department, "email": s.email, "phone": s.phone}
    problems = [
        *_external_id(s.external_id, (*path, "externalId")),
        *text_problems("Stakeholder", {**texts, "notes": s.notes}, path),
        *in_range(s.influence, INFLUENCE_RANGE, (*path, "influence"), "influence"),
    ]
    if s.email is not None and "@" not in s.email:
        problems.append(Problem((*path, "email"), f"{s.email!r} is not an email address."))
    if s.reports_to is not None:
        problems += _reference(s.reports_to, people, (*path, "reportsTo"), "stakeholder")
        if s.reports_to == s.external_id:
            problems.append(Problem((*path, "reportsTo"), "a stakeholder cannot report to themselves."))
    return problems


def _reporting_cycles(stakeholders: Sequence[StakeholderDoc]) -> list[Problem]:
    manager = {s.external_id: s.reports_to for s in stakeholders if s.reports_to != s.external_id}
    index = {s.external_id: i for i, s in enumerate(stakeholders)}
    problems = []
    for start in manager:
        seen = {start}
        current = manager.get(start)
        while current is not None and current not in seen:
            seen.add(current)
            current = manager.get(current)
        if current == start:
            problems.append(Problem(("stakeholders", str(index[start]), "reportsTo"), "reporting lines form a cycle."))
    return problems


def _circle(c: CircleDoc, path: tuple[str, ...], people: frozenset[str], circles: frozenset[str]) -> list[Problem]:
    texts = {
        "key": c.key,
        "name": c.name,
        "color": c.color,
        "businessValue": c.business_value,
        "trackRecord": c.track_record,
        "partisansAndAllies": c.partisans_and_allies,
        "philosophyAndPolicy": c.philosophy_and_policy,
    }
    problems = [
        *text_problems("Circle", texts, path),
        *_duplicates([m.stakeholder for m in c.members], "members", "stakeholder"),
    ]
    problems = [p.under(*path) if p.path[0] == "members" else p for p in problems]
    for i, member in enumerate(c.members):
        problems += _reference(member.stakeholder, people, (*path, "members", str(i), "stakeholder"), "stakeholder")
    for relation, keys in (("rivals", c.rivals), ("allies", c.allies)):
        for i, key in enumerate(keys):
            problems += _reference(key, circles, (*path, relation, str(i)), "circle")
            if key == c.key:
                problems.append(Problem((*path, relation, str(i)), "a circle cannot relate to itself."))
    return problems


def _influence(i: InfluenceDoc, path: tuple[str, ...], people: frozenset[str]) -> list[Problem]:
    return [
        *_reference(i.source, people, (*path, "from"), "stakeholder"),
        *_reference(i.target, people, (*path, "to"), "stakeholder"),
        *not_self(i.source, i.target, (*path, "to"), "an influence link"),
        *in_range(i.strength, STRENGTH_RANGE, (*path, "strength"), "strength"),
        *confidence_in_range(i.confidence, (*path, "confidence")),
        *text_problems("InfluenceLink", {"topic": i.topic}, path),
    ]


def _tie(t: TieDoc, path: tuple[str, ...], people: frozenset[str]) -> list[Problem]:
    return [
        *_reference(t.a, people, (*path, "a"), "stakeholder"),
        *_reference(t.b, people, (*path, "b"), "stakeholder"),
        *not_self(t.a, t.b, (*path, "b"), "a tie"),
        *in_range(t.strength, STRENGTH_RANGE, (*path, "strength"), "strength"),
        *text_problems("Tie", {"note": t.note}, path),
    ]


def _team_member(t: TeamMemberDoc, path: tuple[str, ...]) -> list[Problem]:
    return [
        *_external_id(t.external_id, (*path, "externalId")),
        *text_problems("TeamMember", {"name": t.name, "email": t.email}, path),
    ]


def _coverage(c: CoverageDoc, path: tuple[str, ...], people: frozenset[str], team: frozenset[str]) -> list[Problem]:
    return [
        *_reference(c.team_member, team, (*path, "teamMember"), "team member"),
        *_reference(c.stakeholder, people, (*path, "stakeholder"), "stakeholder"),
        *in_range(c.relationship_step, RELATIONSHIP_STEP_RANGE, (*path, "relationshipStep"), "relationshipStep"),
    ]


def _interaction(
    i: InteractionDoc, path: tuple[str, ...], people: frozenset[str], team: frozenset[str]
) -> list[Problem]:
    problems = [
        *_external_id(i.external_id, (*path, "externalId")),
        *text_problems("Interaction", {"summary": i.summary, "nextStep": i.next_step}, path),
    ]
    if i.at.tzinfo is None:
        problems.append(Problem((*path, "at"), "`at` needs a time zone offset."))
    if not i.stakeholders:
        problems.append(Problem((*path, "stakeholders"), "an interaction meets at least one stakeholder."))
    for n, key in enumerate(i.stakeholders):
        problems += _reference(key, people, (*path, "stakeholders", str(n)), "stakeholder")
    if i.team_member is not None:
        problems += _reference(i.team_member, team, (*path, "teamMember"), "team member")
    return problems
