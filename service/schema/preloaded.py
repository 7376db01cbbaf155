"""Relationship fields whose values were read with their object.

A resolver that reads a list of people for a selection that also asks for their links, circles or
coverage loads those with the people (`service.graph.neighbourhood`) and hands each object its values
here. The field then answers synchronously from its object; `NOT_LOADED` means it was not read with the
object, and the field loads it through the request's DataLoaders as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Final

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
