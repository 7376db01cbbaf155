"""Influence links (directed) and ties (undirected) between stakeholders."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence

import strawberry

from service.rules import models
from service.schema.context import Context
from service.schema.enums import InfluenceKind, TieKind
from service.schema.ids import encode_id
from service.schema.preloaded import NOT_LOADED, NotLoaded
from service.schema.types.common import Node
from service.schema.types.stakeholder import Stakeholder


async def load_stakeholders(info: strawberry.Info[Context], raw_ids: Sequence[str]) -> list[Stakeholder]:
    """The stakeholders' GraphQL objects, in one batch, each built once per request however many rows name them."""
    built = info.context.built_stakeholders
    missing = [raw_id for raw_id in dict.fromkeys(raw_ids) if raw_id not in built]
    if missing:
        for raw_id, found in zip(missing, await info.context.loaders.stakeholder.load_many(missing), strict=True):
            assert found is not None, "links only join stored stakeholders"
            if raw_id not in built:  # a concurrent field may have built it meanwhile
                built[raw_id] = Stakeholder.from_domain(found)
    return [built[raw_id] for raw_id in raw_ids]


async def load_stakeholder(info: strawberry.Info[Context], raw_id: str) -> Stakeholder:
    return (await load_stakeholders(info, [raw_id]))[0]


@strawberry.type
class InfluenceLink(Node):
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]
    strength: int
    kind: InfluenceKind | None
    topic: str | None
    confidence: float | None
    from_object: strawberry.Private[Stakeholder | NotLoaded] = NOT_LOADED
    to_object: strawberry.Private[Stakeholder | NotLoaded] = NOT_LOADED
    """The ends, when read with the link."""

    @classmethod
    def from_domain(
        cls,
        link: models.InfluenceLink,
        from_: Stakeholder | NotLoaded = NOT_LOADED,
        to: Stakeholder | NotLoaded = NOT_LOADED,
    ) -> InfluenceLink:
        return cls(
            id=strawberry.ID(encode_id("InfluenceLink", link.id)),
            from_id=link.from_id,
            to_id=link.to_id,
            strength=link.strength,
            kind=link.kind,
            topic=link.topic,
            confidence=link.confidence,
            from_object=from_,
            to_object=to,
        )

    @strawberry.field(name="from", graphql_type=Stakeholder)
    def from_(self, info: strawberry.Info[Context]) -> Stakeholder | Awaitable[Stakeholder]:
        found = self.from_object
        return load_stakeholder(info, self.from_id) if found is NOT_LOADED else found

    @strawberry.field(graphql_type=Stakeholder)
    def to(self, info: strawberry.Info[Context]) -> Stakeholder | Awaitable[Stakeholder]:
        found = self.to_object
        return load_stakeholder(info, self.to_id) if found is NOT_LOADED else found


@strawberry.type
class Tie(Node):
    kind: TieKind
    a_id: strawberry.Private[str]
    b_id: strawberry.Private[str]
    strength: int | None
    note: str | None
    a_object: strawberry.Private[Stakeholder | NotLoaded] = NOT_LOADED
    b_object: strawberry.Private[Stakeholder | NotLoaded] = NOT_LOADED
    """The ends, when read with the tie."""

    @classmethod
    def from_domain(
        cls, tie: models.Tie, a: Stakeholder | NotLoaded = NOT_LOADED, b: Stakeholder | NotLoaded = NOT_LOADED
    ) -> Tie:
        return cls(
            id=strawberry.ID(encode_id("Tie", tie.id)),
            kind=tie.kind,
            a_id=tie.a_id,
            b_id=tie.b_id,
            strength=tie.strength,
            note=tie.note,
            a_object=a,
            b_object=b,
        )

    @strawberry.field(graphql_type=Stakeholder)
    def a(self, info: strawberry.Info[Context]) -> Stakeholder | Awaitable[Stakeholder]:
        found = self.a_object
        return load_stakeholder(info, self.a_id) if found is NOT_LOADED else found

    @strawberry.field(graphql_type=Stakeholder)
    def b(self, info: strawberry.Info[Context]) -> Stakeholder | Awaitable[Stakeholder]:
        found = self.b_object
        return load_stakeholder(info, self.b_id) if found is NOT_LOADED else found
