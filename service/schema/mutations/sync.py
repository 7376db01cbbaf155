"""Mutations for integration jobs: bulk contact upserts and merging duplicates."""

from __future__ import annotations

import strawberry

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
