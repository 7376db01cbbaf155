"""Relationship fields whose values were read with their object.

A resolver that reads a list of people for a selection that also asks for their links, circles or
coverage loads those with the people (`service.graph.neighbourhood`) and hands each object its values.
The field then answers synchronously from its object.

A stakeholder's relationship fields are resolvers that answer from `Preloaded`, or, where it says
`NOT_LOADED`, with a `Later` that loads through the request's DataLoaders. The far ends of a link,
membership or coverage are plain attributes, the cheapest field GraphQL completes (there are hundreds on
a page): the object itself, or a `Later` that loads it through the DataLoaders if (and only if) the query
asks for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

if TYPE_CHECKING:
    from service.schema.types.circle import CircleMembership
    from service.schema.types.links import InfluenceLink, Tie
    from service.schema.types.stakeholder import Stakeholder
    from service.schema.types.team import Coverage


class NotLoaded(Enum):
    NOT_LOADED = "not loaded"


NOT_LOADED: Final = NotLoaded.NOT_LOADED


@dataclass(frozen=True, slots=True)
class Preloaded:
    """A stakeholder's relationship fields as read with it."""

    influences: list[InfluenceLink] | NotLoaded = NOT_LOADED
    influenced_by: list[InfluenceLink] | NotLoaded = NOT_LOADED
    ties: list[Tie] | NotLoaded = NOT_LOADED
    circles: list[CircleMembership] | NotLoaded = NOT_LOADED
    covered_by: list[Coverage] | NotLoaded = NOT_LOADED
    reports_to: Stakeholder | None | NotLoaded = NOT_LOADED
    direct_reports: list[Stakeholder] | NotLoaded = NOT_LOADED


NOTHING_PRELOADED: Final = Preloaded()


T = TypeVar("T")


class Later(Generic[T]):
    """A field value that is loaded only if the query asks for it: GraphQL awaits it then.

    Unlike a coroutine, it starts nothing until awaited, so GraphQL may drop it unawaited without a
    "coroutine was never awaited" warning: graphql-core does so when a sibling's non-null error nulls
    the parent and it cancels the parent's field tasks before they ran."""

    __slots__ = ("_load",)

    def __init__(self, load: Callable[[], Awaitable[T]]) -> None:
        self._load = load

    def __await__(self) -> Generator[Any, None, T]:
        return self._load().__await__()
