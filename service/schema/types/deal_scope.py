"""Every account analytic can read one opportunity's view of the account: with `opportunity`, decision
makers, key persons, roles and buyer types come from its buying centre (`service.rules.deals.deal_view`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from service.rules.account_graph import AccountGraph
from service.rules.deals import deal_view
from service.schema.context import Context
from service.schema.errors import ClientError
from service.schema.ids import require_raw_id
from service.usecases.analytics import compute

OpportunityArgument = Annotated[
    strawberry.ID | None,
    strawberry.argument(
        description="An opportunity of this account: roles, buyer types, decision makers and key persons then come "
        "from its buying centre (people outside it keep their stance, influence and links but hold no role)."
    ),
]


async def scoped(
    info: strawberry.Info[Context], graph: AccountGraph, account_id: str, opportunity: strawberry.ID | None
) -> AccountGraph:
    """`graph` itself, or the opportunity's view of it (kept with the snapshot, shared by every analytic)."""
    if opportunity is None:
        return graph
    raw = require_raw_id(opportunity, "Opportunity", "opportunity")
    deal = await info.context.loaders.deal.load(raw)
    if deal is None or deal.account_id != account_id:
        message = f"`opportunity`: no opportunity {opportunity!r} on this account."
        raise ClientError(message, code="NOT_FOUND", field="opportunity")
    return await compute(info.context.services, "dealView", graph, deal_view, deal.deal.buying_centre)
