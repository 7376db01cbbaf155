"""stakeholderMerge: fold a duplicate stakeholder into its survivor, in one transaction.

See `service.rules.merge` for what moves, what is dropped and how conflicts are decided (the
survivor's value wins, and the payload says what was dropped).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import strawberry

from service.graph.merge import merge_stakeholders
from service.rules.enums import ErrorCode
from service.rules.merge import MergePlan, MergeRefused
from service.rules.validation import Problem
from service.schema.context import Context
from service.schema.errors import UserError, user_errors
from service.schema.ids import raw_id_of
from service.schema.types.stakeholder import Stakeholder


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


def _refused(problems: list[Problem]) -> StakeholderMergePayload:
    return StakeholderMergePayload(
        survivor=None, duplicate=None, moved=0, conflicts=[], user_errors=user_errors(problems)
    )


async def stakeholder_merge(info: strawberry.Info[Context], input: StakeholderMergeInput) -> StakeholderMergePayload:
    ctx = info.context
    survivor_id = raw_id_of(input.survivor, "Stakeholder")
    duplicate_id = raw_id_of(input.duplicate, "Stakeholder")
    problems = [
        Problem((name,), "not a stakeholder id.", ErrorCode.NOT_FOUND)
        for name, raw in (("survivor", survivor_id), ("duplicate", duplicate_id))
        if raw is None
    ]
    if problems or survivor_id is None or duplicate_id is None:
        return _refused(problems)
    try:
        plan: MergePlan = await ctx.db.write(
            merge_stakeholders, ctx.workspace_id, survivor_id, duplicate_id, datetime.now(UTC), ctx.actor
        )
    except MergeRefused as refused:
        return _refused(refused.problems)
    for loader in dataclasses.fields(ctx.loaders):
        getattr(ctx.loaders, loader.name).clear_all()
    ctx.built_stakeholders.clear()
    survivor = await ctx.loaders.stakeholder.load(survivor_id)
    duplicate = await ctx.loaders.stakeholder.load(duplicate_id)
    return StakeholderMergePayload(
        survivor=None if survivor is None else Stakeholder.from_domain(survivor),
        duplicate=None if duplicate is None else Stakeholder.from_domain(duplicate),
        moved=plan.moved,
        conflicts=plan.conflicts,
        user_errors=[],
    )
