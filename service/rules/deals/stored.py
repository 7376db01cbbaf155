"""Deals as stored property maps (camelCase names, values as Neo4j stores them) and back: what the writes
set, what the diffs compare and what the change log records.

An opportunity's burning issue and UCV are stored flat on the opportunity (`burningIssue*`, `ucv*`); the
issue's owner as the stakeholder's id. A decimal value is stored as its string; dates as dates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from service.rules.deals.enums import BuyClass, DecisionStage, OpportunityStatus, SalesStage
from service.rules.deals.model import (
    BurningIssue,
    BuyingCentreMember,
    Care,
    CompetitorScore,
    Criterion,
    Favour,
    Opportunity,
    RepContact,
    Scorecard,
    Ucv,
)
from service.rules.enums import BuyerType, BuyingRole

Props = dict[str, Any]
E = TypeVar("E", bound=Enum)

OPPORTUNITY_FIELDS = (
    "name",
    "buyClass",
    "estimatedValue",
    "currency",
    "expectedCloseDate",
    "status",
    "salesStage",
    "procurementStep",
    "decisionStage",
)
BURNING_ISSUE_FIELDS = (
    "burningIssueText",
    "burningIssueOwnerId",
    "burningIssuePersonal",
    "burningIssueTimeImmediate",
    "burningIssueCertain",
)
UCV_FIELDS = ("ucvText", "ucvMeasurable", "ucvMetric", "ucvDeliverableBy", "ucvCustomerDeadline", "ucvUnique")
STORED_OPPORTUNITY_FIELDS = (*OPPORTUNITY_FIELDS, *BURNING_ISSUE_FIELDS, *UCV_FIELDS)
"""Every fact stored on an opportunity node."""

MEMBER_FIELDS = ("buyingRoles", "buyerTypes", "handler", "projectLead")
CONTACT_FIELDS = ("visitsPerMonth", "typicalMinutes", "form", "topics", "strength")


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _enum(kind: type[E], value: Any) -> E | None:
    return None if value is None else kind(value)


def stored_values(values: Mapping[str, Any]) -> Props:
    """Domain values (enums, decimals, tuples) as stored."""
    return {name: _stored(value) for name, value in values.items()}


def _stored(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_stored(v) for v in value]
    return value


def _values(values: Sequence[Enum] | None) -> list[Any] | None:
    return None if values is None else [v.value for v in values]


# --- Opportunities -----------------------------------------------------------------------------
def opportunity_props(o: Opportunity) -> Props:
    """The opportunity's own fields (not its burning issue or UCV)."""
    return {
        "name": o.name,
        "buyClass": _value(o.buy_class),
        "estimatedValue": None if o.estimated_value is None else str(o.estimated_value),
        "currency": o.currency,
        "expectedCloseDate": o.expected_close_date,
        "status": o.status.value,
        "salesStage": o.sales_stage.value,
        "procurementStep": o.procurement_step,
        "decisionStage": _value(o.decision_stage),
    }


def burning_issue_props(issue: BurningIssue | None) -> Props:
    """Every burning-issue field; all None when there is none (to clear it)."""
    if issue is None:
        return dict.fromkeys(BURNING_ISSUE_FIELDS)
    return {
        "burningIssueText": issue.text,
        "burningIssueOwnerId": issue.owner,
        "burningIssuePersonal": issue.personal,
        "burningIssueTimeImmediate": issue.time_immediate,
        "burningIssueCertain": issue.certain,
    }


def ucv_props(ucv: Ucv | None) -> Props:
    """Every UCV field; all None when there is none (to clear it)."""
    if ucv is None:
        return dict.fromkeys(UCV_FIELDS)
    return {
        "ucvText": ucv.text,
        "ucvMeasurable": ucv.measurable,
        "ucvMetric": ucv.metric,
        "ucvDeliverableBy": ucv.deliverable_by,
        "ucvCustomerDeadline": ucv.customer_deadline,
        "ucvUnique": ucv.unique,
    }


def all_opportunity_props(o: Opportunity) -> Props:
    return {**opportunity_props(o), **burning_issue_props(o.burning_issue), **ucv_props(o.ucv)}


def opportunity_from_props(opportunity_id: str, p: Mapping[str, Any]) -> Opportunity:
    """The stored map (dates already native) as the domain object; a missing stage or status is the default."""
    value = p.get("estimatedValue")
    return Opportunity(
        id=opportunity_id,
        name=p["name"],
        sales_stage=SalesStage(p.get("salesStage") or SalesStage.G.value),
        status=OpportunityStatus(p.get("status") or OpportunityStatus.OPEN.value),
        buy_class=_enum(BuyClass, p.get("buyClass")),
        estimated_value=None if value is None else Decimal(value),
        currency=p.get("currency"),
        expected_close_date=p.get("expectedCloseDate"),
        procurement_step=p.get("procurementStep"),
        decision_stage=_enum(DecisionStage, p.get("decisionStage")),
        burning_issue=_burning_issue(p),
        ucv=_ucv(p),
    )


def _burning_issue(p: Mapping[str, Any]) -> BurningIssue | None:
    text = p.get("burningIssueText")
    if text is None:
        return None
    return BurningIssue(
        text,
        p.get("burningIssueOwnerId"),
        p.get("burningIssuePersonal"),
        p.get("burningIssueTimeImmediate"),
        p.get("burningIssueCertain"),
    )


def _ucv(p: Mapping[str, Any]) -> Ucv | None:
    text = p.get("ucvText")
    if text is None:
        return None
    return Ucv(
        text,
        p.get("ucvMeasurable"),
        p.get("ucvMetric"),
        p.get("ucvDeliverableBy"),
        p.get("ucvCustomerDeadline"),
        p.get("ucvUnique"),
    )


# --- Buying centre, competitors involved, rep contacts, favours ---------------------------------
def member_props(member: BuyingCentreMember) -> Props:
    """Roles and types None: the account's hold for this deal."""
    return {
        "buyingRoles": _values(member.buying_roles),
        "buyerTypes": _values(member.buyer_types),
        "handler": member.handler,
        "projectLead": member.project_lead,
    }


def member_from_props(stakeholder: str, p: Mapping[str, Any]) -> BuyingCentreMember:
    roles, types = p.get("buyingRoles"), p.get("buyerTypes")
    return BuyingCentreMember(
        stakeholder=stakeholder,
        buying_roles=None if roles is None else tuple(BuyingRole(r) for r in roles),
        buyer_types=None if types is None else tuple(BuyerType(t) for t in types),
        handler=bool(p.get("handler")),
        project_lead=bool(p.get("projectLead")),
    )


def contact_props(contact: RepContact) -> Props:
    return {
        "visitsPerMonth": contact.visits_per_month,
        "typicalMinutes": contact.typical_minutes,
        "form": contact.form,
        "topics": list(contact.topics),
        "strength": contact.strength,
    }


def contact_from_props(rep: str, stakeholder: str, p: Mapping[str, Any]) -> RepContact:
    visits = p.get("visitsPerMonth")
    return RepContact(
        rep=rep,
        stakeholder=stakeholder,
        visits_per_month=None if visits is None else float(visits),
        typical_minutes=p.get("typicalMinutes"),
        form=p.get("form"),
        topics=tuple(p.get("topics") or ()),
        strength=p.get("strength"),
    )


def favour_props(favour: Favour) -> Props:
    return {"note": favour.note}


# --- Scorecard ---------------------------------------------------------------------------------
def scorecard_matrix(card: Scorecard | None) -> list[Props] | None:
    """The matrix as one comparable, loggable value: criteria in order; scores by competitor id, cares by
    stakeholder id."""
    if card is None:
        return None
    return [
        {
            "name": c.name,
            "weight": c.weight,
            "ourScore": c.our_score,
            "competitorScores": sorted([s.competitor, s.score] for s in c.competitor_scores),
            "cares": sorted([x.stakeholder, x.weight] for x in c.cares),
        }
        for c in card.criteria
    ]


def scorecard_from_rows(rows: Sequence[Sequence[Any]]) -> Scorecard | None:
    """Stored criteria as [position, name, weight, ourScore, [[competitor, score]], [[stakeholder, weight]]],
    in any order; None when there are none."""
    if not rows:
        return None
    criteria = [
        Criterion(
            name=name,
            weight=float(weight),
            our_score=our_score,
            competitor_scores=tuple(CompetitorScore(c, s) for c, s in sorted(scores)),
            cares=tuple(Care(p, w) for p, w in sorted(cares)),
        )
        for _, name, weight, our_score, scores, cares in sorted(rows, key=lambda row: row[0])
    ]
    return Scorecard(tuple(criteria))


def scorecard_rows(card: Scorecard | None, new_id: Callable[[], str]) -> list[Props]:
    """The criteria to write, each with a new id; empty removes the scorecard."""
    if card is None:
        return []
    return [
        {
            "id": new_id(),
            "position": position,
            "name": c.name,
            "weight": c.weight,
            "ourScore": c.our_score,
            "scores": [{"competitorId": s.competitor, "score": s.score} for s in c.competitor_scores],
            "cares": [{"stakeholderId": x.stakeholder, "weight": x.weight} for x in c.cares],
        }
        for position, c in enumerate(card.criteria)
    ]


def scorecard_people(card: Scorecard | None) -> list[str]:
    """The stakeholders who care about a criterion, once each, sorted."""
    return sorted({care.stakeholder for c in card.criteria for care in c.cares}) if card else []
