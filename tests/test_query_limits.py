"""Query depth and alias limits, and the validation cache they must not defeat."""

from __future__ import annotations

from strawberry.extensions.validation_cache import DEFAULT_MAXSIZE, _get_validate_cache

from service.schema import MAX_ALIASES, MAX_QUERY_DEPTH, schema


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


async def test_a_repeated_document_is_validated_once() -> None:
    cache = _get_validate_cache(DEFAULT_MAXSIZE)
    document = "query RepeatedForTheCache { __typename }"
    await schema.execute(document)
    before = cache.cache_info()
    for _ in range(3):
        assert (await schema.execute(document)).errors is None
    after = cache.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (3, 0)
