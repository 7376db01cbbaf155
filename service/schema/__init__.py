"""The GraphQL schema: types and resolvers over `service.graph` and `service.rules`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import graphql
from graphql import GraphQLError
from strawberry import Schema
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter, ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult

from service.schema import query
from service.schema.access import ReadPolicy
from service.schema.change_feed_query import ChangeFeedQuery
from service.schema.errors import log_errors, mask_all
from service.schema.identity_query import IdentityQuery
from service.schema.limits import CheckedValidationCache, EdgeLimits, QueryLimits, SchemaView
from service.schema.mutation import Mutation
from service.schema.observation import OperationObserver
from service.schema.response_cache import CachedResponses, ResponseCache
from service.schema.scalars import SCALAR_OVERRIDES
from service.schema.types.account import Account
from service.schema.types.circle import PoliticalCircle
from service.schema.types.interaction import Interaction
from service.schema.types.links import InfluenceLink, Tie
from service.schema.types.stakeholder import Stakeholder
from service.schema.types.team import TeamMember

Query = merge_types("Query", (query.Query, IdentityQuery, ChangeFeedQuery))


class PowermapSchema(Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Instead of Strawberry's, which logs every error at ERROR with its traceback and message."""
        log_errors(errors)

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """Strawberry's, with every error that is not the client's fault masked (`mask_all`), after
        `process_errors` has logged it as it was. Masking here rather than in an extension also covers an
        exception raised in an extension's hook, which ends the operation before other extensions' exits run."""
        result = await super().execute(*args, **kwargs)
        if result.errors:
            result.errors = mask_all(result.errors)
        return result


@dataclass(frozen=True, slots=True)
class SchemaOptions:
    """What the edge allows (every value a setting: `service.settings`)."""

    limits: QueryLimits = field(default_factory=QueryLimits)
    max_tokens: int = 5_000
    production: bool = False
    """No introspection and no field suggestions."""
    response_cache_values: int = 0
    """The response cache's bound in values (`service.schema.response_cache`); 0: no cache (in-process
    operations: the command line, the demo loader)."""


def build_schema(options: SchemaOptions | None = None) -> Schema:
    """The schema with its edge: limits checked before validation (`EdgeLimits`), then what the caller may
    read (`ReadPolicy`), then cached validation; kept answers served without execution (`CachedResponses`);
    errors that are not the client's fault are masked."""
    options = options or SchemaOptions()
    view = SchemaView()
    responses = ResponseCache(values=options.response_cache_values)
    extensions: list[object] = [
        ParserCache,
        lambda: MaxTokensLimiter(max_token_count=options.max_tokens),
        lambda: EdgeLimits(view, options.limits),
        lambda: ReadPolicy(view),
        CheckedValidationCache,
        lambda: CachedResponses(responses, view),
    ]
    if options.production:
        extensions.append(DisableIntrospection)
    extensions.append(OperationObserver)
    schema = PowermapSchema(
        query=Query,
        mutation=Mutation,
        types=[Account, Stakeholder, PoliticalCircle, InfluenceLink, Tie, TeamMember, Interaction],
        extensions=extensions,  # type: ignore[arg-type]
        config=StrawberryConfig(disable_field_suggestions=options.production),
        scalar_overrides=SCALAR_OVERRIDES,  # type: ignore[arg-type]
    )
    view.graphql = graphql.build_schema(schema.as_str())
    return schema


schema = build_schema()
