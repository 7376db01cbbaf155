"""Reading sync files into records, whatever they hold: CSV with a header row, or JSON Lines.

A record is one line's values by column (key), or why the line could not be read; problems of the whole
file (no header, unknown, missing or repeated columns) stop it before anything is sent. What the values
mean is for the caller (`service.rules.contacts`, `service.rules.sync_files`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RowProblem:
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class FileRecord:
    line: int
    values: dict[str, Any] | None
    """None when the line could not be read; then `problem` says why."""
    problem: RowProblem | None = None


def header_problems(header: Sequence[str], columns: Sequence[str], required: Sequence[str]) -> list[str]:
    unknown = [column for column in header if column not in columns]
    missing = [column for column in required if column not in header]
    duplicated = sorted({column for column in header if header.count(column) > 1})
    return [
        *(f"unknown column {column!r}; the columns are {', '.join(columns)}." for column in unknown),
        *(f"the header has no {column!r} column." for column in missing),
        *(f"column {column!r} appears twice." for column in duplicated),
    ]


def csv_records(text: str, columns: Sequence[str], required: Sequence[str]) -> tuple[list[FileRecord], list[str]]:
    """The rows after the header, each with the line it starts on (a quoted cell may span lines); blank
    rows are skipped. The second item holds the file's problems: then there are no records."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header: list[str] | None = None
    records: list[FileRecord] = []
    last_line = 0
    for record in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip() for cell in record]
            problems = header_problems(header, columns, required)
            if problems:
                return [], problems
            continue
        if len(record) != len(header):
            problem = RowProblem("", f"expected {len(header)} cells, got {len(record)}.")
            records.append(FileRecord(line, None, problem))
            continue
        records.append(FileRecord(line, dict(zip(header, record, strict=True))))
    if header is None:
        return [], ["the file is empty: a CSV needs a header row."]
    return records, []


def jsonl_records(text: str) -> list[FileRecord]:
    """One JSON object a line; blank lines are skipped."""
    records: list[FileRecord] = []
    for line, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            records.append(FileRecord(line, None, RowProblem("", f"not JSON: {error.msg}.")))
            continue
        if not isinstance(data, dict):
            records.append(FileRecord(line, None, RowProblem("", "expected a JSON object.")))
            continue
        records.append(FileRecord(line, data))
    return records
