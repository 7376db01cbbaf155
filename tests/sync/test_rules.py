"""The pure side of contact sync: reading files, validating contacts, planning merges."""

from __future__ import annotations

from service.rules.contacts import (
    MAX_CONTACTS,
    Contact,
    duplicate_rows,
    parse_contacts_file,
    parse_csv,
    parse_jsonl,
    upsert_rows,
    validate_contacts,
)
from service.rules.enums import ErrorCode
from service.rules.merge import Link, MergeSide, check_merge, merge_changes, plan_merge


def test_csv_empty_cells_clear_and_missing_columns_keep() -> None:
    parsed = parse_csv('\ufeffexternalId,name,title,reportsTo\na1,"Ann, Jr.",,b\n\nb1,"Bo\nMulti",CFO,\n')

    first, second = parsed.rows
    assert parsed.problems == []
    assert (first.line, first.contact) == (2, Contact("a1", "Ann, Jr.", {"title": None}, "b", True))
    assert (second.line, second.contact) == (4, Contact("b1", "Bo\nMulti", {"title": "CFO"}, None, True))


def test_csv_header_problems_refuse_the_file() -> None:
    assert parse_csv("id,name\n1,a\n").problems == [
        "unknown column 'id'; the columns are externalId, name, title, department, email, phone, level, reportsTo.",
        "the header has no 'externalId' column.",
    ]
    assert parse_csv("").problems == ["the file is empty: a CSV needs a header row."]


def test_csv_rows_with_problems_are_rejected_with_their_line() -> None:
    parsed = parse_csv("externalId,name,level\n,Ann,\nb,,boss\nc,Cy,senior\nd,Di\n")

    assert [(row.line, row.contact is None, [p.field for p in row.problems]) for row in parsed.rows] == [
        (2, True, ["externalId"]),
        (3, True, ["level", "name"]),
        (4, False, []),
        (5, True, [""]),
    ]
    assert parsed.rows[2].contact == Contact("c", "Cy", {"level": "SENIOR"})


def test_json_lines_absent_keeps_null_clears() -> None:
    parsed = parse_contacts_file(
        "people.jsonl",
        '{"externalId": 7, "name": "Ann", "email": null}\n\n[1]\n{"externalId": "b", "name": "Bo", "x": 1}\n',
    )

    assert [row.line for row in parsed.rows] == [1, 3, 4]
    assert parsed.rows[0].contact == Contact("7", "Ann", {"email": None})
    assert [p.message for p in parsed.rows[1].problems] == ["expected a JSON object."]
    assert [p.field for p in parsed.rows[2].problems] == ["x"]
    assert parse_jsonl("{oops\n").rows[0].problems[0].message.startswith("not JSON")


def test_later_duplicates_in_a_file_point_at_the_first() -> None:
    rows = parse_csv("externalId,name\na,A\nb,B\na,A2\n,X\na,A3\n").rows

    assert duplicate_rows(rows) == {2: 2, 4: 2}


def test_validation_of_a_batch() -> None:
    contacts = [
        Contact("a", "Ann", {"email": "a@x", "level": "SENIOR"}),
        Contact("b", "  ", {"email": "nope"}),
        Contact("a", "Ann again"),
        Contact("c", "Cy", {"title": "x" * 201}, "c", True),
        Contact("d", "Di", {"email": ""}),
    ]

    check = validate_contacts("crm", "acc", contacts)

    assert check.batch == []
    assert {i: [(p.path[-1], p.code) for p in found] for i, found in check.contacts.items()} == {
        1: [("name", ErrorCode.INVALID), ("email", ErrorCode.INVALID)],
        2: [("externalId", ErrorCode.CONFLICT)],
        3: [("title", ErrorCode.INVALID), ("reportsTo", ErrorCode.INVALID)],
    }
    too_many = validate_contacts("crm", "acc", [Contact(str(i), "x") for i in range(MAX_CONTACTS + 1)])
    assert [(p.path, p.code) for p in too_many.batch] == [(("contacts",), ErrorCode.LIMIT_EXCEEDED)]


def test_rows_are_sorted_by_key_and_blank_fields_clear() -> None:
    rows = upsert_rows([Contact("b", "Bo", {"title": " "}, "", True), Contact("a", "Ann")], set())

    assert rows == [
        {"index": 1, "externalId": "a", "props": {"name": "Ann"}, "setReportsTo": False, "reportsTo": None},
        {"index": 0, "externalId": "b", "props": {"name": "Bo", "title": None}, "setReportsTo": True,
         "reportsTo": None},
    ]  # fmt: skip


def test_merge_checks() -> None:
    ann = {"accountId": "acc", "archived": False}
    assert check_merge(ann, None, "s", "d")[0].code is ErrorCode.NOT_FOUND
    assert check_merge(ann, ann, "s", "s")[0].path == ("duplicate",)
    assert check_merge(ann, {"accountId": "other"}, "s", "d")[0].message.startswith("survivor and duplicate")
    assert check_merge({**ann, "archived": True}, ann, "s", "d")[0].path == ("survivor",)
    assert check_merge(ann, {**ann, "mergedInto": "x"}, "s", "d")[0].path == ("duplicate",)
    assert check_merge(ann, {**ann, "mergedInto": "s"}, "s", "d") == []


def test_merge_plan_keeps_the_survivors_values() -> None:
    survivor = MergeSide(
        "s",
        {"name": "Ann", "stance": "UNKNOWN", "influence": 4, "buyingRoles": []},
        (Link("INFLUENCES", "y", "山田浩二", True, {"strength": 4}),),
    )
    duplicate = MergeSide(
        "d",
        {"name": "Ann", "stance": "MENTOR", "influence": 2, "buyingRoles": ["USER"], "title": "CFO"},
        (
            Link("INFLUENCES", "y", "山田浩二", True, {"strength": 3}),
            Link("INFLUENCES", "y", "山田浩二", False, {"strength": 2}),
            Link("TIE", "s", "Ann", True, {"kind": "ALLY"}),
            Link("MET", "i1"),
        ),
    )

    plan = plan_merge(survivor, duplicate)

    assert plan.conflicts == [
        "both influence 山田浩二: kept strength 4 (survivor), dropped 3 (duplicate)",
        "dropped the ALLY tie between the two: it would link the survivor to itself",
        "influence: kept 4 (survivor), dropped 2 (duplicate)",
    ]
    assert {kind: [link.other for link in links] for kind, links in plan.moves.items()} == {
        "INFLUENCES": ["y"],
        "MET": ["i1"],
    }
    assert plan.fills == {"title": "CFO", "stance": "MENTOR", "buyingRoles": ["USER"]}
    changes = [(c.entity, c.entity_id, c.op.value, dict(c.fields)) for c in merge_changes(plan, survivor, duplicate)]
    assert changes == [
        (
            "Stakeholder",
            "s",
            "UPDATED",
            {
                "title": (None, "CFO"),
                "stance": ("UNKNOWN", "MENTOR"),
                "buyingRoles": ([], ["USER"]),
                "mergedFrom": (None, "d"),
            },
        ),
        ("Stakeholder", "d", "ARCHIVED", {"archived": (False, True), "mergedInto": (None, "s")}),
        ("InfluenceLink", "None", "UPDATED", {"to": ("d", "s")}),
        ("Interaction", "i1", "UPDATED", {"met": ("d", "s")}),
        ("InfluenceLink", "None", "DELETED", {"from": ("d", None), "to": ("y", None), "strength": (3, None)}),
        ("Tie", "None", "DELETED", {"kind": ("ALLY", None), "a": ("d", None), "b": ("s", None)}),
    ]
