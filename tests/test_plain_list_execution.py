"""The plain-list fast path gives exactly graphql-core's result: data, errors and their paths.

A small schema runs each query twice, with `PlainListExecutionContext` and with Strawberry's own
context, over lists of items whose values hypothesis draws, well-formed or not (nulls for non-null
fields, out-of-range ints, NaN, wrong types, resolvers that raise).
"""

from __future__ import annotations

import asyncio
import math
from enum import Enum
from typing import Any

import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from service.schema import schema as powermap_schema
from service.schema.execution import PlainListExecutionContext


@strawberry.enum
class Mood(Enum):
    HAPPY = "happy"
    GRUMPY = "grumpy"


LOUD_CALLS: list[str] = []


@strawberry.type
class Tag:
    label: str
    weight: float | None

    @strawberry.field
    def loud(self) -> str:
        LOUD_CALLS.append(self.label)
        return str(self.label).upper()


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    count: int
    ratio: float | None
    flag: bool
    mood: Mood
    moods: list[Mood]
    tags: list[Tag]
    best: Tag | None
    raw: strawberry.Private[Any]

    @strawberry.field
    def shout(self) -> str:
        if self.raw == "boom":
            raise ValueError("no shouting here")
        return self.name.upper()

    @strawberry.field
    def scaled(self, by: int = 2) -> int:
        return self.count * by

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name


@strawberry.type
class Query:
    items_value: strawberry.Private[list[Item]]

    @strawberry.field
    def items(self) -> list[Item]:
        return self.items_value

    @strawberry.field
    def maybe_items(self) -> list[Item | None] | None:
        return self.items_value  # type: ignore[return-value]


fast = strawberry.Schema(query=Query, execution_context_class=PlainListExecutionContext)
usual = strawberry.Schema(query=Query, execution_context_class=StrawberryGraphQLCoreExecutionContext)

QUERIES = [
    "{ items { id name count ratio flag mood moods } }",
    "{ items { __typename n: name count tags { label weight } best { label } } }",
    "{ items { best { label weight } tags { label } } }",
    "{ items { best { label loud } tags { weight } } }",
    "{ items { shout name } }",
    "{ items { name scaled(by: 3) } }",
    "{ items { name later } }",
    "{ maybeItems { name count } }",
    "query($x: Boolean!) { items { name @include(if: $x) ...F } } fragment F on Item { count mood best { weight } }",
]

texts = st.one_of(st.text(max_size=5), st.none(), st.integers(), st.booleans(), st.just("boom"))
ints = st.one_of(
    st.integers(min_value=-(2**31), max_value=2**31 - 1), st.integers(), st.none(), st.booleans(), st.text(max_size=2)
)
floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.none(), st.text(max_size=2))
moods = st.one_of(st.sampled_from(Mood), st.none(), st.just("HAPPY"), st.just("sad"))
tags = st.builds(Tag, label=texts, weight=floats)


@st.composite
def items(draw: st.DrawFn) -> Item:
    name = draw(texts)
    return Item(
        id=draw(st.one_of(st.text(max_size=3), st.integers(), st.none())),
        name=name,
        count=draw(ints),
        ratio=draw(floats),
        flag=draw(st.one_of(st.booleans(), st.none(), st.integers())),
        mood=draw(moods),
        moods=draw(st.one_of(st.lists(moods, max_size=3), st.none(), st.just("HAPPY"))),
        tags=draw(st.one_of(st.lists(tags, max_size=3), st.none())),
        best=draw(st.one_of(tags, st.none(), st.just("not a tag"))),
        raw=name,
    )


@st.composite
def rows_naming_shared_tags(draw: st.DrawFn) -> list[Item]:
    """Rows whose `best` and `tags` are often the very same objects as other rows' (well-formed or not)."""
    rows = draw(st.lists(items(), min_size=0, max_size=6))
    pool = draw(st.lists(tags, min_size=1, max_size=3))
    for row in rows:
        if draw(st.booleans()):
            row.best = draw(st.sampled_from(pool))
        if draw(st.booleans()):
            row.tags = draw(st.lists(st.sampled_from(pool), max_size=4))
    return rows


def run(schema: strawberry.Schema, query: str, rows: list[Item]) -> tuple[Any, list[tuple[str, Any]]]:
    result = asyncio.run(schema.execute(query, {"x": True}, root_value=Query(items_value=rows)))
    errors = sorted((e.message, e.path) for e in result.errors or [])
    return result.data, errors


def same(a: Any, b: Any) -> bool:
    """Equal, where NaN equals NaN (a NaN never reaches the output, but compare robustly)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(items(), min_size=0, max_size=6) | rows_naming_shared_tags(), query=st.sampled_from(QUERIES))
def test_fast_path_matches_graphql_core(rows: list[Item], query: str) -> None:
    fast_data, fast_errors = run(fast, query, rows)
    usual_data, usual_errors = run(usual, query, rows)
    assert same(fast_data, usual_data)
    assert fast_errors == usual_errors


def test_well_formed_rows_take_the_fast_path_and_match(monkeypatch: Any) -> None:
    executed: list[str] = []
    original = PlainListExecutionContext.execute_field

    def counting(self: Any, parent_type: Any, *args: Any) -> Any:
        executed.append(parent_type.name)
        return original(self, parent_type, *args)

    monkeypatch.setattr(PlainListExecutionContext, "execute_field", counting)
    rows = [
        Item(
            id=strawberry.ID(f"i{n}"),
            name=f"n{n}",
            count=n,
            ratio=n / 3,
            flag=n % 2 == 0,
            mood=Mood.HAPPY,
            moods=[Mood.GRUMPY, Mood.HAPPY],
            tags=[Tag(label="t", weight=None)],
            best=None,
            raw=None,
        )
        for n in range(5)
    ]
    query = "{ items { __typename id name count ratio flag mood moods tags { label weight } best { label } shout } }"
    assert run(fast, query, rows) == run(usual, query, rows)
    assert executed == ["Query"]  # only the root field: every item was completed on the fast path
    assert run(fast, query, rows)[0]["items"][1] == {
        "__typename": "Item",
        "id": "i1",
        "name": "n1",
        "count": 1,
        "ratio": 1 / 3,
        "flag": False,
        "mood": "HAPPY",
        "moods": ["GRUMPY", "HAPPY"],
        "tags": [{"label": "t", "weight": None}],
        "best": None,
        "shout": "N1",
    }


def shared_tag_rows() -> list[Item]:
    tag = Tag(label="t", weight=0.5)
    return [
        Item(
            id=strawberry.ID(f"i{n}"),
            name="n",
            count=n,
            ratio=None,
            flag=True,
            mood=Mood.HAPPY,
            moods=[],
            tags=[tag, tag],
            best=tag,
            raw=None,
        )
        for n in range(3)
    ]


def test_an_object_named_again_is_completed_once_when_only_attributes_are_selected() -> None:
    rows = shared_tag_rows()
    data, errors = run(fast, "{ items { best { label weight } tags { label } } }", rows)
    assert errors == []
    completed = data["items"]
    assert completed[0]["best"] == {"label": "t", "weight": 0.5}
    assert completed[1]["best"] is completed[0]["best"]
    assert completed[2]["tags"][1] is completed[0]["tags"][0]
    assert data == run(usual, "{ items { best { label weight } tags { label } } }", rows)[0]


def test_an_object_with_a_selected_resolver_is_completed_each_time_it_is_named() -> None:
    LOUD_CALLS.clear()
    data, errors = run(fast, "{ items { best { label loud } } }", shared_tag_rows())
    assert errors == []
    assert LOUD_CALLS == ["t", "t", "t"]
    completed = data["items"]
    assert completed[1]["best"] == completed[0]["best"] == {"label": "t", "loud": "T"}
    assert completed[1]["best"] is not completed[0]["best"]


def test_the_service_schema_uses_the_fast_path() -> None:
    assert powermap_schema.execution_context_class is PlainListExecutionContext
