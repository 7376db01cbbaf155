"""The Canon Zhuhai demo deal (the deal sections of `service/demo/canon-zhuhai.json`) over the canon account."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

from service.rules.account_graph import AccountGraph
from service.rules.deals import DealSection, DealSnapshot
from service.rules.enums import AccountTier
from service.rules.models import Stakeholder

from ..canon import canon_document, canon_graph, internal_id
from .documents import section_from_json, snapshot_of

OPPORTUNITY = "opp-canon-steel"


@cache
def deal_document() -> dict[str, Any]:
    text = resources.files("service.demo").joinpath("canon-zhuhai.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)["input"]
    return document


def canon_section() -> DealSection:
    return section_from_json(deal_document())


def canon_graph_with_records() -> AccountGraph:
    """The canon account with the stored records the deal rules read (phone, email, notes)."""
    graph = canon_graph()
    records = {internal_id(s["externalId"]): _record(graph.account_id, s) for s in canon_document()["stakeholders"]}
    return replace(graph, records=records)


def _record(account_id: str, s: dict[str, Any]) -> Stakeholder:
    return Stakeholder(
        id=internal_id(s["externalId"]),
        account_id=account_id,
        name=s["name"],
        title=s.get("title"),
        email=s.get("email"),
        phone=s.get("phone"),
        notes=s.get("notes"),
    )


def canon_deal() -> DealSnapshot:
    tier = AccountTier(canon_document()["account"]["tier"])
    return snapshot_of(canon_section(), OPPORTUNITY, internal_id, tier=tier)
