"""An account as an import document of one source (`AccountDocument`, deal sections included), so that
importing it again changes nothing.

A document names every record by the source's external ids, so it holds what the source identifies: the
account, its active stakeholders, team members and competitors and reps with an external id of that
source, the source's circles, interactions and opportunities, and every link, tie, coverage, membership,
buying-centre member, contact, favour, score and care between records it holds. Records the source cannot
name (made by hand without an external id of it) are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.deal_snapshots import OPPORTUNITY_STATE, native_props, stored_opportunity_from
from service.graph.driver import fetch
from service.rules.account_import import AccountDocument
from service.rules.account_import import document as doc
from service.rules.deals import (
    BurningIssue,
    Care,
    Competitor,
    CompetitorRep,
    CompetitorScore,
    Deal,
    DealSection,
    Favour,
    Involvement,
    Scorecard,
)
from service.rules.deals.import_plan import StoredOpportunity
from service.rules.deals.stored import contact_from_props, member_from_props, opportunity_from_props
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
    RelationshipType,
    Stance,
    TeamRole,
    TieKind,
)

Tx = AsyncManagedTransaction
Ids = Mapping[str, str]
"""Internal id -> the source's external id."""

EXPORT_ACCOUNT: LiteralString = """
MATCH (ref:AccountRef {workspaceId: $ws, source: $source})-[:IDENTIFIES]->(a:Account {workspaceId: $ws, id: $accountId})
WITH a, min(ref.externalId) AS externalId
CALL (a) {
  MATCH (r:StakeholderRef {workspaceId: $ws, source: $source})-[:IDENTIFIES]->(s:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE s.name IS NOT NULL AND NOT s.archived
  WITH s, min(r.externalId) AS externalId
  RETURN collect([s {.*}, externalId, [(s)-[:REPORTS_TO]->(m:Stakeholder) | m.id][0]]) AS people
}
CALL (a) {
  MATCH (c:Circle {workspaceId: $ws, accountId: a.id, source: $source})
  RETURN collect([c {.*}, [(s:Stakeholder)-[m:MEMBER_OF]->(c) | [s.id, m.core]],
                  [(c)-[:RIVAL_OF]-(o:Circle {workspaceId: $ws, source: $source}) | o.key],
                  [(c)-[:ALLIED_WITH]-(o:Circle {workspaceId: $ws, source: $source}) | o.key]]) AS circles
}
CALL (a) {
  MATCH (x:Stakeholder {workspaceId: $ws, accountId: a.id})-[r:INFLUENCES]->(y:Stakeholder)
  WHERE x.name IS NOT NULL
  RETURN collect([x.id, y.id, r {.strength, .kind, .topic, .confidence}]) AS influences
}
CALL (a) {
  MATCH (x:Stakeholder {workspaceId: $ws, accountId: a.id})-[r:TIE]->(y:Stakeholder)
  WHERE x.name IS NOT NULL
  RETURN collect([x.id, y.id, r {.kind, .strength, .note}]) AS ties
}
CALL (a) {
  MATCH (r:TeamMemberRef {workspaceId: $ws, source: $source})-[:IDENTIFIES]->(t:TeamMember)-[:ASSIGNED_TO]->(a)
  WITH t, min(r.externalId) AS externalId
  RETURN collect([t {.*}, externalId]) AS team
}
CALL (a) {
  MATCH (t:TeamMember)-[c:COVERS]->(s:Stakeholder {workspaceId: $ws, accountId: a.id})
  WHERE s.name IS NOT NULL
  RETURN collect([t.id, s.id, c {.relationshipStep, .relationshipType}]) AS coverage
}
CALL (a) {
  MATCH (i:Interaction {workspaceId: $ws, accountId: a.id, source: $source})
  RETURN collect([i {.*}, [(i)-[:BY]->(t:TeamMember) | t.id][0], [(i)-[:MET]->(s:Stakeholder) | s.id]]) AS interactions
}
RETURN a {.*} AS account, externalId, people, circles, influences, ties, team, coverage, interactions
"""

EXPORT_OPPORTUNITIES: LiteralString = (
    """
MATCH (o:Opportunity {workspaceId: $ws, accountId: $accountId, source: $source})
USING INDEX o:Opportunity(workspaceId, accountId, name)
WHERE o.name IS NOT NULL
WITH o ORDER BY o.externalId
"""
    + OPPORTUNITY_STATE
    + ", o.externalId AS externalId"
)

EXPORT_COMPETITION: LiteralString = """
CALL () {
  MATCH (s:Stakeholder {workspaceId: $ws, accountId: $accountId})-[f:FAVOURS]->(c:Competitor)
  WHERE s.name IS NOT NULL AND NOT s.archived
  RETURN collect([s.id, c.id, f.note]) AS favours
}
CALL () {
  MATCH (rep:CompetitorRep)-[x:CONTACTS]->(s:Stakeholder {workspaceId: $ws, accountId: $accountId})
  WHERE s.name IS NOT NULL AND NOT s.archived
  RETURN collect([rep.id, s.id, x {.visitsPerMonth, .typicalMinutes, .form, .topics, .strength}]) AS contacts
}
RETURN favours, contacts
"""

EXPORT_COMPETITORS: LiteralString = """
CALL () {
  UNWIND $reps AS id
  MATCH (r:CompetitorRepRef {workspaceId: $ws, source: $source})-[:IDENTIFIES]->(rep:CompetitorRep {workspaceId: $ws, id: id})
  MATCH (rep)-[:WORKS_FOR]->(c:Competitor)
  WITH rep, c, min(r.externalId) AS externalId
  RETURN collect([rep.id, externalId, rep.name, c.id]) AS reps
}
CALL (reps) {
  UNWIND $competitors + [rep IN reps | rep[3]] AS id
  MATCH (r:CompetitorRef {workspaceId: $ws, source: $source})-[:IDENTIFIES]->(c:Competitor {workspaceId: $ws, id: id})
  WITH c, min(r.externalId) AS externalId
  RETURN collect([c.id, externalId, c.name, c.origin]) AS competitors
}
RETURN reps, competitors
"""
"""The reps given and the competitors given or employing them, with this source's external ids."""


async def account_document(tx: Tx, ws: str, account_id: str, source: str) -> AccountDocument | None:
    """The account as a document of `source`; None when the source does not identify the account."""
    params = {"ws": ws, "accountId": account_id, "source": source}
    rows = await fetch(tx, EXPORT_ACCOUNT, **params)
    if not rows:
        return None
    row = rows[0]
    people = {record["id"]: external_id for record, external_id, _ in row["people"]}
    team = {member["id"]: external_id for member, external_id in row["team"]}
    account = row["account"]
    return AccountDocument(
        source=source,
        account=doc.AccountDoc(
            row["externalId"], account["name"], account.get("industry"), _enum(AccountTier, account.get("tier"))
        ),
        stakeholders=tuple(sorted((_stakeholder(r, e, people.get(m)) for r, e, m in row["people"]), key=_key)),
        circles=tuple(sorted((_circle(c, m, r, a, people) for c, m, r, a in row["circles"]), key=lambda c: c.key)),
        influences=tuple(sorted(_influences(row["influences"], people), key=lambda i: (i.source, i.target))),
        ties=tuple(sorted(_ties(row["ties"], people), key=lambda t: (t.kind.value, t.a, t.b))),
        team=tuple(sorted((_team_member(t, e) for t, e in row["team"]), key=_key)),
        coverage=tuple(sorted(_coverage(row["coverage"], team, people), key=lambda c: (c.team_member, c.stakeholder))),
        interactions=tuple(sorted(_interactions(row["interactions"], team, people), key=_key)),
        mode=ImportMode.MERGE,
        deals=await _deals(tx, params, people),
    )


def _key(item: Any) -> str:
    key: str = item.external_id
    return key


def _enum(kind: Any, value: Any) -> Any:
    return None if value is None else kind(value)


def _stakeholder(p: Mapping[str, Any], external_id: str, manager: str | None) -> doc.StakeholderDoc:
    return doc.StakeholderDoc(
        external_id=external_id,
        name=p["name"],
        title=p.get("title"),
        department=p.get("department"),
        email=p.get("email"),
        phone=p.get("phone"),
        level=_enum(OrgLevel, p.get("level")),
        reports_to=manager,
        stance=_enum(Stance, p.get("stance")),
        influence=p.get("influence"),
        buying_roles=tuple(BuyingRole(r) for r in p.get("buyingRoles") or ()),
        buyer_types=tuple(BuyerType(t) for t in p.get("buyerTypes") or ()),
        adaptability=_enum(Adaptability, p.get("adaptability")),
        personality=_enum(Personality, p.get("personality")),
        contact_tier=_enum(ContactTier, p.get("contactTier")),
        notes=p.get("notes"),
    )


def _circle(
    c: Mapping[str, Any], members: Sequence[Any], rivals: Sequence[str], allies: Sequence[str], people: Ids
) -> doc.CircleDoc:
    """Each rival or ally relation is listed once, by the circle with the lower key."""
    key = c["key"]
    return doc.CircleDoc(
        key=key,
        name=c["name"],
        color=c.get("color"),
        business_value=c.get("businessValue"),
        track_record=c.get("trackRecord"),
        partisans_and_allies=c.get("partisansAndAllies"),
        philosophy_and_policy=c.get("philosophyAndPolicy"),
        members=tuple(
            sorted(
                (doc.CircleMemberDoc(people[s], bool(core)) for s, core in members if s in people),
                key=lambda m: m.stakeholder,
            )
        ),
        rivals=tuple(sorted({o for o in rivals if o > key})),
        allies=tuple(sorted({o for o in allies if o > key})),
    )


def _influences(rows: Sequence[Any], people: Ids) -> list[doc.InfluenceDoc]:
    return [
        doc.InfluenceDoc(
            people[a],
            people[b],
            r["strength"],
            _enum(InfluenceKind, r.get("kind")),
            r.get("topic"),
            r.get("confidence"),
        )
        for a, b, r in rows
        if a in people and b in people
    ]


def _ties(rows: Sequence[Any], people: Ids) -> list[doc.TieDoc]:
    return [
        doc.TieDoc(TieKind(r["kind"]), people[a], people[b], r.get("strength"), r.get("note"))
        for a, b, r in rows
        if a in people and b in people
    ]


def _team_member(t: Mapping[str, Any], external_id: str) -> doc.TeamMemberDoc:
    return doc.TeamMemberDoc(external_id, t["name"], TeamRole(t["role"]), t.get("email"))


def _coverage(rows: Sequence[Any], team: Ids, people: Ids) -> list[doc.CoverageDoc]:
    return [
        doc.CoverageDoc(
            team[t], people[s], c.get("relationshipStep"), _enum(RelationshipType, c.get("relationshipType"))
        )
        for t, s, c in rows
        if t in team and s in people
    ]


def _interactions(rows: Sequence[Any], team: Ids, people: Ids) -> list[doc.InteractionDoc]:
    found = []
    for props, member, met in rows:
        i = native_props(props)
        found.append(
            doc.InteractionDoc(
                external_id=i["externalId"],
                at=i["at"],
                type=InteractionType(i["type"]),
                stakeholders=tuple(sorted(people[s] for s in met if s in people)),
                team_member=team.get(member) if member else None,
                summary=i.get("summary"),
                next_step=i.get("nextStep"),
            )
        )
    return found


# --- Deals -------------------------------------------------------------------------------------
async def _deals(tx: Tx, params: Mapping[str, Any], people: Ids) -> DealSection:
    opportunities = [
        (row["externalId"], stored_opportunity_from(row)) for row in await fetch(tx, EXPORT_OPPORTUNITIES, **params)
    ]
    competition = (await fetch(tx, EXPORT_COMPETITION, **params))[0]
    named = {c for _, o in opportunities for c in o.involved}
    named.update(c for _, c, _ in competition["favours"])
    reps_named = sorted({rep for rep, _, _ in competition["contacts"]})
    found = (await fetch(tx, EXPORT_COMPETITORS, competitors=sorted(named), reps=reps_named, **params))[0]
    competitors = {c: external_id for c, external_id, _, _ in found["competitors"]}
    reps = {rep: external_id for rep, external_id, _, c in found["reps"] if c in competitors}
    return DealSection(
        competitors=tuple(
            sorted((Competitor(e, name, origin) for c, e, name, origin in found["competitors"]), key=lambda c: c.id)
        ),
        competitor_reps=tuple(
            sorted(
                (CompetitorRep(reps[r], name, competitors[c]) for r, _, name, c in found["reps"] if r in reps),
                key=lambda r: r.id,
            )
        ),
        competitor_contacts=tuple(
            sorted(
                (
                    replace(contact_from_props(rep, person, props), rep=reps[rep], stakeholder=people[person])
                    for rep, person, props in competition["contacts"]
                    if rep in reps and person in people
                ),
                key=lambda c: (c.rep, c.stakeholder),
            )
        ),
        favours=tuple(
            sorted(
                (
                    Favour(people[s], competitors[c], note)
                    for s, c, note in competition["favours"]
                    if s in people and c in competitors
                ),
                key=lambda f: (f.stakeholder, f.competitor),
            )
        ),
        opportunities=tuple(_deal(e, o, people, competitors) for e, o in opportunities),
    )


def _deal(external_id: str, stored: StoredOpportunity, people: Ids, competitors: Ids) -> Deal:
    opportunity = opportunity_from_props(external_id, stored.props)
    issue = opportunity.burning_issue
    if issue is not None:
        owner = None if issue.owner is None else people.get(issue.owner)
        opportunity = replace(
            opportunity,
            burning_issue=BurningIssue(issue.text, owner, issue.personal, issue.time_immediate, issue.certain),
        )
    card = stored.scorecard
    return Deal(
        opportunity=opportunity,
        buying_centre=tuple(
            sorted(
                (
                    replace(member_from_props(people[s], m), stakeholder=people[s])
                    for s, m in stored.members.items()
                    if s in people
                ),
                key=lambda m: m.stakeholder,
            )
        ),
        competitors=tuple(
            sorted(
                (
                    Involvement(competitors[c], bool(x.get("incumbent")))
                    for c, x in stored.involved.items()
                    if c in competitors
                ),
                key=lambda i: i.competitor,
            )
        ),
        scorecard=None
        if card is None
        else Scorecard(
            tuple(
                replace(
                    c,
                    competitor_scores=tuple(
                        sorted(
                            (
                                CompetitorScore(competitors[s.competitor], s.score)
                                for s in c.competitor_scores
                                if s.competitor in competitors
                            ),
                            key=lambda s: s.competitor,
                        )
                    ),
                    cares=tuple(
                        sorted(
                            (Care(people[x.stakeholder], x.weight) for x in c.cares if x.stakeholder in people),
                            key=lambda x: x.stakeholder,
                        )
                    ),
                )
                for c in card.criteria
            )
        ),
    )
