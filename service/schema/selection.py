"""What the client selected under the current field, so resolvers load only what will be read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from service.graph.neighbourhood import Around


def selected_paths(info: strawberry.Info[Any, Any]) -> frozenset[str]:
    """Dotted paths of every field selected below the current one, fragments flattened
    (e.g. {"path", "path.name", "stakeholder"})."""
    return paths_below(info.selected_fields)


def paths_below(fields: Iterable[Selection]) -> frozenset[str]:
    """Dotted paths of every field selected below `fields`, fragments flattened."""
    paths: set[str] = set()

    def walk(selections: Iterable[Any], prefix: str) -> None:
        for selection in selections:
            if isinstance(selection, SelectedField):
                path = prefix + selection.name
                paths.add(path)
                walk(selection.selections, path + ".")
            else:
                walk(selection.selections, prefix)

    for field in fields:
        walk(field.selections, "")
    return frozenset(paths)


def subfields(field: SelectedField, name: str) -> list[SelectedField]:
    """The fields called `name` selected directly below `field`, fragments flattened."""
    found: list[SelectedField] = []

    def walk(selections: Iterable[Any]) -> None:
        for selection in selections:
            if isinstance(selection, SelectedField):
                if selection.name == name:
                    found.append(selection)
            else:
                walk(selection.selections)

    walk(field.selections)
    return found


PEOPLE_AT = ("influences.to", "influencedBy.from", "ties.a", "ties.b", "reportsTo", "directReports")
"""Where a stakeholder's relationships lead to other people (the other ends name the stakeholder itself)."""
ID_ONLY = frozenset({"id", "__typename"})


def around_of(paths: frozenset[str], prefixes: tuple[str, ...]) -> Around:
    """What to read around the stakeholders selected at `prefixes` of `paths` (e.g. "nodes." and
    "edges.node." under a connection, "" under the stakeholder itself). The people the relationships lead
    to are read whole only when something besides their id is selected of them."""

    def selected(path: str) -> bool:
        return any(prefix + path in paths for prefix in prefixes)

    def beyond_id(path: str) -> bool:
        for start in (prefix + path + "." for prefix in prefixes):
            if any(p.startswith(start) and p[len(start) :].partition(".")[0] not in ID_ONLY for p in paths):
                return True
        return False

    return Around(
        influences=selected("influences"),
        influenced_by=selected("influencedBy"),
        ties=selected("ties"),
        memberships=selected("circles"),
        coverage=selected("coveredBy"),
        last_contact=selected("coveredBy.lastContactAt"),
        reports_to=selected("reportsTo"),
        direct_reports=selected("directReports"),
        people=any(beyond_id(path) for path in PEOPLE_AT),
    )
