"""Every Cypher query looks things up inside one workspace.

Each node pattern that finds nodes by their properties carries `workspaceId`, and each relationship
pattern that finds relationships by id is checked against `$ws`. What a query reaches from there by
traversal stays in the workspace too, because no relationship joins two workspaces: every write creates
relationships only between nodes it found in its own workspace, and the isolation test checks the whole
graph for one that does not.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import service.graph

NODE_LOOKUP = re.compile(r"\((\w*):(\w[\w|]*)\s*\{([^}]*)\}\)")
RELATIONSHIP_BY_ID = re.compile(r"\[(\w*):\w+\s*\{([^}]*\bid:[^}]*)\}\]")
CYPHER = re.compile(r"\b(MATCH|MERGE|CREATE)\b")

ACROSS_WORKSPACES = {
    "service.graph.identity.KEY_BY_HASH": "a key is what tells which workspace a request works in",
    "service.graph.migrations.GRAPH_CLOCKS": "a migration: the one clock of earlier versions, in no workspace",
    "service.graph.migrations.ACCOUNT_CLOCKS": "a migration: every workspace's accounts, each kept in it",
    "service.graph.migrations.CHANGE_VALUE_LISTS": "a migration: every workspace's changes, each kept in it",
    "service.graph.migrations.APPLIED_DATA_MIGRATIONS": "the database's record of data migrations run",
    "service.graph.migrations.RECORD_DATA_MIGRATION": "the database's record of data migrations run",
    "service.graph.migrations.DUPLICATE_TEAM_MEMBERS": "a migration: every workspace's duplicates, each kept in it",
    "service.graph.writes.import_jobs.ABANDONED_CANDIDATES": "start-up recovery looks at every workspace's jobs",
}
"""Queries that may look beyond one workspace, and why."""


def cypher_constants() -> Iterator[tuple[str, str]]:
    for module_info in pkgutil.walk_packages(service.graph.__path__, "service.graph."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and CYPHER.search(value):
                yield f"{module_info.name}.{name}", value


def test_there_are_queries_to_check() -> None:
    assert len(dict(cypher_constants())) > 80


def test_every_lookup_by_property_names_the_workspace() -> None:
    unscoped = [
        f"{name}: {match.group(0)}"
        for name, query in cypher_constants()
        if name not in ACROSS_WORKSPACES
        for match in NODE_LOOKUP.finditer(query)
        if "workspaceId" not in match.group(3)
    ]
    assert unscoped == []


def test_every_relationship_found_by_id_is_checked_against_the_workspace() -> None:
    unchecked = [
        f"{name}: {match.group(0)}"
        for name, query in cypher_constants()
        for match in RELATIONSHIP_BY_ID.finditer(query)
        if "workspaceId" not in match.group(2) and f"{match.group(1)}.workspaceId = $ws" not in query
    ]
    assert unchecked == []


def test_every_query_works_in_a_workspace() -> None:
    assert [name for name, query in cypher_constants() if "$ws" not in query] == list(ACROSS_WORKSPACES)
