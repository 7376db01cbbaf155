"""Batched imports as pure rules: batch packing, abandoned jobs, inverses, text limits."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from service.rules.account_import import undo
from service.rules.imports import LEASE_SECONDS, ImportJob, Owner, abandoned, pack
from service.rules.validation import MAX_NAME_LENGTH, TEXT_RULES, shows_something, text_problems


@given(st.lists(st.integers(0, 40), max_size=12), st.integers(1, 30))
def test_pack_puts_every_row_in_exactly_one_batch_in_order(sizes: list[int], limit: int) -> None:
    batches = pack(sizes, limit)
    rows = [(s.step, row) for batch in batches for s in batch for row in range(s.start, s.end)]
    assert rows == [(step, row) for step, size in enumerate(sizes) for row in range(size)]
    assert all(0 < sum(s.end - s.start for s in batch) <= limit for batch in batches)
    assert all(sum(s.end - s.start for s in batch) == limit for batch in batches[:-1])


def _job(owner: Owner, seconds_silent: int) -> ImportJob:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return ImportJob("j", "crm", "A-1", "acc", owner, now - timedelta(seconds=seconds_silent))


def test_abandoned_jobs() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    me = Owner("me", "host-a", 100)
    here_dead = Owner("old", "host-a", 200)
    here_reused_pid = Owner("old", "host-a", 100)
    elsewhere = Owner("other", "host-b", 200)
    assert not abandoned(_job(me, 0), me, now, owner_alive=True, running_here=True)
    assert abandoned(_job(me, 0), me, now, owner_alive=True, running_here=False)
    assert abandoned(_job(here_dead, 0), me, now, owner_alive=False, running_here=False)
    assert not abandoned(_job(here_dead, 0), me, now, owner_alive=True, running_here=False)
    assert abandoned(_job(here_reused_pid, 0), me, now, owner_alive=True, running_here=False)
    assert not abandoned(_job(elsewhere, LEASE_SECONDS), me, now, owner_alive=True, running_here=False)
    assert abandoned(_job(elsewhere, LEASE_SECONDS + 1), me, now, owner_alive=True, running_here=False)


def test_inverse_undoes_the_last_row_first_and_fills_in_before_images() -> None:
    rows = [
        {"undo": [undo.restore_node("Stakeholder", "s1", existed=True), undo.set_manager("s1", None)]},
        {"undo": [undo.restore_rel("INFLUENCES", "s1", "s2", existed=True)]},
        {"undo": [undo.restore_node("Stakeholder", "s3", existed=True)]},
    ]
    ops = undo.inverse(rows)
    assert [op["op"] for op in ops] == ["putNode", "putRel", "putNode", "setManager"]
    filled = undo.with_before(
        ops,
        {("Stakeholder", "s1"): {"name": "A", "clock": "x"}},
        {("INFLUENCES", "s1", "s2", None): {"strength": 3}},
    )
    assert filled == [
        undo.delete_node("Stakeholder", "s3"),
        {**undo.put_rel("INFLUENCES", "s1", "s2"), "props": {"strength": 3}},
        {**undo.put_node("Stakeholder", "s1"), "props": {"name": "A"}},
        undo.set_manager("s1", None),
    ]
    assert [key for key, _ in undo.runs(filled)] == [
        ("deleteNode", "Stakeholder"),
        ("putRel", "INFLUENCES"),
        ("putNode", "Stakeholder"),
        ("setManager", ""),
    ]


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\x00", "\x07", "\x1b", "\u202e", " ", "\t"]


@given(st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=20))
def test_a_name_of_invisible_characters_is_empty(chars: list[str]) -> None:
    name = "".join(chars)
    assert not shows_something(name)
    assert [p.path for p in text_problems("Stakeholder", {"name": name})] == [("name",)]


FILLERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0" + "".join(map(chr, range(0x180B, 0x1810))))
"""Letters and marks that show nothing (Hangul fillers, variation selectors): the rule names them."""


def _shows_reference(ch: str) -> bool:
    if ch.isspace() or ch in FILLERS or 0xFE00 <= ord(ch) <= 0xFE0F:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf")


@given(st.text(max_size=30).filter(lambda t: all(unicodedata.category(c) != "Cf" or c in INVISIBLE for c in t)))
def test_shows_something_matches_a_per_character_reference(text: str) -> None:
    """Format characters outside the zero-width ranges the rule names (rare scripts' marks) left aside."""
    assert shows_something(text) == any(_shows_reference(ch) for ch in text)


def test_every_text_field_has_one_limit_everywhere() -> None:
    too_long = "x" * (MAX_NAME_LENGTH + 1)
    for entity, fields in TEXT_RULES.items():
        for name, rule in fields.items():
            value = "x" * (rule.limit + 1)
            assert [p.path for p in text_problems(entity, {name: value})] == [(name,)], (entity, name)
            assert text_problems(entity, {name: "x" * rule.limit}) == []
    assert text_problems("Circle", {"businessValue": too_long}) == []
    assert text_problems("Stakeholder", {"title": "a\x07b"})[0].message == "title must not contain control characters."
    assert text_problems("Stakeholder", {"notes": "line one\nline two\ttab"}) == []
