"""interactionsUpsert, teamMembersUpsert, coverageUpsert and their removals: integration jobs sync the
rest of what a CRM holds by (source, externalId), with the semantics of `stakeholdersUpsert`.

Each item gets its own result, in input order; valid items are written even when others fail (an
unknown reference fails its item with NOT_FOUND naming the field). The batch is one transaction,
idempotent: a replay reports UNCHANGED and writes nothing, and OUTCOME_UNKNOWN says to replay the batch.
The work is the use case's (`service.usecases.entity_sync`); this module turns GraphQL input into items
(straight from graphql-core's coerced values: strawberry's generic conversion costs tens of milliseconds
for 1,000 items) and outcomes into results.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types.arguments import InputContext
from strawberry.types.base import get_object_definition

from service.rules.entity_changes.rejected import Rejected
from service.rules.entity_sync import (
    CoverageItem,
    CoverageKey,
    InteractionItem,
    ItemOutcome,
    ItemsSummary,
    TeamMemberItem,
)
from service.rules.enums import InteractionType, RelationshipType, RemoveStatus, TeamRole, UpsertStatus
from service.schema.context import Context
from service.schema.errors import UserError, user_errors
from service.schema.ids import encode_id
from service.schema.mutations.stakeholders_upsert import DatabaseUnavailableError, OutcomeUnknownError
from service.usecases import entity_sync
from service.usecases.errors import DatabaseUnavailable, OutcomeUnknown


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _given(value: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The optional fields given, by stored name (GraphQL name -> stored name); null clears."""
    return {stored: _value(value[name]) for name, stored in names.items() if name in value}


# --- inputs --------------------------------------------------------------------------------------


@strawberry.input(description="A visit-log entry from a source system, keyed by (account, source, externalId).")
class InteractionItemInput:
    external_id: str
    at: datetime = strawberry.field(description="With a time zone offset.")
    type: InteractionType
    stakeholders: list[str] = strawberry.field(
        description="Everyone met, by the source's external ids: at least one, all of the account."
    )
    team_member: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Who of our team was there, by the source's external id; null: nobody; left out: unchanged.",
    )
    summary: str | None = strawberry.UNSET
    next_step: str | None = strawberry.UNSET


@strawberry.input
class InteractionsUpsertInput:
    source: str
    account: str = strawberry.field(description="The account, by the same source's external id.")
    interactions: list[InteractionItemInput]
    items: strawberry.Private[list[InteractionItem] | None] = None


@strawberry.input(description="A team member of the workspace, keyed by (source, externalId).")
class TeamMemberItemInput:
    external_id: str
    name: str
    role: TeamRole
    email: str | None = strawberry.UNSET


@strawberry.input
class TeamMembersUpsertInput:
    source: str
    team_members: list[TeamMemberItemInput]
    items: strawberry.Private[list[TeamMemberItem] | None] = None


@strawberry.input(description="Who of our team covers whom, both by the source's external ids.")
class CoverageItemInput:
    team_member: str
    stakeholder: str
    relationship_step: int | None = strawberry.field(default=strawberry.UNSET, description="1 to 5.")
    relationship_type: RelationshipType | None = strawberry.UNSET


@strawberry.input
class CoverageUpsertInput:
    source: str
    coverage: list[CoverageItemInput]
    items: strawberry.Private[list[CoverageItem] | None] = None


@strawberry.input
class InteractionsRemoveInput:
    source: str
    account: str = strawberry.field(description="The account, by the same source's external id.")
    external_ids: list[str]


@strawberry.input
class TeamMembersRemoveInput:
    source: str
    external_ids: list[str]


@strawberry.input(description="A coverage to remove, by the source's external ids of its two ends.")
class CoverageKeyInput:
    team_member: str
    stakeholder: str


@strawberry.input
class CoveragesRemoveInput:
    source: str
    coverage: list[CoverageKeyInput]


INTERACTION_FIELDS = {"summary": "summary", "nextStep": "nextStep"}


def _interaction_item(value: Mapping[str, Any]) -> InteractionItem:
    return InteractionItem(
        external_id=value["externalId"],
        at=value["at"],
        type=_value(value["type"]),
        stakeholders=tuple(value["stakeholders"]),
        fields=_given(value, INTERACTION_FIELDS),
        team_member=value.get("teamMember"),
        team_member_given="teamMember" in value,
    )


def _interactions_input(cls: type, value: Mapping[str, Any], context: InputContext) -> InteractionsUpsertInput:
    return InteractionsUpsertInput(
        source=value["source"],
        account=value["account"],
        interactions=[],
        items=[_interaction_item(item) for item in value["interactions"]],
    )


def _team_members_input(cls: type, value: Mapping[str, Any], context: InputContext) -> TeamMembersUpsertInput:
    items = [
        TeamMemberItem(item["externalId"], item["name"], _value(item["role"]), _given(item, {"email": "email"}))
        for item in value["teamMembers"]
    ]
    return TeamMembersUpsertInput(source=value["source"], team_members=[], items=items)


COVERAGE_FIELDS = {"relationshipStep": "relationshipStep", "relationshipType": "relationshipType"}


def _coverage_input(cls: type, value: Mapping[str, Any], context: InputContext) -> CoverageUpsertInput:
    items = [
        CoverageItem(item["teamMember"], item["stakeholder"], _given(item, COVERAGE_FIELDS))
        for item in value["coverage"]
    ]
    return CoverageUpsertInput(source=value["source"], coverage=[], items=items)


get_object_definition(InteractionsUpsertInput, strict=True).from_input = _interactions_input
get_object_definition(TeamMembersUpsertInput, strict=True).from_input = _team_members_input
get_object_definition(CoverageUpsertInput, strict=True).from_input = _coverage_input


# --- results -------------------------------------------------------------------------------------


@strawberry.type
class ExternalIdUpsertResult:
    index: int
    external_id: str
    status: UpsertStatus
    id: strawberry.ID | None = strawberry.field(description="The global id of what was written; null when FAILED.")
    user_errors: list[UserError]


@strawberry.type
class CoverageUpsertResult:
    index: int
    team_member: str
    stakeholder: str
    status: UpsertStatus
    user_errors: list[UserError]


@strawberry.type
class ExternalIdRemoveResult:
    index: int
    external_id: str
    status: RemoveStatus = strawberry.field(description="UNCHANGED: nothing had that key (a replay).")
    user_errors: list[UserError]


@strawberry.type
class CoverageRemoveResult:
    index: int
    team_member: str
    stakeholder: str
    status: RemoveStatus = strawberry.field(description="UNCHANGED: there was no such coverage (a replay).")
    user_errors: list[UserError]


RESULTS_DESCRIPTION = "One per item, in input order; empty when the whole call was refused (see userErrors)."
CALL_ERRORS = "Problems of the whole call (unknown account, too many items): then nothing was written."


@strawberry.type
class InteractionsUpsertPayload:
    results: list[ExternalIdUpsertResult] = strawberry.field(description=RESULTS_DESCRIPTION)
    created: int
    updated: int
    unchanged: int
    failed: int
    user_errors: list[UserError] = strawberry.field(description=CALL_ERRORS)


@strawberry.type
class TeamMembersUpsertPayload:
    results: list[ExternalIdUpsertResult] = strawberry.field(description=RESULTS_DESCRIPTION)
    created: int
    updated: int
    unchanged: int
    failed: int
    user_errors: list[UserError] = strawberry.field(description=CALL_ERRORS)


@strawberry.type
class CoverageUpsertPayload:
    results: list[CoverageUpsertResult] = strawberry.field(description=RESULTS_DESCRIPTION)
    created: int
    updated: int
    unchanged: int
    failed: int
    user_errors: list[UserError] = strawberry.field(description=CALL_ERRORS)


@strawberry.type
class InteractionsRemovePayload:
    results: list[ExternalIdRemoveResult] = strawberry.field(description=RESULTS_DESCRIPTION)
    removed: int
    unchanged: int
    failed: int
    user_errors: list[UserError] = strawberry.field(description=CALL_ERRORS)


@strawberry.type
class TeamMembersRemovePayload:
    results: list[ExternalIdRemoveResult] = strawberry.field(description=RESULTS_DESCRIPTION)
    removed: int
    unchanged: int
    failed: int
    user_errors: list[UserError] = strawberry.field(description=CALL_ERRORS)


@strawberry.type
class CoveragesRemovePayload:
    results: list[CoverageRemoveResult] = strawberry.field(description=RESULTS_DESCRIPTION)
    removed: int
    unchanged: int
    failed: int
    user_errors: list[UserError] = strawberry.field(description=CALL_ERRORS)


async def _summary(run: Awaitable[ItemsSummary]) -> ItemsSummary:
    """The use case's summary; a refused role is the call's user error, a lost database a top-level error."""
    try:
        return await run
    except Rejected as refused:
        return ItemsSummary(problems=refused.problems)
    except OutcomeUnknown as error:
        raise OutcomeUnknownError() from error
    except DatabaseUnavailable as error:
        raise DatabaseUnavailableError() from error


def _errors(outcome: ItemOutcome) -> list[UserError]:
    return user_errors(outcome.problems) if outcome.problems else []


def _keyed_results(summary: ItemsSummary, keys: list[str], type_name: str) -> list[ExternalIdUpsertResult]:
    return [
        ExternalIdUpsertResult(
            index=o.index,
            external_id=keys[o.index],
            status=UpsertStatus(o.status),
            id=None if o.id is None else strawberry.ID(encode_id(type_name, o.id)),
            user_errors=_errors(o),
        )
        for o in summary.outcomes
    ]


def _upsert_counts(summary: ItemsSummary) -> dict[str, Any]:
    return {
        "created": summary.count("CREATED"),
        "updated": summary.count("UPDATED"),
        "unchanged": summary.count("UNCHANGED"),
        "failed": summary.count("FAILED"),
        "user_errors": user_errors(summary.problems),
    }


def _remove_counts(summary: ItemsSummary) -> dict[str, Any]:
    return {
        "removed": summary.count("REMOVED"),
        "unchanged": summary.count("UNCHANGED"),
        "failed": summary.count("FAILED"),
        "user_errors": user_errors(summary.problems),
    }


def _removed(summary: ItemsSummary, keys: list[str]) -> list[ExternalIdRemoveResult]:
    return [
        ExternalIdRemoveResult(
            index=o.index, external_id=keys[o.index], status=RemoveStatus(o.status), user_errors=_errors(o)
        )
        for o in summary.outcomes
    ]


# --- resolvers -----------------------------------------------------------------------------------


async def interactions_upsert(
    info: strawberry.Info[Context], input: InteractionsUpsertInput
) -> InteractionsUpsertPayload:
    ctx = info.context
    items = input.items or []
    summary = await _summary(
        entity_sync.upsert_interactions(ctx.services, ctx.principal, input.source, input.account, items)
    )
    ctx.forget()
    keys = [item.external_id for item in items]
    return InteractionsUpsertPayload(results=_keyed_results(summary, keys, "Interaction"), **_upsert_counts(summary))


async def team_members_upsert(
    info: strawberry.Info[Context], input: TeamMembersUpsertInput
) -> TeamMembersUpsertPayload:
    ctx = info.context
    items = input.items or []
    summary = await _summary(entity_sync.upsert_team_members(ctx.services, ctx.principal, input.source, items))
    ctx.forget()
    keys = [item.external_id for item in items]
    return TeamMembersUpsertPayload(results=_keyed_results(summary, keys, "TeamMember"), **_upsert_counts(summary))


async def coverage_upsert(info: strawberry.Info[Context], input: CoverageUpsertInput) -> CoverageUpsertPayload:
    ctx = info.context
    items = input.items or []
    summary = await _summary(entity_sync.upsert_coverage(ctx.services, ctx.principal, input.source, items))
    ctx.forget()
    results = [
        CoverageUpsertResult(
            index=o.index,
            team_member=items[o.index].team_member,
            stakeholder=items[o.index].stakeholder,
            status=UpsertStatus(o.status),
            user_errors=_errors(o),
        )
        for o in summary.outcomes
    ]
    return CoverageUpsertPayload(results=results, **_upsert_counts(summary))


async def interactions_remove(
    info: strawberry.Info[Context], input: InteractionsRemoveInput
) -> InteractionsRemovePayload:
    ctx = info.context
    keys = list(input.external_ids)
    summary = await _summary(
        entity_sync.remove_interactions(ctx.services, ctx.principal, input.source, input.account, keys)
    )
    ctx.forget()
    return InteractionsRemovePayload(results=_removed(summary, keys), **_remove_counts(summary))


async def team_members_remove(
    info: strawberry.Info[Context], input: TeamMembersRemoveInput
) -> TeamMembersRemovePayload:
    ctx = info.context
    keys = list(input.external_ids)
    summary = await _summary(entity_sync.remove_team_members(ctx.services, ctx.principal, input.source, keys))
    ctx.forget()
    return TeamMembersRemovePayload(results=_removed(summary, keys), **_remove_counts(summary))


async def coverages_remove(info: strawberry.Info[Context], input: CoveragesRemoveInput) -> CoveragesRemovePayload:
    ctx = info.context
    keys = [CoverageKey(item.team_member, item.stakeholder) for item in input.coverage]
    summary = await _summary(entity_sync.remove_coverage(ctx.services, ctx.principal, input.source, keys))
    ctx.forget()
    results = [
        CoverageRemoveResult(
            index=o.index,
            team_member=keys[o.index].team_member,
            stakeholder=keys[o.index].stakeholder,
            status=RemoveStatus(o.status),
            user_errors=_errors(o),
        )
        for o in summary.outcomes
    ]
    return CoveragesRemovePayload(results=results, **_remove_counts(summary))
