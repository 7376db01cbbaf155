"""Item 21: buying-centre members a competitor is working on, and who can win them back."""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.analytics.describe import influence_chain, rating, score
from service.rules.analytics.leverage import leverage_in
from service.rules.analytics.nodes import NodeKind, NodeRef
from service.rules.analytics.ordering import SortKey, tolerant_sorted
from service.rules.analytics.policy import DEFAULT_MAX_HOPS, STRENGTH_SCALE
from service.rules.analytics.validation import validate_max_hops
from service.rules.deals.context import DealContext, deal_context
from service.rules.deals.converters import Converter, best_converters
from service.rules.deals.model import DealSnapshot, Favour, RepContact
from service.rules.deals.people import who
from service.rules.deals.policy import THREAT_MIN_VISITS_PER_MONTH, UNRATED_CONTACT_STRENGTH


@dataclass(frozen=True, slots=True)
class CompetitorThreat:
    stakeholder: str
    leverage: float
    """In the deal's view (its decision makers)."""
    contact_strength: int
    """The strongest rep contact with them (unrated counts as 1); 0 when no rep contacts them."""
    favours: tuple[Favour, ...]
    """The competitors they favour, by competitor name."""
    contacts: tuple[RepContact, ...]
    """Every rep contact with them: strength desc, visits desc, then rep name."""
    competitors: tuple[str, ...]
    """The competitors behind the threat (favoured or sending a rep), by name."""
    converter: NodeRef | None
    """Our best converter (rule 3); None when nobody qualifies."""
    converter_strength: float
    converter_hops: int
    path: tuple[NodeRef, ...]
    reason: str


def competitor_threats(
    graph: AccountGraph, snapshot: DealSnapshot, max_hops: int = DEFAULT_MAX_HOPS
) -> list[CompetitorThreat]:
    """Members who favour a competitor or meet a rep at least monthly: leverage desc, then contact
    strength desc, then name."""
    validate_max_hops(max_hops)
    context = deal_context(graph, snapshot)
    threatened = [p for p in context.members if _is_threatened(context, p)]
    leverage = leverage_in(context.view, max_hops)
    converters = best_converters(context.view, threatened, max_hops)
    rows = [_threat(context, p, leverage[p], converters[p]) for p in threatened]
    return tolerant_sorted(rows, key=lambda row: _rank(context, row))


def _is_threatened(context: DealContext, person_id: str) -> bool:
    frequent = any(
        c.visits_per_month is not None and c.visits_per_month >= THREAT_MIN_VISITS_PER_MONTH
        for c in context.contacts_of.get(person_id, ())
    )
    return frequent or person_id in context.favours_of


def _rank(context: DealContext, row: CompetitorThreat) -> SortKey:
    return (-row.leverage, -row.contact_strength, context.view.name(row.stakeholder), row.stakeholder)


def contact_rating(contact: RepContact) -> int:
    return UNRATED_CONTACT_STRENGTH if contact.strength is None else contact.strength


def _threat(context: DealContext, person_id: str, leverage: float, converter: Converter | None) -> CompetitorThreat:
    favours = sorted(
        context.favours_of.get(person_id, ()), key=lambda f: (context.competitor_name(f.competitor), f.competitor)
    )
    contacts = sorted(context.contacts_of.get(person_id, ()), key=lambda c: _contact_order(context, c))
    competitors = {f.competitor for f in favours} | {context.reps[c.rep].competitor for c in contacts}
    return CompetitorThreat(
        stakeholder=person_id,
        leverage=leverage,
        contact_strength=max((contact_rating(c) for c in contacts), default=0),
        favours=tuple(favours),
        contacts=tuple(contacts),
        competitors=tuple(sorted(competitors, key=lambda c: (context.competitor_name(c), c))),
        converter=converter.node if converter else None,
        converter_strength=converter.strength if converter else 0.0,
        converter_hops=converter.hops if converter else 0,
        path=converter.path if converter else (),
        reason=_reason(context, person_id, leverage, favours, contacts, converter),
    )


def _contact_order(context: DealContext, contact: RepContact) -> tuple[int, float, str, str]:
    visits = contact.visits_per_month or 0.0
    return (-contact_rating(contact), -visits, context.reps[contact.rep].name, contact.rep)


def _reason(
    context: DealContext,
    person_id: str,
    leverage: float,
    favours: list[Favour],
    contacts: list[RepContact],
    converter: Converter | None,
) -> str:
    weight = "a decision maker" if person_id in context.view.decision_makers else f"leverage {score(leverage)}"
    facts = [_favour_text(context, favour) for favour in favours]
    facts += [_contact_text(context, contact) for contact in contacts]
    parts = [f"{who(context, person_id)}, {weight}: {facts[0]}", *facts[1:]]
    return "; ".join(parts) + ". " + _converter_text(context, person_id, converter)


def _favour_text(context: DealContext, favour: Favour) -> str:
    text = f"favours {context.competitor_name(favour.competitor)}"
    return f"{text} ({favour.note})" if favour.note else text


def _contact_text(context: DealContext, contact: RepContact) -> str:
    rep = context.reps[contact.rep]
    facts = []
    if contact.visits_per_month is not None:
        facts.append(f"{contact.visits_per_month:g}×/month")
    if contact.typical_minutes is not None:
        facts.append(f"{contact.typical_minutes} min")
    if contact.form:
        facts.append(contact.form)
    if contact.topics:
        facts.append("on " + ", ".join(contact.topics))
    facts.append("strength unrated" if contact.strength is None else f"strength {rating(contact.strength)}")
    return f"{context.competitor_name(rep.competitor)}'s rep {rep.name} meets them {', '.join(facts)}"


def _converter_text(context: DealContext, person_id: str, converter: Converter | None) -> str:
    if converter is None:
        return "Nobody who supports us reaches them yet."
    if converter.node.kind is NodeKind.TEAM_MEMBER:
        step = round(converter.strength * STRENGTH_SCALE)
        member = context.view.team[converter.node.id].name
        return f"To win them back: our {member} covers them directly, relationship step {rating(step)}."
    chain = influence_chain(context.view, [node.id for node in converter.path], converter.strength)
    return f"To win them back, use {context.view.name(converter.node.id)}: {chain}."
