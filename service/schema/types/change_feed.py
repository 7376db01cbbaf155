"""The change feed's GraphQL types: a page of entries in commit order, with the cursor to resume from."""

from __future__ import annotations

import json
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from service.rules.change_feed import FeedEntry, FeedPage, FieldChange, cursor_encoder
from service.rules.changes import ChangeOp
from service.schema.ids import NODE_TYPES, encode_id
from service.schema.types.common import ExternalId

strawberry.enum(ChangeOp, name="ChangeOperation", description="What a change did to its entity.")

OPERATIONS = {op.value: op for op in ChangeOp}
"""The stored operation names, as the enum (a lookup costs less than calling `ChangeOp`)."""

NODE_TYPE_OF_ENTITY = {"Circle": "PoliticalCircle"}
"""Kinds of entity whose GraphQL type has another name."""


def entity_global_id(entity: str, raw_id: str) -> str:
    """The entity's global id: its node id where it is a node (`node(id:)` finds it), else an opaque id of
    the kind (relations such as Coverage or Membership, named by their ends)."""
    type_name = NODE_TYPE_OF_ENTITY.get(entity, entity)
    return encode_id(type_name if type_name in NODE_TYPES else entity, raw_id)


@strawberry.type(description="One field a change changed, its values as JSON (null: absent).")
class ChangedField:
    name: str
    old: str | None
    new: str | None

    @classmethod
    def from_domain(cls, field: FieldChange) -> ChangedField:
        return cls(name=field.name, old=_json_or_none(field.old), new=_json_or_none(field.new))


def _json_or_none(value: str) -> str | None:
    return None if value == "null" else value


@strawberry.type(description="One entity changed by one committed write.")
class ChangeFeedEntry:
    entity_type: str = strawberry.field(
        description="The kind of entity: Account, Stakeholder, TeamMember, TeamAssignment, InfluenceLink, Tie, "
        "Circle, Membership, CircleRelation, Coverage, Interaction, Opportunity, ..."
    )
    entity_id: strawberry.ID = strawberry.field(
        description="The entity's global id (its node id where it has one; composite for relations)."
    )
    external_ids: list[ExternalId] = strawberry.field(
        description="The entity's ids in source systems, as they are now (none once it is deleted)."
    )
    account_id: strawberry.ID | None = strawberry.field(
        description="The account it belongs to (null: the workspace's)."
    )
    operation: ChangeOp
    at: datetime = strawberry.field(description="When the write began (an import: when it began).")
    fields: list[ChangedField] = strawberry.field(
        description="The fields it changed, by their stored names; a creation lists every value, a deletion too."
    )
    cursor: str = strawberry.field(description="Pass as `after` to read the changes after this one.")
    changed: strawberry.Private[tuple[FieldChange, ...]] = ()

    @strawberry.field(
        description="The fields it changed as one JSON object by stored name, each `{old, new}` with the values "
        "themselves (null: absent): what `fields` lists, in one value (a bulk reader resolves one value an entry "
        "instead of an object a field)."
    )
    def field_values(self) -> JSON:
        return JSON(
            {field.name: {"old": json.loads(field.old), "new": json.loads(field.new)} for field in self.changed}
        )


class _EntryMaker:
    """Makes a page's entries, working out what they share once: the cursors' issue time, the accounts'
    global ids (a page's entries are mostly about a few accounts)."""

    def __init__(self, issued: datetime) -> None:
        self.cursor = cursor_encoder(issued)
        self.accounts: dict[str, strawberry.ID] = {}

    def make(self, entry: FeedEntry) -> ChangeFeedEntry:
        return ChangeFeedEntry(
            entity_type=entry.entity,
            entity_id=strawberry.ID(entity_global_id(entry.entity, entry.entity_id)),
            external_ids=[ExternalId(source=source, id=key) for source, key in entry.external_ids],
            account_id=None if entry.account_id is None else self._account(entry.account_id),
            operation=OPERATIONS[entry.op],
            at=entry.at,
            fields=[ChangedField.from_domain(field) for field in entry.fields],
            cursor=self.cursor(entry.position),
            changed=entry.fields,
        )

    def _account(self, raw_id: str) -> strawberry.ID:
        found = self.accounts.get(raw_id)
        if found is None:
            found = self.accounts[raw_id] = strawberry.ID(encode_id("Account", raw_id))
        return found


@strawberry.type(description="A page of the change feed, in commit order.")
class ChangeFeedConnection:
    entries: list[ChangeFeedEntry]
    end_cursor: str = strawberry.field(
        description="Pass as `after` to read on: after the last entry read, or after every change committed "
        "so far when there is none left."
    )
    has_more: bool = strawberry.field(description="Whether more changes are committed after `endCursor` already.")

    @classmethod
    def from_domain(cls, page: FeedPage, issued: datetime) -> ChangeFeedConnection:
        maker = _EntryMaker(issued)
        return cls(
            entries=[maker.make(entry) for entry in page.entries],
            end_cursor=maker.cursor(page.end),
            has_more=page.has_more,
        )
