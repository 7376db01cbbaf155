"""What the deal use cases share: finding the nodes an input names and the problems with them."""

from __future__ import annotations

from collections.abc import Sequence

from service.rules.entity_changes.refs import WHAT, Found, IdArg, Refs, outside
from service.rules.validation import Problem


def archived(args: Sequence[IdArg | None], refs: Refs) -> list[Problem]:
    """INVALID for every stakeholder given that is archived: deals name active people only."""
    problems = []
    for arg in args:
        found = refs.get(arg)
        if arg is not None and found is not None and found.props.get("archived"):
            problems.append(Problem(arg.path, f"{WHAT[arg.label]} {arg.given!r} is archived; restore them first."))
    return problems


def in_account(people: Sequence[IdArg | None], refs: Refs, anchor: IdArg, name: str) -> list[Problem]:
    """The people must be active stakeholders of `anchor`'s account (`name`: how the input calls it)."""
    found = refs.get(anchor)
    account = None if found is None else found.account_id
    return [
        *[p for person in people for p in outside(person, refs, account, name)],
        *archived(people, refs),
    ]


def found(refs: Refs, arg: IdArg) -> Found:
    """A node that `lock` has already found."""
    node = refs.get(arg)
    assert node is not None, "only for arguments that were found"
    return node
