"""Mutations for integration jobs: bulk upserts and removals by external id, and merging duplicates."""

from __future__ import annotations

import strawberry

from service.schema.mutations.entity_sync import (
    CoveragesRemovePayload,
    CoverageUpsertPayload,
    InteractionsRemovePayload,
    InteractionsUpsertPayload,
    TeamMembersRemovePayload,
    TeamMembersUpsertPayload,
    coverage_upsert,
    coverages_remove,
    interactions_remove,
    interactions_upsert,
    team_members_remove,
    team_members_upsert,
)
from service.schema.mutations.stakeholder_merge import StakeholderMergePayload, stakeholder_merge
from service.schema.mutations.stakeholders_upsert import StakeholdersUpsertPayload, stakeholders_upsert


@strawberry.type
class SyncMutations:
    stakeholders_upsert: StakeholdersUpsertPayload = strawberry.mutation(
        resolver=stakeholders_upsert,
        description="Sync jobs: upsert contacts by (source, externalId). Per-item results; intelligence fields "
        "are never touched.",
    )
    stakeholder_merge: StakeholderMergePayload = strawberry.mutation(
        resolver=stakeholder_merge,
        description="Fold a duplicate stakeholder into a survivor of the same account: its links, ties, circles, "
        "coverage, interactions, reporting lines, external ids and history move over; it is archived, never "
        "deleted. Where both have a value the survivor's is kept, and `conflicts` says what was dropped.",
    )
    interactions_upsert: InteractionsUpsertPayload = strawberry.mutation(
        resolver=interactions_upsert,
        description="Sync jobs: upsert an account's visit log by (source, externalId), up to 1,000 a call; the team "
        "member and the stakeholders met by the same source's external ids. Per-item results.",
    )
    interactions_remove: InteractionsRemovePayload = strawberry.mutation(
        resolver=interactions_remove,
        description="Sync jobs: remove an account's interactions by (source, externalId). Per-item results.",
    )
    team_members_upsert: TeamMembersUpsertPayload = strawberry.mutation(
        resolver=team_members_upsert,
        description="Sync jobs: upsert the workspace's team members by (source, externalId). Per-item results.",
    )
    team_members_remove: TeamMembersRemovePayload = strawberry.mutation(
        resolver=team_members_remove,
        description="Sync jobs: remove team members by (source, externalId) with their assignments and coverage; "
        "the interactions they logged stay, without them. Per-item results.",
    )
    coverage_upsert: CoverageUpsertPayload = strawberry.mutation(
        resolver=coverage_upsert,
        description="Sync jobs: which team member covers which stakeholder, both by the source's external ids. "
        "Per-item results.",
    )
    coverages_remove: CoveragesRemovePayload = strawberry.mutation(
        resolver=coverages_remove,
        description="Sync jobs: remove coverage by the source's external ids of both ends (coverageRemove takes "
        "global ids). Per-item results.",
    )
