"""The GraphQL schema: types and resolvers over `service.graph` and `service.rules`."""

from __future__ import annotations

from strawberry import Schema
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from service.schema.errors import should_mask
from service.schema.execution import PlainListExecutionContext
from service.schema.mutation import Mutation
from service.schema.query import Query
from service.schema.types.account import Account
from service.schema.types.circle import PoliticalCircle
from service.schema.types.interaction import Interaction
from service.schema.types.links import InfluenceLink, Tie
from service.schema.types.stakeholder import Stakeholder
from service.schema.types.team import TeamMember

MAX_QUERY_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5_000


def build_schema() -> Schema:
    return Schema(
        query=Query,
        mutation=Mutation,
        execution_context_class=PlainListExecutionContext,
        types=[Account, Stakeholder, PoliticalCircle, InfluenceLink, Tie, TeamMember, Interaction],
        extensions=[
            ParserCache,
            ValidationCache,
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: QueryDepthLimiter(max_depth=MAX_QUERY_DEPTH),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: MaskErrors(should_mask_error=should_mask),
        ],
    )


schema = build_schema()
