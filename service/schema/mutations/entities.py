"""Writes for every entity (create, update, archive, set, remove): one module per mutation."""

from __future__ import annotations

import strawberry


@strawberry.type
class EntityMutations:
    pass
