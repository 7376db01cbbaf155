"""The pure rules of the upserts by external id: duplicates, row order, file rows, against references."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from service.rules.entity_sync import (
    CoverageItem,
    InteractionItem,
    coverage_rows,
    epoch_millis,
    interaction_rows,
    validate_coverage,
    validate_interactions,
)
from service.rules.sync_files import parse_items_file

KEYS = st.text(alphabet="abc", min_size=1, max_size=2)
AT = datetime(2026, 11, 2, 10, tzinfo=UTC)


def visit(key: str) -> InteractionItem:
    return InteractionItem(key, AT, "VISIT", ("p1",))


@given(st.lists(KEYS, max_size=30))
def test_every_later_duplicate_fails_and_rows_are_the_rest_in_key_order(keys: list[str]) -> None:
    items = [visit(key) for key in keys]

    check = validate_interactions("crm", "acc", items)
    rows = interaction_rows(items, check.items.keys())

    first_seen = {key: keys.index(key) for key in keys}
    duplicates = {i for i, key in enumerate(keys) if first_seen[key] != i}
    assert set(check.items) == duplicates
    assert all(p.path[-1] == "externalId" and p.code.value == "CONFLICT" for i in duplicates for p in check.items[i])
    assert [row["index"] for row in rows] == sorted(set(first_seen.values()), key=lambda i: keys[i])
    assert [row["externalId"] for row in rows] == sorted(set(keys))


@given(st.lists(st.tuples(KEYS, KEYS), max_size=30))
def test_coverage_is_keyed_by_both_ends(pairs: list[tuple[str, str]]) -> None:
    items = [CoverageItem(member, person) for member, person in pairs]

    check = validate_coverage("crm", items)
    rows = coverage_rows(items, check.items.keys())

    assert len(rows) == len(set(pairs))
    assert [(row["teamMember"], row["stakeholder"]) for row in rows] == sorted(set(pairs))


@given(st.integers(min_value=-(10**6), max_value=10**6), st.integers(min_value=-14, max_value=14))
def test_epoch_millis_is_the_instant_whatever_the_offset(seconds: int, hours: int) -> None:
    at = (AT + timedelta(seconds=seconds)).astimezone(timezone(timedelta(hours=hours)))

    assert epoch_millis(at) == round(at.timestamp() * 1000)


def test_the_batch_problems_come_before_any_item() -> None:
    check = validate_interactions(" ", "", [visit("a")] * 1001)

    assert [(p.path, p.code.value) for p in check.batch] == [
        (("source",), "INVALID"),
        (("account",), "INVALID"),
        (("interactions",), "LIMIT_EXCEEDED"),
    ]
    assert check.items == {}


def test_interaction_files_read_lists_enums_and_dates_per_row() -> None:
    csv_file = parse_items_file(
        "interactions",
        "visits.csv",
        "externalId,at,type,stakeholders,teamMember\n"
        "v1,2026-11-02T10:00:00+08:00,visit, a1 ;a2;,u1\n"
        "v2,2026-11-02T10:00:00,DANCE,,\n",
    )
    jsonl = parse_items_file(
        "interactions",
        "visits.jsonl",
        '{"externalId": "v1", "at": "2026-11-02T10:00:00Z", "type": "PHONE", "stakeholders": ["a1"], "summary": null}\n'
        '{"externalId": "v2", "colour": "red"}\n',
    )

    assert csv_file.problems == jsonl.problems == []
    first, second = csv_file.rows
    assert first.variables == {
        "externalId": "v1",
        "at": "2026-11-02T10:00:00+08:00",
        "type": "VISIT",
        "stakeholders": ["a1", "a2"],
        "teamMember": "u1",
    }
    assert second.variables is None
    assert [p.field for p in second.problems] == ["stakeholders", "at", "type"]
    assert jsonl.rows[0].variables == {
        "externalId": "v1",
        "at": "2026-11-02T10:00:00+00:00",
        "type": "PHONE",
        "stakeholders": ["a1"],
        "summary": None,
    }
    assert [p.field for p in jsonl.rows[1].problems] == ["colour"]


def test_team_and_coverage_files_check_their_columns() -> None:
    missing = parse_items_file("team-members", "team.csv", "externalId,name\nu1,Una\n")
    coverage = parse_items_file(
        "coverage", "c.csv", "teamMember,stakeholder,relationshipStep\nu1,a1,3\nu1,a2,\nu1,a3,x\n"
    )

    assert missing.problems == ["the header has no 'role' column."]
    assert [row.variables for row in coverage.rows] == [
        {"teamMember": "u1", "stakeholder": "a1", "relationshipStep": 3},
        {"teamMember": "u1", "stakeholder": "a2", "relationshipStep": None},
        None,
    ]
    assert coverage.rows[0].key == "u1 -> a1"
