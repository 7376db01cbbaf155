"""The query limits, checked before validation, and the validation cache they must not defeat."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import UniqueOperationNamesRule

from service.schema import schema
from service.schema.limits import QueryLimits

LIMITS = QueryLimits()


def _nested(depth: int) -> str:
    """`{ node(id: "x") { ... on Stakeholder { reportsTo { reportsTo ... { id } } } } }` of `depth` levels."""
    inner = "id"
    for _ in range(depth - 2):
        inner = f"reportsTo {{ {inner} }}"
    return f'{{ node(id: "x") {{ ... on Stakeholder {{ {inner} }} }} }}'


def _limit_errors(result: Any) -> list[tuple[str, Any, Any]]:
    return [(e.extensions["limit"], e.extensions["max"], e.extensions["found"]) for e in result.errors or []]


async def test_a_query_deeper_than_the_limit_is_refused_every_time() -> None:
    for _ in range(2):  # the second answer comes from the measure cache
        result = await schema.execute(_nested(LIMITS.max_depth + 2))
        assert [e.message for e in result.errors or []] == [
            "The query has 13 levels of nesting (or more); the limit maxDepth (POWERMAP_MAX_QUERY_DEPTH) allows 12."
        ]
        assert result.errors is not None
        assert result.errors[0].extensions == {"code": "LIMIT_EXCEEDED", "limit": "maxDepth", "max": 12, "found": 13}


async def test_a_query_at_the_depth_limit_passes_the_limits() -> None:
    result = await schema.execute(_nested(LIMITS.max_depth))
    assert _limit_errors(result) == []


async def test_more_aliases_than_the_limit_are_refused() -> None:
    aliases = " ".join(f"a{i}: __typename" for i in range(LIMITS.max_aliases + 1))
    result = await schema.execute(f"{{ {aliases} }}")
    assert [e.message for e in result.errors or []] == [
        "The query has 31 aliases; the limit maxAliases (POWERMAP_MAX_ALIASES) allows 30."
    ]


async def test_the_cost_multiplies_a_connection_s_first_and_is_reported() -> None:
    query = (
        "query($n: Int) { accounts(first: $n) { nodes { stakeholders(first: 50) { nodes { reportsTo { id } } } } } }"
    )
    result = await schema.execute(query, variable_values={"n": 10})
    # accounts 1 + 10 x (nodes 1 + stakeholders 1 + 50 x (nodes 1 + reportsTo 1))
    assert result.extensions == {"cost": {"requested": 1 + 10 * (1 + 1 + 50 * 2), "limit": LIMITS.max_cost}}


async def test_a_query_costlier_than_the_limit_is_refused_before_it_runs() -> None:
    query = "{ accounts(first: 100) { nodes { stakeholders(first: 100) { nodes { influences { to { id } } } } } } }"
    result = await schema.execute(query)
    # influences is a plain list: it counts `cost_default_list_size` (10) of what it selects
    assert _limit_errors(result) == [("maxCost", LIMITS.max_cost, 1 + 100 * (1 + 1 + 100 * (1 + 1 + 10 * 1)))]


async def test_a_repeated_document_is_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """graphql-core builds every validation rule afresh for each document it validates: count the builds."""
    rule = UniqueOperationNamesRule
    built: list[object] = []
    build = rule.__init__

    def counted(rule: Any, *args: Any, **kwargs: Any) -> None:
        built.append(rule)
        build(rule, *args, **kwargs)

    monkeypatch.setattr(rule, "__init__", counted)
    document = "query RepeatedForTheCache { __typename }"
    for _ in range(4):
        assert (await schema.execute(document)).errors is None
    assert len(built) == 1
