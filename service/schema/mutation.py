"""The root Mutation type, merged from one part per area; each mutation has a module of its own."""

from __future__ import annotations

from strawberry.tools import merge_types

from service.schema.mutations.account_graph_import import ImportMutations
from service.schema.mutations.deals import DealMutations
from service.schema.mutations.entities import EntityMutations
from service.schema.mutations.sync import SyncMutations

Mutation = merge_types("Mutation", (ImportMutations, EntityMutations, DealMutations, SyncMutations))
