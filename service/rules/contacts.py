"""Contact sync (`stakeholdersUpsert`, `powermap sync`): contacts, their validation, file rows, outcomes.

A sync job owns only the contact fields of a stakeholder: name, title, department, email, phone,
level and reports-to. It never writes intelligence fields (stance, influence, roles, types,
adaptability, personality, contact tier, notes); a new stakeholder starts as the import starts one:
stance UNKNOWN, no roles, no buyer types.

Field semantics: a field left out keeps its stored value; a field given as null (or empty) clears
it. `name` is always given. Reports-to names the manager by the same source's external id; a
manager not stored yet is remembered and linked when a later call upserts it.

Archived stakeholders that come back in a sync stay archived (only a person unarchives someone);
their contact fields are still kept up to date, so they report UPDATED or UNCHANGED like anyone else.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.rules.enums import ErrorCode, OrgLevel, UpsertStatus
from service.rules.file_records import FileRecord, RowProblem, csv_records, jsonl_records
from service.rules.validation import (
    MAX_NAME_LENGTH,
    TEXT_RULES,
    Problem,
    check_text,
    plain_line,
    shows_something,
    text_problems,
)

MAX_CONTACTS = 1_000
OPTIONAL_FIELDS = ("title", "department", "email", "phone", "level")
"""Contact fields besides name and reports-to, by their stored (and GraphQL) names."""
FILE_COLUMNS = ("externalId", "name", *OPTIONAL_FIELDS, "reportsTo")
LEVELS = frozenset(level.value for level in OrgLevel)


@dataclass(frozen=True, slots=True)
class Contact:
    external_id: str
    name: str
    fields: Mapping[str, str | None] = field(default_factory=dict)
    """The optional fields given (stored names); None clears a field. Absent fields keep their value."""
    reports_to: str | None = None
    reports_to_given: bool = False


@dataclass(frozen=True, slots=True)
class ContactsCheck:
    batch: list[Problem]
    """Problems of the whole call: nothing is written when there is one."""
    contacts: dict[int, list[Problem]]
    """Problems of single contacts, by index: those contacts fail, the others are written."""


def _blank(value: str | None) -> str | None:
    return None if value is None or not value.strip() else value


def validate_contacts(source: str, account: str, contacts: Sequence[Contact]) -> ContactsCheck:
    keys = TEXT_RULES["ExternalId"]
    batch = [
        *check_text(source, keys["source"], ("source",), "source"),
        *check_text(account, keys["externalId"], ("account",), "account"),
    ]
    if len(contacts) > MAX_CONTACTS:
        batch.append(
            Problem(
                ("contacts",),
                f"at most {MAX_CONTACTS} contacts per call, got {len(contacts)}; send them in batches.",
                ErrorCode.LIMIT_EXCEEDED,
            )
        )
    if batch:
        return ContactsCheck(batch, {})
    found: dict[int, list[Problem]] = {}
    first: dict[str, int] = {}
    for index, contact in enumerate(contacts):
        problems = [] if _plainly_valid(contact) else _contact_problems(contact, ("contacts", str(index)))
        if contact.external_id in first:
            problems.append(
                Problem(
                    ("contacts", str(index), "externalId"),
                    f"duplicates contacts[{first[contact.external_id]}]: "
                    "each externalId may appear once per call; the first one is written.",
                    ErrorCode.CONFLICT,
                )
            )
        else:
            first[contact.external_id] = index
        if problems:
            found[index] = problems
    return ContactsCheck([], found)


def _plainly_valid(contact: Contact) -> bool:
    """The common case, checked cheaply (a sync sends thousands of contacts); False means look closer."""
    if not (shows_something(contact.external_id) and shows_something(contact.name)):
        return False
    if len(contact.external_id) > MAX_NAME_LENGTH or len(contact.name) > MAX_NAME_LENGTH:
        return False
    if not (plain_line(contact.external_id) and plain_line(contact.name)):
        return False
    fields = contact.fields
    for name, value in fields.items():
        if name not in OPTIONAL_FIELDS or (
            value is not None and (len(value) > MAX_NAME_LENGTH or not plain_line(value))
        ):
            return False
    email = fields.get("email")
    if email and "@" not in email and email.strip():
        return False
    level = fields.get("level")
    if level and level not in LEVELS:
        return False
    reports_to = contact.reports_to
    return reports_to is None or (
        len(reports_to) <= MAX_NAME_LENGTH and plain_line(reports_to) and reports_to != contact.external_id
    )


def _contact_problems(contact: Contact, path: tuple[str, ...]) -> list[Problem]:
    keys = TEXT_RULES["ExternalId"]
    problems = [
        *check_text(contact.external_id, keys["externalId"], (*path, "externalId"), "externalId"),
        *text_problems("Stakeholder", {"name": contact.name}, path),
    ]
    unknown = [name for name in contact.fields if name not in OPTIONAL_FIELDS]
    problems += [Problem((*path, name), f"{name} is not a contact field.") for name in unknown]
    problems += text_problems("Stakeholder", contact.fields, path)
    email = _blank(contact.fields.get("email"))
    if email is not None and "@" not in email:
        problems.append(Problem((*path, "email"), f"{email!r} is not an email address."))
    level = _blank(contact.fields.get("level"))
    if level is not None and level not in LEVELS:
        problems.append(Problem((*path, "level"), f"level must be one of {', '.join(sorted(LEVELS))}, got {level!r}."))
    if contact.reports_to_given:
        problems += check_text(contact.reports_to, keys["reportsTo"], (*path, "reportsTo"), "reportsTo")
        if contact.reports_to == contact.external_id:
            problems.append(Problem((*path, "reportsTo"), "a stakeholder cannot report to themselves."))
    return problems


def upsert_rows(contacts: Sequence[Contact], skip: Collection[int]) -> list[dict[str, Any]]:
    """The query's rows for the contacts that passed validation, sorted by external id.

    The order is the order in which the write takes locks: every call locks keys in the same order,
    so concurrent overlapping batches wait for each other instead of deadlocking.
    """
    skipped = set(skip)
    rows: list[dict[str, Any]] = []
    for index, c in enumerate(contacts):
        if index in skipped:
            continue
        props = {name: _blank(value) for name, value in c.fields.items()}
        props["name"] = c.name
        given = c.reports_to_given
        rows.append(
            {
                "index": index,
                "externalId": c.external_id,
                "props": props,
                "setReportsTo": given,
                "reportsTo": _blank(c.reports_to) if given else None,
            }
        )
    rows.sort(key=lambda row: row["externalId"])
    return rows


@dataclass(slots=True)
class StoredContact:
    """What the write (or the dry run) found for one row: the diff's verdict and the stakeholder."""

    status: str
    """CREATED, UPDATED, UNCHANGED, or the reason it failed: CONFLICT, MANAGER_ELSEWHERE."""
    id: str | None = None
    """The stakeholder's internal id (None on failure, and for CREATED on a dry run)."""
    stakeholder: Mapping[str, Any] | None = None
    """Its stored properties after the write (before it, on a dry run), when they were asked for."""


@dataclass(frozen=True, slots=True)
class ContactsWrite:
    account_id: str | None
    """None when the source does not know the account: then nothing was written."""
    rows: dict[int, StoredContact]
    """By the contact's index in the call."""
    writes: int = 0
    """How many stakeholders and reporting lines the call changed (0 in a dry run and a replay)."""
    logged: list[str] = field(default_factory=list)
    """The stakeholders whose changes the write logged, in the order of the log."""


NEW_STAKEHOLDER = {"stance": "UNKNOWN", "buyingRoles": [], "buyerTypes": []}
"""What a stakeholder new from a sync holds besides its contact fields (as `stakeholderCreate` logs it)."""
CHANGE_LOG_FIELDS = sorted({"name", *OPTIONAL_FIELDS, "reportsTo", *NEW_STAKEHOLDER})
"""Every field a sync's change of a stakeholder may name, in the log's (name) order: a change logs a new one
with every value given (from null), `NEW_STAKEHOLDER` and its manager; an updated one with the contact fields
that changed; either with `reportsTo` when its reporting line moved (see `service.graph.writes.contacts`)."""


@dataclass(slots=True)
class ContactOutcome:
    """One contact's result (not frozen: a thousand are made per call, and frozen ones cost twice as much)."""

    index: int
    external_id: str
    status: UpsertStatus
    problems: tuple[Problem, ...] = ()
    stakeholder_id: str | None = None
    stakeholder: Mapping[str, Any] | None = None


@dataclass
class UpsertSummary:
    outcomes: list[ContactOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Problems of the whole call (nothing written)."""

    def count(self, status: UpsertStatus) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status is status)


STATUSES = {status.value: status for status in UpsertStatus}


def _failure(index: int, contact: Contact, reason: str, source: str) -> Problem:
    if reason == "CONFLICT":
        return Problem(
            ("contacts", str(index), "externalId"),
            f"{contact.external_id!r} of source {source!r} belongs to another account; "
            "a sync never moves people between accounts.",
            ErrorCode.CONFLICT,
        )
    if reason == "MANAGER_ELSEWHERE":
        return Problem(
            ("contacts", str(index), "reportsTo"),
            f"manager {contact.reports_to!r} of source {source!r} belongs to another account.",
            ErrorCode.CONFLICT,
        )
    return Problem(("contacts", str(index)), f"not written: {reason}.")


def summarize(
    source: str, contacts: Sequence[Contact], check: ContactsCheck, written: ContactsWrite | None
) -> UpsertSummary:
    """One outcome per contact in input order, or the problems that stopped the whole call."""
    if check.batch:
        return UpsertSummary(problems=list(check.batch))
    if written is None or written.account_id is None:
        return UpsertSummary(
            problems=[Problem(("account",), f"source {source!r} has no account with this id.", ErrorCode.NOT_FOUND)]
        )
    outcomes = []
    for index, contact in enumerate(contacts):
        problems = check.contacts.get(index)
        stored = written.rows.get(index)
        if problems:
            outcome = ContactOutcome(index, contact.external_id, UpsertStatus.FAILED, tuple(problems))
        elif stored is None:
            problem = Problem(("contacts", str(index)), "not written.")
            outcome = ContactOutcome(index, contact.external_id, UpsertStatus.FAILED, (problem,))
        elif stored.status in STATUSES:
            status = STATUSES[stored.status]
            outcome = ContactOutcome(index, contact.external_id, status, (), stored.id, stored.stakeholder)
        else:
            problem = _failure(index, contact, stored.status, source)
            outcome = ContactOutcome(index, contact.external_id, UpsertStatus.FAILED, (problem,))
        outcomes.append(outcome)
    return UpsertSummary(outcomes=outcomes)


# --- files: CSV with a header row, or JSON Lines -------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileRow:
    line: int
    external_id: str | None
    contact: Contact | None
    """None when the row could not be read into a contact; then `problems` says why."""
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactsFile:
    rows: list[FileRow]
    problems: list[str]
    """Problems of the file as a whole (no usable header, unknown columns): nothing is sent."""


def parse_contacts_file(name: str, text: str) -> ContactsFile:
    """CSV (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`, `.json`); otherwise guessed from the first character."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return parse_csv(text)
    if lowered.endswith((".jsonl", ".ndjson", ".json")) or text.lstrip().startswith("{"):
        return parse_jsonl(text)
    return parse_csv(text)


def _contact(values: Mapping[str, str | None], line: int) -> FileRow:
    external_id = values.get("externalId")
    problems = []
    level = values.get("level")
    if level is not None and level.strip():
        normalized = level.strip().upper()
        if normalized not in LEVELS:
            problems.append(RowProblem("level", f"level must be one of {', '.join(sorted(LEVELS))}, got {level!r}."))
        values = {**values, "level": normalized}
    if not (external_id or "").strip():
        problems.append(RowProblem("externalId", "externalId must not be empty."))
    if not (values.get("name") or "").strip():
        problems.append(RowProblem("name", "name must not be empty."))
    if problems:
        return FileRow(line, external_id, None, tuple(problems))
    assert external_id is not None
    contact = Contact(
        external_id=external_id,
        name=values["name"] or "",
        fields={name: _blank(values[name]) for name in OPTIONAL_FIELDS if name in values},
        reports_to=_blank(values.get("reportsTo")),
        reports_to_given="reportsTo" in values,
    )
    return FileRow(line, external_id, contact)


def parse_csv(text: str) -> ContactsFile:
    """A header row naming some of FILE_COLUMNS (externalId and name required), then one contact per row.

    An empty cell clears that field; a column left out of the file keeps the stored values.
    """
    records, problems = csv_records(text, FILE_COLUMNS, ("externalId", "name"))
    if problems:
        return ContactsFile([], problems)
    return ContactsFile([_unread(r) if r.values is None else _contact(r.values, r.line) for r in records], [])


def parse_jsonl(text: str) -> ContactsFile:
    """One JSON object per line with keys from FILE_COLUMNS; a key left out keeps the stored value, null clears it."""
    rows: list[FileRow] = []
    for record in jsonl_records(text):
        if record.values is None:
            rows.append(_unread(record))
            continue
        values: dict[str, str | None] = {}
        problems = []
        for key, value in record.values.items():
            if key not in FILE_COLUMNS:
                problems.append(RowProblem(key, f"unknown field {key!r}; the fields are {', '.join(FILE_COLUMNS)}."))
            elif value is None or isinstance(value, str):
                values[key] = value
            elif isinstance(value, int) and not isinstance(value, bool):
                values[key] = str(value)
            else:
                problems.append(RowProblem(key, f"{key} must be a string or null."))
        external_id = values.get("externalId")
        if problems:
            rows.append(FileRow(record.line, external_id, None, tuple(problems)))
            continue
        rows.append(_contact(values, record.line))
    return ContactsFile(rows, [])


def _unread(record: FileRecord) -> FileRow:
    assert record.problem is not None
    return FileRow(record.line, None, None, (record.problem,))


def duplicate_rows(rows: Sequence[FileRow]) -> dict[int, int]:
    """Rows whose external id an earlier readable row already has: row position -> that earlier row's line.

    A file goes out in several calls, and each call only sees its own duplicates; this sees the whole file.
    """
    first: dict[str, int] = {}
    found: dict[int, int] = {}
    for position, row in enumerate(rows):
        if row.contact is None:
            continue
        key = row.contact.external_id
        if key in first:
            found[position] = first[key]
        else:
            first[key] = row.line
    return found


def contact_variables(contact: Contact) -> dict[str, Any]:
    """The contact as a `ContactInput` value: only the fields it gives."""
    value: dict[str, Any] = {"externalId": contact.external_id, "name": contact.name, **contact.fields}
    if contact.reports_to_given:
        value["reportsTo"] = contact.reports_to
    return value
