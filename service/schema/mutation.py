"""The root Mutation type, merged from one part per area; each mutation has a module of its own.

Every mutation runs with its name in `service.usecases.context.operation`, so that the audit entry the
use case writes names it.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.tools import merge_types
from strawberry.types.base import get_object_definition

from service.schema.mutations.account_graph_import import ImportMutations
from service.schema.mutations.api_key_mutations import ApiKeyMutations
from service.schema.mutations.entities import EntityMutations
from service.schema.mutations.sync import SyncMutations
from service.usecases import context


class NamedOperation(FieldExtension):
    """Runs a mutation's resolver with the mutation's name in the use cases' request context."""

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: strawberry.Info, **kwargs: Any
    ) -> Any:
        token = context.operation.set(info.field_name)
        try:
            return await next_(source, info, **kwargs)
        finally:
            context.operation.reset(token)


Mutation = merge_types("Mutation", (ImportMutations, EntityMutations, SyncMutations, ApiKeyMutations))

for _field in get_object_definition(Mutation, strict=True).fields:
    _field.extensions.append(NamedOperation())
