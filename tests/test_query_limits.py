"""Query depth and alias limits, and the validation cache they must not defeat."""

from __future__ import annotations

from typing import Any

import pytest

from service.schema import LIMIT_RULES, MAX_ALIASES, MAX_QUERY_DEPTH, schema


def _nested(depth: int) -> str:
    """`{ node(id: "x") { ... on Stakeholder { reportsTo { reportsTo ... { id } } } } }` of `depth` levels."""
    inner = "id"
    for _ in range(depth - 2):
        inner = f"reportsTo {{ {inner} }}"
    return f'{{ node(id: "x") {{ ... on Stakeholder {{ {inner} }} }} }}'


async def test_a_query_deeper_than_the_limit_is_refused_every_time() -> None:
    for _ in range(2):  # the second answer comes from the validation cache
        result = await schema.execute(_nested(MAX_QUERY_DEPTH + 2))
        assert [e.message for e in result.errors or []] == ["'anonymous' exceeds maximum operation depth of 12"]


async def test_more_aliases_than_the_limit_are_refused() -> None:
    aliases = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1))
    result = await schema.execute(f"{{ {aliases} }}")
    assert [e.message for e in result.errors or []] == ["31 aliases found. Allowed: 30"]


async def test_a_repeated_document_is_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """graphql-core builds every validation rule afresh for each document it validates: count the builds."""
    depth_rule = LIMIT_RULES[0]
    built: list[object] = []
    build = depth_rule.__init__

    def counted(rule: Any, *args: Any, **kwargs: Any) -> None:
        built.append(rule)
        build(rule, *args, **kwargs)

    monkeypatch.setattr(depth_rule, "__init__", counted)
    document = "query RepeatedForTheCache { __typename }"
    for _ in range(4):
        assert (await schema.execute(document)).errors is None
    assert len(built) == 1
