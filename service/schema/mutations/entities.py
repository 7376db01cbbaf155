"""Writes for every entity (create, update, archive, set, remove): one module per entity or mutation.

Each takes one `input`, calls its use case (`service.usecases`) and returns a payload with the object and
`userErrors`. Ids are global ids; an unknown, malformed or foreign one is NOT_FOUND at its field. Every
problem is reported, and an input with any problem writes nothing. Every change is logged (who, when,
old -> new): the stakeholders concerned show it in their history.
"""

from __future__ import annotations

import strawberry

from service.schema.mutations import (
    account_mutations,
    circle_member_mutations,
    circle_mutations,
    circle_relation_mutations,
    coverage_mutations,
    influence_link_mutations,
    interaction_mutations,
    team_assignment_mutations,
    team_member_mutations,
    tie_mutations,
)
from service.schema.mutations import stakeholder_archive as archiving
from service.schema.mutations import stakeholder_create as creating
from service.schema.mutations import stakeholder_update as updating


@strawberry.type
class EntityMutations:
    account_create: account_mutations.AccountCreatePayload = strawberry.mutation(
        resolver=account_mutations.account_create,
        description="Create an account, optionally identified by a source system's external id.",
    )
    account_update: account_mutations.AccountUpdatePayload = strawberry.mutation(
        resolver=account_mutations.account_update, description="Change an account's fields."
    )
    account_delete: account_mutations.AccountDeletePayload = strawberry.mutation(
        resolver=account_mutations.account_delete,
        description="Delete an account with its circles, interactions and archived stakeholders; "
        "CONFLICT while it has stakeholders that are not archived.",
    )
    stakeholder_create: creating.StakeholderCreatePayload = strawberry.mutation(
        resolver=creating.stakeholder_create, description="Add a person to an account."
    )
    stakeholder_update: updating.StakeholderUpdatePayload = strawberry.mutation(
        resolver=updating.stakeholder_update,
        description="Change a person's fields; with `version`, STALE when someone else changed them first.",
    )
    stakeholder_archive: archiving.StakeholderArchivePayload = strawberry.mutation(
        resolver=archiving.stakeholder_archive,
        description="Soft-delete a person: they drop out of lists and analytics.",
    )
    stakeholder_restore: archiving.StakeholderRestorePayload = strawberry.mutation(
        resolver=archiving.stakeholder_restore, description="Undo stakeholderArchive."
    )
    influence_link_set: influence_link_mutations.InfluenceLinkSetPayload = strawberry.mutation(
        resolver=influence_link_mutations.influence_link_set,
        description="Create or replace the influence link from one stakeholder to another of the same account.",
    )
    influence_link_remove: influence_link_mutations.InfluenceLinkRemovePayload = strawberry.mutation(
        resolver=influence_link_mutations.influence_link_remove, description="Remove an influence link."
    )
    tie_set: tie_mutations.TieSetPayload = strawberry.mutation(
        resolver=tie_mutations.tie_set,
        description="Create or replace the tie of a kind between two stakeholders of the same account.",
    )
    tie_remove: tie_mutations.TieRemovePayload = strawberry.mutation(
        resolver=tie_mutations.tie_remove, description="Remove a tie."
    )
    circle_create: circle_mutations.CircleCreatePayload = strawberry.mutation(
        resolver=circle_mutations.circle_create, description="Create a political circle in an account."
    )
    circle_update: circle_mutations.CircleUpdatePayload = strawberry.mutation(
        resolver=circle_mutations.circle_update, description="Change a circle's fields."
    )
    circle_delete: circle_mutations.CircleDeletePayload = strawberry.mutation(
        resolver=circle_mutations.circle_delete, description="Delete a circle with its memberships and relations."
    )
    circle_member_set: circle_member_mutations.CircleMemberSetPayload = strawberry.mutation(
        resolver=circle_member_mutations.circle_member_set,
        description="Make a stakeholder a member of a circle of their account, in its core or not.",
    )
    circle_member_remove: circle_member_mutations.CircleMemberRemovePayload = strawberry.mutation(
        resolver=circle_member_mutations.circle_member_remove, description="Take a stakeholder out of a circle."
    )
    circle_relation_set: circle_relation_mutations.CircleRelationSetPayload = strawberry.mutation(
        resolver=circle_relation_mutations.circle_relation_set,
        description="Mark two circles of one account as rivals or allies.",
    )
    circle_relation_remove: circle_relation_mutations.CircleRelationRemovePayload = strawberry.mutation(
        resolver=circle_relation_mutations.circle_relation_remove,
        description="Remove a rival or ally relation between two circles.",
    )
    team_member_create: team_member_mutations.TeamMemberCreatePayload = strawberry.mutation(
        resolver=team_member_mutations.team_member_create,
        description="Add a person on our side, optionally assigned to an account.",
    )
    team_member_update: team_member_mutations.TeamMemberUpdatePayload = strawberry.mutation(
        resolver=team_member_mutations.team_member_update, description="Change a team member's fields."
    )
    team_member_delete: team_member_mutations.TeamMemberDeletePayload = strawberry.mutation(
        resolver=team_member_mutations.team_member_delete,
        description="Delete a team member with their assignments and coverage; the visits they logged stay.",
    )
    team_member_assign: team_assignment_mutations.TeamMemberAssignPayload = strawberry.mutation(
        resolver=team_assignment_mutations.team_member_assign, description="Put a team member on an account's team."
    )
    team_member_unassign: team_assignment_mutations.TeamMemberUnassignPayload = strawberry.mutation(
        resolver=team_assignment_mutations.team_member_unassign,
        description="Take a team member off an account's team (their coverage stays).",
    )
    coverage_set: coverage_mutations.CoverageSetPayload = strawberry.mutation(
        resolver=coverage_mutations.coverage_set,
        description="Create or replace a team member's coverage of a stakeholder.",
    )
    coverage_remove: coverage_mutations.CoverageRemovePayload = strawberry.mutation(
        resolver=coverage_mutations.coverage_remove, description="End a team member's coverage of a stakeholder."
    )
    interaction_record: interaction_mutations.InteractionRecordPayload = strawberry.mutation(
        resolver=interaction_mutations.interaction_record, description="Log a contact with an account's people."
    )
    interaction_update: interaction_mutations.InteractionUpdatePayload = strawberry.mutation(
        resolver=interaction_mutations.interaction_update,
        description="Edit an entry of the visit log: when, what, whom it met and who of our team was there.",
    )
    interaction_delete: interaction_mutations.InteractionDeletePayload = strawberry.mutation(
        resolver=interaction_mutations.interaction_delete, description="Delete an entry of the visit log."
    )
