"""accountGraphImport: one whole account document from one source, all or nothing (written in bounded
batches under a lease on the account: see `service.usecases.imports`)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from service.rules.account_import import AccountDocument
from service.rules.account_import import document as doc
from service.rules.enums import (
    AccountTier,
    Adaptability,
    BuyerType,
    BuyingRole,
    ContactTier,
    ImportMode,
    InfluenceKind,
    InteractionType,
    OrgLevel,
    Personality,
    PortfolioClass,
    RelationshipType,
    Stance,
    TeamRole,
    TieKind,
)
from service.schema.context import Context
from service.schema.errors import UserError
from service.schema.mutations.deal_import_inputs import (
    CompetitorContactInput,
    CompetitorInput,
    CompetitorRepInput,
    FavourInput,
    OpportunityInput,
    to_deal_section,
)
from service.schema.mutations.support import perform
from service.schema.types.account import Account
from service.usecases.imports import import_account_graph


@strawberry.input
class AccountInput:
    external_id: str
    name: str
    industry: str | None = None
    tier: AccountTier | None = None
    portfolio_class: PortfolioClass | None = strawberry.field(
        default=None, description="Bounds the visit cadence: VOLCANO at most 30 days, DOG at least 60."
    )


@strawberry.input
class StakeholderInput:
    external_id: str
    name: str
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phone: str | None = None
    level: OrgLevel | None = None
    reports_to: str | None = strawberry.field(
        default=None, description="externalId of the manager, within the same document"
    )
    stance: Stance | None = None
    influence: int | None = None
    buying_roles: list[BuyingRole] | None = None
    buyer_types: list[BuyerType] | None = None
    adaptability: Adaptability | None = None
    personality: Personality | None = None
    contact_tier: ContactTier | None = None
    notes: str | None = None


@strawberry.input
class CircleMemberInput:
    stakeholder: str
    core: bool | None = False


@strawberry.input
class CircleInput:
    key: str = strawberry.field(description="Key of the circle within this account and source.")
    name: str
    color: str | None = None
    business_value: str | None = None
    track_record: str | None = None
    partisans_and_allies: str | None = None
    philosophy_and_policy: str | None = None
    members: list[CircleMemberInput] | None = None
    rivals: list[str] | None = None
    allies: list[str] | None = None


@strawberry.input
class InfluenceInput:
    from_: str = strawberry.field(name="from")
    to: str
    strength: int
    kind: InfluenceKind | None = None
    topic: str | None = None
    confidence: float | None = None


@strawberry.input
class TieInput:
    kind: TieKind
    a: str
    b: str
    strength: int | None = None
    note: str | None = None


@strawberry.input
class TeamMemberInput:
    external_id: str
    name: str
    role: TeamRole
    email: str | None = None


@strawberry.input
class CoverageInput:
    team_member: str
    stakeholder: str
    relationship_step: int | None = None
    relationship_type: RelationshipType | None = None


@strawberry.input
class InteractionInput:
    external_id: str
    at: datetime
    type: InteractionType
    stakeholders: list[str]
    team_member: str | None = None
    summary: str | None = None
    next_step: str | None = None


@strawberry.input
class AccountGraphInput:
    source: str
    account: AccountInput
    stakeholders: list[StakeholderInput]
    circles: list[CircleInput] | None = None
    influences: list[InfluenceInput] | None = None
    ties: list[TieInput] | None = None
    team: list[TeamMemberInput] | None = None
    coverage: list[CoverageInput] | None = None
    interactions: list[InteractionInput] | None = None
    mode: ImportMode | None = strawberry.field(
        default=ImportMode.MERGE,
        description="MERGE upserts what is given. REPLACE also removes this account's links, ties, memberships "
        "and coverage that the document no longer has, and archives (never deletes) absent stakeholders; of the "
        "deal sections, it deletes this source's opportunities the document dropped and removes this source's "
        "contacts and favours of the account's people that it no longer has (competitors and reps stay).",
    )
    competitors: list[CompetitorInput] | None = None
    competitor_reps: list[CompetitorRepInput] | None = None
    competitor_contacts: list[CompetitorContactInput] | None = None
    favours: list[FavourInput] | None = None
    opportunities: list[OpportunityInput] | None = None
    effective_at: datetime | None = strawberry.field(
        default=None,
        description="When the document's facts became true (with a time zone offset, not in the future): its "
        "changes are logged at that instant, so a team can backfill its map's past (DOMAIN.md rule 18); "
        "null: now. Read the past with `asOf` and `changes`.",
    )


@strawberry.type
class AccountGraphImportPayload:
    account: Account | None
    created: int
    updated: int
    unchanged: int
    archived: int
    removed: int = strawberry.field(
        description="Links, ties, memberships, coverage, circles, opportunities, contacts and favours that REPLACE removed."
    )
    user_errors: list[UserError]


def to_document(data: AccountGraphInput) -> AccountDocument:
    """The GraphQL input as a domain document (no validation here)."""
    return AccountDocument(
        effective_at=data.effective_at,
        source=data.source,
        account=doc.AccountDoc(
            data.account.external_id,
            data.account.name,
            data.account.industry,
            data.account.tier,
            data.account.portfolio_class,
        ),
        stakeholders=tuple(
            doc.StakeholderDoc(
                external_id=s.external_id,
                name=s.name,
                title=s.title,
                department=s.department,
                email=s.email,
                phone=s.phone,
                level=s.level,
                reports_to=s.reports_to,
                stance=s.stance,
                influence=s.influence,
                buying_roles=tuple(s.buying_roles) if s.buying_roles is not None else None,
                buyer_types=tuple(s.buyer_types) if s.buyer_types is not None else None,
                adaptability=s.adaptability,
                personality=s.personality,
                contact_tier=s.contact_tier,
                notes=s.notes,
            )
            for s in data.stakeholders
        ),
        circles=tuple(
            doc.CircleDoc(
                key=c.key,
                name=c.name,
                color=c.color,
                business_value=c.business_value,
                track_record=c.track_record,
                partisans_and_allies=c.partisans_and_allies,
                philosophy_and_policy=c.philosophy_and_policy,
                members=tuple(doc.CircleMemberDoc(m.stakeholder, bool(m.core)) for m in c.members or ()),
                rivals=tuple(c.rivals or ()),
                allies=tuple(c.allies or ()),
            )
            for c in data.circles or ()
        ),
        influences=tuple(
            doc.InfluenceDoc(i.from_, i.to, i.strength, i.kind, i.topic, i.confidence) for i in data.influences or ()
        ),
        ties=tuple(doc.TieDoc(t.kind, t.a, t.b, t.strength, t.note) for t in data.ties or ()),
        team=tuple(doc.TeamMemberDoc(t.external_id, t.name, t.role, t.email) for t in data.team or ()),
        coverage=tuple(
            doc.CoverageDoc(c.team_member, c.stakeholder, c.relationship_step, c.relationship_type)
            for c in data.coverage or ()
        ),
        interactions=tuple(
            doc.InteractionDoc(
                external_id=i.external_id,
                at=i.at,
                type=i.type,
                stakeholders=tuple(i.stakeholders),
                team_member=i.team_member,
                summary=i.summary,
                next_step=i.next_step,
            )
            for i in data.interactions or ()
        ),
        mode=data.mode or ImportMode.MERGE,
        deals=to_deal_section(
            data.competitors, data.competitor_reps, data.competitor_contacts, data.favours, data.opportunities
        ),
    )


async def account_graph_import(info: strawberry.Info[Context], input: AccountGraphInput) -> AccountGraphImportPayload:
    ctx = info.context
    plan, errors = await perform(ctx, import_account_graph(ctx.services, ctx.principal, to_document(input)))
    if plan is None:
        return AccountGraphImportPayload(
            account=None, created=0, updated=0, unchanged=0, archived=0, removed=0, user_errors=errors
        )
    account = await ctx.loaders.account.load(plan.account_id)
    counts = plan.counts
    return AccountGraphImportPayload(
        account=None if account is None else Account.from_domain(account),
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        archived=counts.archived,
        removed=counts.removed,
        user_errors=[],
    )


@strawberry.type
class ImportMutations:
    account_graph_import: AccountGraphImportPayload = strawberry.mutation(
        resolver=account_graph_import,
        description="Load or refresh one account's whole map from one source system, all or nothing: large "
        "documents are written in batches while other writes to the account get CONFLICT, and a failure rolls "
        "every batch back. At most 10,000 stakeholders and 100,000 links of each kind.",
    )
