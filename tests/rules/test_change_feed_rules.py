"""The change feed's pure rules: cursors round-trip and reject what is not theirs; paging a feed page by
page (any page sizes, any filter) yields exactly the reference's entries, in order, each once."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from service.rules.change_feed import (
    START,
    Cursor,
    FeedEntry,
    FeedPosition,
    FieldChange,
    Window,
    decode_cursor,
    encode_cursor,
    expired,
    page_of,
    readable,
)

NOW = datetime(2026, 12, 5, tzinfo=UTC)


@given(st.integers(0, 2**62 - 1), st.integers(-1, 2**62 - 1), st.integers(0, 4_000_000_000))
def test_a_cursor_round_trips(number: int, seq: int, seconds: int) -> None:
    cursor = Cursor(FeedPosition(number, seq), datetime.fromtimestamp(seconds, UTC))
    assert decode_cursor(encode_cursor(cursor)) == cursor


@given(st.text(max_size=40))
def test_anything_else_is_no_cursor_or_a_valid_one(text: str) -> None:
    decoded = decode_cursor(text)
    assert decoded is None or decoded.position.number >= 0


def test_foreign_or_damaged_cursors_are_refused() -> None:
    for text in ("f2:1:1:1", "f1:1:1", "f1:-1:0:0", "f1:0:-2:0", f"f1:{2**62}:0:0", "f1:a:b:c"):
        assert decode_cursor(base64.urlsafe_b64encode(text.encode()).decode()) is None


def test_a_cursor_expires_after_the_retention() -> None:
    retention = timedelta(days=30)
    assert not expired(Cursor(START, NOW - retention), NOW, retention)
    assert expired(Cursor(START, NOW - retention - timedelta(seconds=1)), NOW, retention)


def entry(number: int, seq: int, entity: str = "Stakeholder") -> FeedEntry:
    fields = (FieldChange("name", "null", '"x"'), FieldChange("stance", "null", '"ALLY"'))
    return FeedEntry(FeedPosition(number, seq), entity, f"id-{number}", "UPDATED", "acc", NOW, fields, ())


feeds = st.lists(st.lists(st.sampled_from(["Stakeholder", "Tie", "Account"]), min_size=1, max_size=4), max_size=12)


def read(commits: list[list[str]], after: FeedPosition, limit: int, kinds: set[str]) -> tuple[list[FeedEntry], Window]:
    """What the graph layer returns, by brute force: the window of `limit` commits from `after`'s on."""
    settled = len(commits) or None
    if settled is None or settled < after.number:
        return [], Window(settled, settled)
    last = min(settled, after.number + limit)
    found = [
        entry(number, seq, kind)
        for number in range(max(after.number, 1), last + 1)
        for seq, kind in enumerate(commits[number - 1])
        if FeedPosition(number, seq) > after and kind in kinds
    ]
    return found[:limit], Window(last, settled)


@given(feeds, st.lists(st.integers(0, 5), min_size=1, max_size=40), st.sets(st.sampled_from(["Stakeholder", "Tie"])))
def test_paging_yields_every_entry_once_in_order(commits: list[list[str]], sizes: list[int], kinds: set[str]) -> None:
    expected = [
        FeedPosition(number, seq)
        for number, commit in enumerate(commits, start=1)
        for seq, kind in enumerate(commit)
        if kind in kinds
    ]
    seen: list[FeedPosition] = []
    after = START
    sizes = [*sizes, 1]  # some page reads on
    for index in range(1_000):
        first = sizes[index % len(sizes)]
        found, window = read(commits, after, first + 1, kinds)
        page = page_of(found, after, first, window)
        seen += [found.position for found in page.entries]
        assert page.end >= after
        after = page.end
        if not page.has_more and first > 0:
            break
    assert seen == expected


def test_an_integration_reader_sees_basic_fields_and_kinds_only() -> None:
    page = page_of([entry(1, 0), entry(2, 0, "Tie"), entry(3, 0, "Account")], START, 5, Window(3, 3))
    shown = readable(page, intelligence=False)
    assert [(e.entity, [f.name for f in e.fields]) for e in shown.entries] == [
        ("Stakeholder", ["name"]),
        ("Account", ["name"]),
    ]
    assert (shown.end, shown.has_more) == (FeedPosition(4, -1), False)
    assert readable(page, intelligence=True) == page
