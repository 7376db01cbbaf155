"""The ids an entity mutation names, what the store holds for them, and the problems between the two."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.rules.enums import ErrorCode
from service.rules.validation import Problem

LABELS = ("Account", "Stakeholder", "Circle", "TeamMember", "Interaction", "Opportunity", "Competitor", "CompetitorRep")
"""Stored labels of the nodes an input can name."""

WHAT: Mapping[str, str] = {
    "Account": "account",
    "Stakeholder": "stakeholder",
    "Circle": "circle",
    "TeamMember": "team member",
    "Interaction": "interaction",
    "InfluenceLink": "influence link",
    "Tie": "tie",
    "Opportunity": "opportunity",
    "Competitor": "competitor",
    "CompetitorRep": "competitor rep",
}


@dataclass(frozen=True, slots=True)
class IdArg:
    """One id of an input: where it was given, the stored label it must name, the id as given, and the
    internal id when it decodes to that label (None for a malformed id or one of another type)."""

    path: tuple[str, ...]
    label: str
    given: str
    raw: str | None


@dataclass(frozen=True, slots=True)
class Found:
    """A stored node an input names: its account (an account's is itself) and its properties."""

    label: str
    id: str
    account_id: str | None
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Refs:
    found: Mapping[tuple[str, str], Found] = field(default_factory=dict)

    def get(self, arg: IdArg | None) -> Found | None:
        if arg is None or arg.raw is None:
            return None
        return self.found.get((arg.label, arg.raw))


def wanted(args: Iterable[IdArg | None]) -> dict[str, list[str]]:
    """Internal ids to look up, by label, sorted (a stable locking order)."""
    ids: dict[str, set[str]] = defaultdict(set)
    for arg in args:
        if arg is not None and arg.raw is not None:
            ids[arg.label].add(arg.raw)
    return {label: sorted(ids.get(label, ())) for label in LABELS}


def not_found(arg: IdArg) -> Problem:
    return Problem(arg.path, f"no {WHAT[arg.label]} with id {arg.given!r}.", ErrorCode.NOT_FOUND)


def unknown(args: Sequence[IdArg | None], refs: Refs) -> list[Problem]:
    """NOT_FOUND for every given id that is malformed, of another type, or not stored in this workspace."""
    return [not_found(arg) for arg in args if arg is not None and refs.get(arg) is None]


def outside(arg: IdArg | None, refs: Refs, account_id: str | None, anchor: str) -> list[Problem]:
    """INVALID when `arg` names something stored in another account than `account_id` (that of `anchor`)."""
    found = refs.get(arg)
    if arg is None or found is None or account_id is None or found.account_id == account_id:
        return []
    return [Problem(arg.path, f"{WHAT[arg.label]} {arg.given!r} is in another account than {anchor}.")]


def same(a: IdArg | None, b: IdArg | None, message: str) -> list[Problem]:
    """INVALID at `b` when both name the same stored thing (a self link)."""
    if a is None or b is None or a.raw is None or a.raw != b.raw:
        return []
    return [Problem(b.path, message)]


def known(arg: IdArg | None) -> str:
    """The internal id of an argument that the checks have already found (a programming error otherwise)."""
    assert arg is not None, "only for arguments that were given"
    assert arg.raw is not None, "only for arguments that were found"
    return arg.raw
