"""Interaction: one entry of an account's visit log (拜访流水日志)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from service.rules import models
from service.schema.context import Context
from service.schema.enums import InteractionType
from service.schema.ids import encode_id
from service.schema.types.account import Account
from service.schema.types.common import Node
from service.schema.types.links import load_stakeholders
from service.schema.types.stakeholder import Stakeholder
from service.schema.types.team import TeamMember, load_team_member


@strawberry.type(description="A contact with the customer: when, how, who of ours, whom they met, what next.")
class Interaction(Node):
    account_id: strawberry.Private[str]
    team_member_id: strawberry.Private[str | None]
    stakeholder_ids: strawberry.Private[tuple[str, ...]]
    at: datetime
    type: InteractionType
    summary: str | None
    next_step: str | None

    @classmethod
    def from_domain(cls, i: models.Interaction) -> Interaction:
        return cls(
            id=strawberry.ID(encode_id("Interaction", i.id)),
            account_id=i.account_id,
            team_member_id=i.team_member_id,
            stakeholder_ids=i.stakeholder_ids,
            at=i.at,
            type=i.type,
            summary=i.summary,
            next_step=i.next_step,
        )

    @strawberry.field
    async def account(self, info: strawberry.Info[Context]) -> Account:
        found = await info.context.loaders.account.load(self.account_id)
        assert found is not None, "every interaction belongs to an account"
        return Account.from_domain(found)

    @strawberry.field
    async def team_member(self, info: strawberry.Info[Context]) -> TeamMember | None:
        return None if self.team_member_id is None else await load_team_member(info, self.team_member_id)

    @strawberry.field(description="The stakeholders met, by name.")
    async def stakeholders(self, info: strawberry.Info[Context]) -> list[Stakeholder]:
        met = await load_stakeholders(info, self.stakeholder_ids)
        return sorted(met, key=lambda s: (s.name, s.raw_id))
