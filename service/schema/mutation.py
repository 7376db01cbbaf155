"""Root mutation fields: one module per mutation under `service.schema.mutations`."""

from __future__ import annotations

import strawberry


@strawberry.type
class Mutation:
    @strawberry.mutation
    def placeholder(self) -> bool:
        return True
