"""Influence links (directed) and ties (undirected) between stakeholders."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from service.rules import models
from service.schema.context import Context
from service.schema.enums import InfluenceKind, TieKind
from service.schema.ids import encode_id
from service.schema.preloaded import Later
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


def later_stakeholder(info: strawberry.Info[Context], raw_id: str) -> Later[Stakeholder]:
    return Later(lambda: load_stakeholder(info, raw_id))


@strawberry.type
class InfluenceLink(Node):
    from_id: strawberry.Private[str]
    to_id: strawberry.Private[str]
    strength: int
    kind: InfluenceKind | None
    topic: str | None
    confidence: float | None
    from_: Stakeholder | Later[Stakeholder] = strawberry.field(name="from", graphql_type=Stakeholder)
    to: Stakeholder | Later[Stakeholder] = strawberry.field(graphql_type=Stakeholder)

    @classmethod
    def from_domain(
        cls, link: models.InfluenceLink, from_: Stakeholder | Later[Stakeholder], to: Stakeholder | Later[Stakeholder]
    ) -> InfluenceLink:
        return cls(
            id=strawberry.ID(encode_id("InfluenceLink", link.id)),
            from_id=link.from_id,
            to_id=link.to_id,
            strength=link.strength,
            kind=link.kind,
            topic=link.topic,
            confidence=link.confidence,
            from_=from_,
            to=to,
        )

    @classmethod
    def loading(cls, info: strawberry.Info[Context], link: models.InfluenceLink) -> InfluenceLink:
        """The link, its ends loaded when asked for."""
        return cls.from_domain(link, later_stakeholder(info, link.from_id), later_stakeholder(info, link.to_id))


@strawberry.type
class Tie(Node):
    kind: TieKind
    a_id: strawberry.Private[str]
    b_id: strawberry.Private[str]
    strength: int | None
    note: str | None
    a: Stakeholder | Later[Stakeholder] = strawberry.field(graphql_type=Stakeholder)
    b: Stakeholder | Later[Stakeholder] = strawberry.field(graphql_type=Stakeholder)

    @classmethod
    def from_domain(
        cls, tie: models.Tie, a: Stakeholder | Later[Stakeholder], b: Stakeholder | Later[Stakeholder]
    ) -> Tie:
        return cls(
            id=strawberry.ID(encode_id("Tie", tie.id)),
            kind=tie.kind,
            a_id=tie.a_id,
            b_id=tie.b_id,
            strength=tie.strength,
            note=tie.note,
            a=a,
            b=b,
        )

    @classmethod
    def loading(cls, info: strawberry.Info[Context], tie: models.Tie) -> Tie:
        """The tie, its ends loaded when asked for."""
        return cls.from_domain(tie, later_stakeholder(info, tie.a_id), later_stakeholder(info, tie.b_id))
