"""Mutations for integration jobs: bulk contact upserts and merging duplicates."""

from __future__ import annotations

import strawberry


@strawberry.type
class SyncMutations:
    pass
