"""The GraphQL schema: types and resolvers over `service.graph` and `service.rules`."""

from __future__ import annotations

from graphql import GraphQLError
from strawberry import Schema
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import ExecutionContext

from service.schema.errors import MaskedErrors, log_errors
from service.schema.mutation import Mutation
from service.schema.observation import OperationObserver
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

LIMIT_RULES = (
    *QueryDepthLimiter(max_depth=MAX_QUERY_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
)
"""The depth and alias limits' validation rules, built once: each limiter builds a new rule class,
and `ValidationCache` files results under the rule classes, so limiters built per request would
validate every document afresh."""


class PowermapSchema(Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Instead of Strawberry's, which logs every error at ERROR with its traceback and message."""
        log_errors(errors)


def build_schema() -> Schema:
    return PowermapSchema(
        query=Query,
        mutation=Mutation,
        types=[Account, Stakeholder, PoliticalCircle, InfluenceLink, Tie, TeamMember, Interaction],
        extensions=[
            ParserCache,
            ValidationCache,
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: AddValidationRules(list(LIMIT_RULES)),
            MaskedErrors,
            OperationObserver,
        ],
    )


schema = build_schema()
