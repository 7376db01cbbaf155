"""Shared GraphQL types: the Node interface, page info and external ids."""

from __future__ import annotations

from typing import Any

import strawberry

from service.rules import models
from service.rules.paging import Page, SortKey


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, page: Page[Any]) -> PageInfo:
        """Page info of a keyset page whose items have `name` and `id`."""
        from service.schema.pagination import encode_cursor

        items = page.items
        return cls(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=encode_cursor(SortKey(items[0].name, items[0].id)) if items else None,
            end_cursor=encode_cursor(SortKey(items[-1].name, items[-1].id)) if items else None,
        )


@strawberry.type
class ExternalId:
    source: str
    id: str

    @classmethod
    def from_domain(cls, external_id: models.ExternalId) -> ExternalId:
        return cls(source=external_id.source, id=external_id.id)
