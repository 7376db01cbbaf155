"""The deal sections of an account document (`accountGraphImport`; all optional): competitors, their
reps, the reps' contacts, favours and opportunities. Every id and reference in them is the source's
external id; stakeholders are the document's own."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from service.rules.deals.model import Competitor, CompetitorRep, Deal, Favour, RepContact
from service.rules.deals.validation import (
    validate_buying_centre,
    validate_competitor,
    validate_competitor_rep,
    validate_favour,
    validate_involvements,
    validate_opportunity,
    validate_rep_contact,
    validate_scorecard,
)
from service.rules.enums import ErrorCode
from service.rules.validation import Problem, required_text

T = TypeVar("T")

MAX_SECTION = 2_000
MAX_CONTACTS = 100_000


@dataclass(frozen=True, slots=True)
class DealSection:
    competitors: tuple[Competitor, ...] = ()
    competitor_reps: tuple[CompetitorRep, ...] = ()
    competitor_contacts: tuple[RepContact, ...] = ()
    favours: tuple[Favour, ...] = ()
    opportunities: tuple[Deal, ...] = ()

    @property
    def empty(self) -> bool:
        """A document without deal sections imports as before."""
        return not (
            self.competitors or self.competitor_reps or self.competitor_contacts or self.favours or self.opportunities
        )


def validate_deal_section(section: DealSection, stakeholders: Collection[str]) -> list[Problem]:
    """Every problem of the deal sections, paths from the document root; `stakeholders`: the document's
    stakeholder external ids."""
    problems = _limits(section)
    if problems:
        return problems
    competitors = frozenset(c.id for c in section.competitors)
    reps = frozenset(r.id for r in section.competitor_reps)
    return [
        *_keyed("competitors", section.competitors, lambda c: c.id, validate_competitor),
        *_keyed(
            "competitorReps", section.competitor_reps, lambda r: r.id, lambda r: validate_competitor_rep(r, competitors)
        ),
        *_unique("competitorContacts", section.competitor_contacts, lambda c: (c.rep, c.stakeholder), "stakeholder"),
        *_each(
            "competitorContacts", section.competitor_contacts, lambda c: validate_rep_contact(c, reps, stakeholders)
        ),
        *_unique("favours", section.favours, lambda f: (f.stakeholder, f.competitor), "competitor"),
        *_each("favours", section.favours, lambda f: validate_favour(f, competitors, stakeholders)),
        *_keyed(
            "opportunities",
            section.opportunities,
            lambda d: d.opportunity.id,
            lambda d: _deal(d, competitors, stakeholders),
        ),
    ]


def _deal(deal: Deal, competitors: frozenset[str], stakeholders: Collection[str]) -> list[Problem]:
    involved = frozenset(i.competitor for i in deal.competitors)
    problems = [
        *validate_opportunity(deal.opportunity, stakeholders),
        *[p.under("buyingCentre") for p in validate_buying_centre(deal.buying_centre, stakeholders)],
        *[p.under("competitors") for p in validate_involvements(deal.competitors, competitors)],
    ]
    if deal.scorecard is not None:
        problems += [p.under("scorecard") for p in validate_scorecard(deal.scorecard, involved, stakeholders)]
    return problems


def _limits(section: DealSection) -> list[Problem]:
    sizes = {
        "competitors": (len(section.competitors), MAX_SECTION),
        "competitorReps": (len(section.competitor_reps), MAX_SECTION),
        "competitorContacts": (len(section.competitor_contacts), MAX_CONTACTS),
        "favours": (len(section.favours), MAX_CONTACTS),
        "opportunities": (len(section.opportunities), MAX_SECTION),
    }
    return [
        Problem((name,), f"at most {limit} {name} per document, got {size}.", ErrorCode.LIMIT_EXCEEDED)
        for name, (size, limit) in sizes.items()
        if size > limit
    ]


def _keyed(
    name: str, items: Sequence[T], key: Callable[[T], str], check: Callable[[T], list[Problem]]
) -> list[Problem]:
    """Items identified by an externalId: present, unique, and each valid."""
    problems = _unique(name, items, key, "externalId")
    for index, item in enumerate(items):
        problems += required_text(key(item), (name, str(index), "externalId"), "externalId")
    return problems + _each(name, items, check)


def _each(name: str, items: Sequence[T], check: Callable[[T], list[Problem]]) -> list[Problem]:
    return [problem.under(name, str(index)) for index, item in enumerate(items) for problem in check(item)]


def _unique(name: str, items: Sequence[T], key: Callable[[T], Hashable], field: str) -> list[Problem]:
    seen: dict[Hashable, int] = {}
    problems = []
    for index, item in enumerate(items):
        found = seen.setdefault(key(item), index)
        if found != index:
            message = f"duplicates {name}[{found}]; each may appear once."
            problems.append(Problem((name, str(index), field), message, ErrorCode.CONFLICT))
    return problems
