"""An account document as the JSON of `AccountGraphInput`: what `Account.exportDocument` returns, and what
`accountGraphImport` (or `powermap import`) takes back. Fields without a value are left out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from service.rules import deals
from service.rules.account_import import AccountDocument

Json = dict[str, Any]


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    return value


def _object(**fields: Any) -> Json:
    return {name: _value(value) for name, value in fields.items() if value is not None}


def document_json(doc: AccountDocument) -> Json:
    d = doc.deals
    return _object(
        source=doc.source,
        account=_object(
            externalId=doc.account.external_id,
            name=doc.account.name,
            industry=doc.account.industry,
            tier=doc.account.tier,
        ),
        stakeholders=[
            _object(
                externalId=s.external_id,
                name=s.name,
                title=s.title,
                department=s.department,
                email=s.email,
                phone=s.phone,
                level=s.level,
                reportsTo=s.reports_to,
                stance=s.stance,
                influence=s.influence,
                buyingRoles=s.buying_roles,
                buyerTypes=s.buyer_types,
                adaptability=s.adaptability,
                personality=s.personality,
                contactTier=s.contact_tier,
                notes=s.notes,
            )
            for s in doc.stakeholders
        ],
        circles=[
            _object(
                key=c.key,
                name=c.name,
                color=c.color,
                businessValue=c.business_value,
                trackRecord=c.track_record,
                partisansAndAllies=c.partisans_and_allies,
                philosophyAndPolicy=c.philosophy_and_policy,
                members=[_object(stakeholder=m.stakeholder, core=m.core) for m in c.members],
                rivals=c.rivals,
                allies=c.allies,
            )
            for c in doc.circles
        ],
        influences=[
            _object(
                **{"from": i.source},
                to=i.target,
                strength=i.strength,
                kind=i.kind,
                topic=i.topic,
                confidence=i.confidence,
            )
            for i in doc.influences
        ],
        ties=[_object(kind=t.kind, a=t.a, b=t.b, strength=t.strength, note=t.note) for t in doc.ties],
        team=[_object(externalId=t.external_id, name=t.name, role=t.role, email=t.email) for t in doc.team],
        coverage=[
            _object(
                teamMember=c.team_member,
                stakeholder=c.stakeholder,
                relationshipStep=c.relationship_step,
                relationshipType=c.relationship_type,
            )
            for c in doc.coverage
        ],
        interactions=[
            _object(
                externalId=i.external_id,
                at=i.at,
                type=i.type,
                stakeholders=i.stakeholders,
                teamMember=i.team_member,
                summary=i.summary,
                nextStep=i.next_step,
            )
            for i in doc.interactions
        ],
        competitors=[_object(externalId=c.id, name=c.name, origin=c.origin) for c in d.competitors],
        competitorReps=[_object(externalId=r.id, name=r.name, competitor=r.competitor) for r in d.competitor_reps],
        competitorContacts=[
            _object(
                rep=c.rep,
                stakeholder=c.stakeholder,
                visitsPerMonth=c.visits_per_month,
                typicalMinutes=c.typical_minutes,
                form=c.form,
                topics=c.topics,
                strength=c.strength,
            )
            for c in d.competitor_contacts
        ],
        favours=[_object(stakeholder=f.stakeholder, competitor=f.competitor, note=f.note) for f in d.favours],
        opportunities=[_opportunity(deal) for deal in d.opportunities],
    )


def _opportunity(deal: deals.Deal) -> Json:
    o = deal.opportunity
    issue, ucv, card = o.burning_issue, o.ucv, deal.scorecard
    return _object(
        externalId=o.id,
        name=o.name,
        buyClass=o.buy_class,
        estimatedValue=o.estimated_value,
        currency=o.currency,
        expectedCloseDate=o.expected_close_date,
        status=o.status,
        salesStage=o.sales_stage,
        procurementStep=o.procurement_step,
        decisionStage=o.decision_stage,
        burningIssue=None
        if issue is None
        else _object(
            text=issue.text,
            owner=issue.owner,
            personal=issue.personal,
            timeImmediate=issue.time_immediate,
            certain=issue.certain,
        ),
        ucv=None
        if ucv is None
        else _object(
            text=ucv.text,
            measurable=ucv.measurable,
            metric=ucv.metric,
            deliverableBy=ucv.deliverable_by,
            customerDeadline=ucv.customer_deadline,
            unique=ucv.unique,
        ),
        buyingCentre=[
            _object(
                stakeholder=m.stakeholder,
                buyingRoles=m.buying_roles,
                buyerTypes=m.buyer_types,
                handler=m.handler,
                projectLead=m.project_lead,
            )
            for m in deal.buying_centre
        ],
        competitors=[_object(competitor=i.competitor, incumbent=i.incumbent) for i in deal.competitors],
        scorecard=None
        if card is None
        else {
            "criteria": [
                _object(
                    name=c.name,
                    weight=c.weight,
                    ourScore=c.our_score,
                    competitorScores=[_object(competitor=s.competitor, score=s.score) for s in c.competitor_scores],
                    cares=[_object(stakeholder=x.stakeholder, weight=x.weight) for x in c.cares],
                )
                for c in card.criteria
            ]
        },
    )
