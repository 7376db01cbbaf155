"""stakeholderMerge: fold a duplicate stakeholder into its survivor, in one transaction.

See `service.rules.merge` for what moves, what is dropped and how conflicts are decided (the
survivor's value wins, and the payload says what was dropped).
"""

from __future__ import annotations

import strawberry

from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.support import id_arg, perform
from service.schema.types.stakeholder import Stakeholder
from service.usecases.stakeholders import merge_stakeholders


@strawberry.input
class StakeholderMergeInput:
    survivor: strawberry.ID = strawberry.field(description="The stakeholder that stays.")
    duplicate: strawberry.ID = strawberry.field(
        description="The stakeholder folded into the survivor and archived; same account as the survivor."
    )


@strawberry.type
class StakeholderMergePayload:
    survivor: Stakeholder | None
    duplicate: Stakeholder | None = strawberry.field(description="The duplicate, now archived.")
    moved: int = strawberry.field(
        description="Links, memberships, coverage, interactions and reporting lines moved to the survivor."
    )
    conflicts: list[str] = strawberry.field(
        description="What the merge could not keep: where both had a value, the survivor's was kept and the "
        "duplicate's dropped, e.g. 'both influence 山田浩二: kept strength 4 (survivor), dropped 3 (duplicate)'."
    )
    user_errors: list[UserError]


async def stakeholder_merge(info: strawberry.Info[Context], input: StakeholderMergeInput) -> StakeholderMergePayload:
    ctx = info.context
    survivor = id_arg(input.survivor, "Stakeholder", "survivor")
    duplicate = id_arg(input.duplicate, "Stakeholder", "duplicate")
    merged, errors = await perform(ctx, merge_stakeholders(ctx.services, ctx.principal, survivor, duplicate))
    if merged is None:
        return StakeholderMergePayload(survivor=None, duplicate=None, moved=0, conflicts=[], user_errors=errors)
    kept = await ctx.loaders.stakeholder.load(merged.survivor_id)
    folded = await ctx.loaders.stakeholder.load(merged.duplicate_id)
    return StakeholderMergePayload(
        survivor=None if kept is None else Stakeholder.from_domain(kept),
        duplicate=None if folded is None else Stakeholder.from_domain(folded),
        moved=merged.plan.moved,
        conflicts=merged.plan.conflicts,
        user_errors=[],
    )
