"""The deal step of the import (`plan_deal_import`), against a store simulated in memory: a re-import plans
nothing, REPLACE converges on the document whatever was stored before, MERGE keeps what it leaves out, and
every row written is logged."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.rules.deals import (
    BurningIssue,
    BuyingCentreMember,
    Care,
    Competitor,
    CompetitorRep,
    CompetitorScore,
    Criterion,
    Deal,
    DealSection,
    DecisionStage,
    Favour,
    Involvement,
    Opportunity,
    RepContact,
    SalesStage,
    Scorecard,
    Ucv,
    validate_deal_section,
)
from service.rules.deals.import_plan import (
    DealImportPlan,
    StoredCompetitor,
    StoredDeals,
    StoredOpportunity,
    StoredRelation,
    StoredRep,
    plan_deal_import,
)
from service.rules.deals.stored import STORED_OPPORTUNITY_FIELDS, scorecard_from_rows, scorecard_matrix
from service.rules.enums import BuyingRole, ImportMode

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PEOPLE = {f"p{i}": f"person-{i}" for i in range(4)}
"""The document's stakeholders: external id -> internal id."""
SOURCE = "crm"
ACCOUNT = "account-1"
FLAG = st.sampled_from((None, False, True))
WEIGHTS = ((1.0,), (0.5, 0.5), (0.2, 0.3, 0.5), (0.25, 0.25, 0.25, 0.25))


@st.composite
def sections(draw: st.DrawFn) -> DealSection:
    competitors = [
        Competitor(f"c{i}", draw(st.sampled_from(("X", "Y"))), draw(st.none() | st.just("国外")))
        for i in range(3)
        if draw(st.booleans())
    ]
    names = [c.id for c in competitors]
    reps = [
        CompetitorRep(f"r{i}", f"rep {draw(st.integers(0, 1))}", draw(st.sampled_from(names)))
        for i in range(3)
        if names and draw(st.booleans())
    ]
    people = list(PEOPLE)
    contacts = [
        RepContact(
            r.id,
            p,
            draw(st.none() | st.sampled_from((1.0, 2.5))),
            None,
            draw(st.none() | st.just("golf")),
            tuple(draw(st.lists(st.sampled_from(("a", "b")), max_size=2))),
            draw(st.none() | st.integers(1, 5)),
        )
        for r in reps
        for p in people
        if draw(st.integers(0, 3)) == 0
    ]
    favours = [
        Favour(p, c, draw(st.none() | st.just("n"))) for p in people for c in names if draw(st.integers(0, 3)) == 0
    ]
    deals = [draw(_deals(f"o{i}", names)) for i in range(3) if draw(st.booleans())]
    return DealSection(tuple(competitors), tuple(reps), tuple(contacts), tuple(favours), tuple(deals))


@st.composite
def _deals(draw: st.DrawFn, external_id: str, competitors: list[str]) -> Deal:
    people = list(PEOPLE)
    issue = draw(
        st.none() | st.builds(BurningIssue, st.just("bi"), st.none() | st.sampled_from(people), FLAG, FLAG, FLAG)
    )
    ucv = draw(
        st.none()
        | st.builds(
            Ucv, st.just("ucv"), FLAG, st.none() | st.just("m"), st.none() | st.just(date(2024, 5, 1)), st.none(), FLAG
        )
    )
    opportunity = Opportunity(
        id=external_id,
        name=draw(st.sampled_from(("Deal", "Renewal"))),
        sales_stage=draw(st.sampled_from(list(SalesStage))),
        estimated_value=draw(st.none() | st.just(Decimal("12.50"))),
        currency="CNY",
        procurement_step=draw(st.none() | st.integers(1, 12)),
        decision_stage=draw(st.none() | st.sampled_from(list(DecisionStage))),
        burning_issue=issue,
        ucv=ucv,
    )
    members = tuple(
        BuyingCentreMember(p, draw(st.none() | st.just((BuyingRole.USER,))), None, draw(st.booleans()), False)
        for p in people
        if draw(st.booleans())
    )
    involved = [c for c in competitors if draw(st.booleans())]
    card = None
    if draw(st.booleans()):
        criteria = tuple(
            Criterion(
                f"k{i}",
                weight,
                draw(st.integers(1, 5)),
                tuple(CompetitorScore(c, draw(st.integers(1, 5))) for c in involved if draw(st.booleans())),
                tuple(Care(p, draw(st.integers(1, 5))) for p in people if draw(st.integers(0, 2)) == 0),
            )
            for i, weight in enumerate(draw(st.sampled_from(WEIGHTS)))
        )
        card = Scorecard(criteria)
    return Deal(opportunity, members, tuple(Involvement(c, draw(st.booleans())) for c in involved), card)


# --- The store, simulated ------------------------------------------------------------------------
@dataclass
class Store:
    competitors: dict[str, StoredCompetitor] = field(default_factory=dict)
    reps: dict[str, StoredRep] = field(default_factory=dict)
    opportunities: dict[str, StoredOpportunity] = field(default_factory=dict)
    contacts: dict[tuple[str, str], StoredRelation] = field(default_factory=dict)
    favours: dict[tuple[str, str], StoredRelation] = field(default_factory=dict)

    def stored(self) -> StoredDeals:
        return StoredDeals(
            dict(self.competitors), dict(self.reps), dict(self.opportunities), dict(self.contacts), dict(self.favours)
        )


def _clean(props: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: props.get(name) for name in names}


def apply(store: Store, plan: DealImportPlan) -> None:
    """What `service.graph.writes.deal_import.apply_deal_plan` does, on dictionaries."""
    for row in plan.competitors:
        store.competitors[row["externalId"]] = StoredCompetitor(row["id"], _clean(row["props"], ("name", "origin")))
    for row in plan.reps:
        store.reps[row["externalId"]] = StoredRep(row["id"], _clean(row["props"], ("name",)), row["competitorId"])
    by_id = {o.id: key for key, o in store.opportunities.items()}
    for removed in plan.opportunities_removed:
        del store.opportunities[by_id.pop(removed)]
    for row in plan.opportunities:
        old = store.opportunities.get(row["externalId"])
        props = _clean(row["props"], STORED_OPPORTUNITY_FIELDS)
        store.opportunities[row["externalId"]] = (
            StoredOpportunity(row["id"], props) if old is None else replace(old, props=props)
        )
        by_id[row["id"]] = row["externalId"]

    def edit(opportunity_id: str, change: Callable[[StoredOpportunity], StoredOpportunity]) -> None:
        key = by_id[opportunity_id]
        store.opportunities[key] = change(store.opportunities[key])

    for row in plan.members_removed:
        edit(
            row["opportunityId"],
            lambda o, r=row: replace(o, members={k: v for k, v in o.members.items() if k != r["stakeholderId"]}),
        )
    for row in plan.members:
        edit(
            row["opportunityId"],
            lambda o, r=row: replace(o, members={**o.members, r["stakeholderId"]: dict(r["props"])}),
        )
    for row in plan.involvements_removed:
        edit(
            row["opportunityId"],
            lambda o, r=row: replace(o, involved={k: v for k, v in o.involved.items() if k != r["competitorId"]}),
        )
    for row in plan.involvements:
        edit(
            row["opportunityId"],
            lambda o, r=row: replace(o, involved={**o.involved, r["competitorId"]: dict(r["props"])}),
        )
    for row in plan.scorecards:
        rows = [
            [
                c["position"],
                c["name"],
                c["weight"],
                c["ourScore"],
                [[s["competitorId"], s["score"]] for s in c["scores"]],
                [[x["stakeholderId"], x["weight"]] for x in c["cares"]],
            ]
            for c in row["criteria"]
        ]
        edit(row["opportunityId"], lambda o, r=rows: replace(o, scorecard=scorecard_from_rows(r)))
    for row in plan.contacts_removed:
        del store.contacts[(row["repId"], row["stakeholderId"])]
    for row in plan.contacts:
        key = (row["repId"], row["stakeholderId"])
        found = store.contacts.get(key)
        store.contacts[key] = StoredRelation(dict(row["props"]), SOURCE if found is None else found.source)
    for row in plan.favours_removed:
        del store.favours[(row["stakeholderId"], row["competitorId"])]
    for row in plan.favours:
        key = (row["stakeholderId"], row["competitorId"])
        found = store.favours.get(key)
        store.favours[key] = StoredRelation(dict(row["props"]), SOURCE if found is None else found.source)


def run(store: Store, section: DealSection, mode: ImportMode, ids: Callable[[], str]) -> DealImportPlan:
    assert validate_deal_section(section, list(PEOPLE)) == []
    plan = plan_deal_import(
        section, store.stored(), account_id=ACCOUNT, people=PEOPLE, source=SOURCE, mode=mode, new_id=ids
    )
    apply(store, plan)
    return plan


def counter() -> Callable[[], str]:
    """New ids, never repeated within a store (as uuids)."""
    numbers = itertools.count()
    return lambda: f"id-{next(numbers)}"


def external(store: Store, section: DealSection) -> dict[str, Any]:
    """What the store holds for the section's competitors and reps and for everything of the account, with
    external ids for the competitors, reps and people (internal ids differ between stores)."""
    competitor = {c.id: key for key, c in store.competitors.items()}
    rep = {r.id: key for key, r in store.reps.items()}
    person = {internal: key for key, internal in PEOPLE.items()}

    def opportunity(o: StoredOpportunity) -> Any:
        props = dict(o.props)
        if props.get("burningIssueOwnerId") is not None:
            props["burningIssueOwnerId"] = person[props["burningIssueOwnerId"]]
        matrix = scorecard_matrix(o.scorecard)
        for row in matrix or []:
            row["competitorScores"] = sorted([competitor[c], s] for c, s in row["competitorScores"])
            row["cares"] = sorted([person[p], w] for p, w in row["cares"])
        return (
            props,
            {person[p]: m for p, m in o.members.items()},
            {competitor[c]: x for c, x in o.involved.items()},
            matrix,
        )

    return {
        "competitors": {c.id: store.competitors[c.id].props for c in section.competitors},
        "reps": {
            r.id: (store.reps[r.id].props, competitor[store.reps[r.id].competitor]) for r in section.competitor_reps
        },
        "opportunities": {key: opportunity(o) for key, o in store.opportunities.items()},
        "contacts": {(rep[r], person[p]): c.props for (r, p), c in store.contacts.items()},
        "favours": {(person[p], competitor[c]): f.props for (p, c), f in store.favours.items()},
    }


@PROPERTY
@given(sections(), st.sampled_from(list(ImportMode)))
def test_a_reimport_plans_nothing(section: DealSection, mode: ImportMode) -> None:
    store, ids = Store(), counter()
    first = run(store, section, mode, ids)
    again = run(store, section, mode, ids)
    rows = [getattr(again, name) for name in vars(again) if name not in ("changes", "accounts", "counts")]
    assert (rows, again.changes) == ([[] for _ in rows], [])
    records = len(section.competitors) + len(section.competitor_reps) + len(section.competitor_contacts)
    records += len(section.favours) + len(section.opportunities)
    assert (first.counts.created, again.counts.unchanged, again.counts.updated) == (records, records, 0)


@PROPERTY
@given(sections(), sections())
def test_replace_converges_on_the_document(before: DealSection, after: DealSection) -> None:
    store, ids = Store(), counter()
    run(store, before, ImportMode.REPLACE, ids)
    plan = run(store, after, ImportMode.REPLACE, ids)
    fresh = Store()
    run(fresh, after, ImportMode.REPLACE, counter())
    assert external(store, after) == external(fresh, after)
    logged = {(c.entity, c.entity_id) for c in plan.changes}
    assert {("Opportunity", row["id"]) for row in plan.opportunities} <= logged
    assert {("Scorecard", row["opportunityId"]) for row in plan.scorecards} <= logged
    assert {
        ("RepContact", f"{r['repId']}:{r['stakeholderId']}") for r in plan.contacts + plan.contacts_removed
    } <= logged
    assert {
        ("Favour", f"{r['stakeholderId']}:{r['competitorId']}") for r in plan.favours + plan.favours_removed
    } <= logged


@PROPERTY
@given(sections(), sections())
def test_merge_keeps_what_the_document_leaves_out(before: DealSection, after: DealSection) -> None:
    store, ids = Store(), counter()
    run(store, before, ImportMode.MERGE, ids)
    kept = external(store, before)
    run(store, after, ImportMode.MERGE, ids)
    now = external(store, after)
    left_out = {d.opportunity.id for d in before.opportunities} - {d.opportunity.id for d in after.opportunities}
    assert {key: now["opportunities"][key] for key in left_out} == {key: kept["opportunities"][key] for key in left_out}
    contacts = set(kept["contacts"]) - {(c.rep, c.stakeholder) for c in after.competitor_contacts}
    assert {key: now["contacts"][key] for key in contacts} == {key: kept["contacts"][key] for key in contacts}
    favours = set(kept["favours"]) - {(f.stakeholder, f.competitor) for f in after.favours}
    assert {key: now["favours"][key] for key in favours} == {key: kept["favours"][key] for key in favours}
    for deal in after.opportunities:
        props, members, involved, _ = now["opportunities"][deal.opportunity.id]
        assert set(members) >= {m.stakeholder for m in deal.buying_centre}
        assert set(involved) >= {i.competitor for i in deal.competitors}
        assert props["name"] == deal.opportunity.name
