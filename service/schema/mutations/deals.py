"""Writes of deals (DOMAIN.md "Deals"): opportunities and their parts, competitors and their reps, rep
contacts and favours. House conventions as in `entities`: one `input`, a payload with the object and
`userErrors`; every problem reported with its field path, and an input with any problem writes nothing."""

from __future__ import annotations

import strawberry

from service.schema.mutations import competitor_mutations as competitors
from service.schema.mutations import competitor_relation_mutations as relations
from service.schema.mutations import deal_part_mutations as parts
from service.schema.mutations import opportunity_mutations as opportunities


@strawberry.type
class DealMutations:
    opportunity_create: opportunities.OpportunityCreatePayload = strawberry.mutation(
        resolver=opportunities.opportunity_create, description="Create an opportunity (销售机会) on an account."
    )
    opportunity_update: opportunities.OpportunityUpdatePayload = strawberry.mutation(
        resolver=opportunities.opportunity_update, description="Change an opportunity's fields."
    )
    opportunity_delete: opportunities.OpportunityDeletePayload = strawberry.mutation(
        resolver=opportunities.opportunity_delete,
        description="Delete an opportunity with its buying centre, competitors involved and scorecard.",
    )
    burning_issue_set: parts.BurningIssueSetPayload = strawberry.mutation(
        resolver=parts.burning_issue_set, description="Set the opportunity's burning issue (B.I., 燃眉之急)."
    )
    burning_issue_remove: parts.BurningIssueRemovePayload = strawberry.mutation(
        resolver=parts.burning_issue_remove, description="Remove the opportunity's burning issue."
    )
    ucv_set: parts.UcvSetPayload = strawberry.mutation(
        resolver=parts.ucv_set, description="Set the opportunity's UCV (独到的客户价值)."
    )
    ucv_remove: parts.UcvRemovePayload = strawberry.mutation(
        resolver=parts.ucv_remove, description="Remove the opportunity's UCV."
    )
    buying_centre_member_set: parts.BuyingCentreMemberSetPayload = strawberry.mutation(
        resolver=parts.buying_centre_member_set,
        description="Put a stakeholder of the account in the opportunity's buying centre, or change their "
        "per-deal roles, buyer types and flags.",
    )
    buying_centre_member_remove: parts.BuyingCentreMemberRemovePayload = strawberry.mutation(
        resolver=parts.buying_centre_member_remove, description="Take a stakeholder out of the buying centre."
    )
    opportunity_competitor_set: parts.OpportunityCompetitorSetPayload = strawberry.mutation(
        resolver=parts.opportunity_competitor_set,
        description="Record a competitor as involved in the opportunity, as its incumbent or not.",
    )
    opportunity_competitor_remove: parts.OpportunityCompetitorRemovePayload = strawberry.mutation(
        resolver=parts.opportunity_competitor_remove,
        description="A competitor is no longer involved; CONFLICT while the scorecard scores it.",
    )
    scorecard_set: parts.ScorecardSetPayload = strawberry.mutation(
        resolver=parts.scorecard_set,
        description="Set the opportunity's scorecard (项目评估矩阵) whole: weighted criteria (weights sum to 1), our "
        "score and each involved competitor's, who cares about which criterion.",
    )
    scorecard_remove: parts.ScorecardRemovePayload = strawberry.mutation(
        resolver=parts.scorecard_remove, description="Remove the opportunity's scorecard."
    )
    competitor_create: competitors.CompetitorCreatePayload = strawberry.mutation(
        resolver=competitors.competitor_create, description="Create a competitor of the workspace."
    )
    competitor_update: competitors.CompetitorUpdatePayload = strawberry.mutation(
        resolver=competitors.competitor_update, description="Change a competitor's name or origin."
    )
    competitor_delete: competitors.CompetitorDeletePayload = strawberry.mutation(
        resolver=competitors.competitor_delete,
        description="Delete a competitor with its reps (and their contacts) and the favours for it; CONFLICT "
        "while it competes for an opportunity.",
    )
    competitor_rep_create: competitors.CompetitorRepCreatePayload = strawberry.mutation(
        resolver=competitors.competitor_rep_create, description="Add a rep (salesperson) of a competitor."
    )
    competitor_rep_update: competitors.CompetitorRepUpdatePayload = strawberry.mutation(
        resolver=competitors.competitor_rep_update, description="Rename a rep, or record their new competitor."
    )
    competitor_rep_delete: competitors.CompetitorRepDeletePayload = strawberry.mutation(
        resolver=competitors.competitor_rep_delete, description="Delete a rep with their contacts."
    )
    competitor_contact_set: relations.CompetitorContactSetPayload = strawberry.mutation(
        resolver=relations.competitor_contact_set,
        description="Record how a competitor's rep works a stakeholder: frequency, duration, form, topics, strength.",
    )
    competitor_contact_remove: relations.CompetitorContactRemovePayload = strawberry.mutation(
        resolver=relations.competitor_contact_remove, description="Remove a rep's contact with a stakeholder."
    )
    stakeholder_favour_set: relations.StakeholderFavourSetPayload = strawberry.mutation(
        resolver=relations.stakeholder_favour_set, description="Record that a stakeholder favours a competitor."
    )
    stakeholder_favour_remove: relations.StakeholderFavourRemovePayload = strawberry.mutation(
        resolver=relations.stakeholder_favour_remove, description="A stakeholder no longer favours a competitor."
    )
