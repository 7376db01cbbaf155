"""What the client selected under the current field, so resolvers load only what will be read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types.nodes import SelectedField


def selected_paths(info: strawberry.Info[Any, Any]) -> frozenset[str]:
    """Dotted paths of every field selected below the current one, fragments flattened
    (e.g. {"path", "path.name", "stakeholder"})."""
    paths: set[str] = set()

    def walk(selections: Iterable[Any], prefix: str) -> None:
        for selection in selections:
            if isinstance(selection, SelectedField):
                path = prefix + selection.name
                paths.add(path)
                walk(selection.selections, path + ".")
            else:
                walk(selection.selections, prefix)

    for field in info.selected_fields:
        walk(field.selections, "")
    return frozenset(paths)
