"""No query reads a whole label: each finds its nodes through an index.

A label scan reads every node of the label in the database, every workspace's, so its cost grows with the
database instead of with the answer. It comes quietly: Neo4j uses a composite range index only when each of
its properties has a predicate (an existence check will do), so a pattern such as
`(k:Checkpoint {workspaceId: $ws, accountId: $id})` against the index on (workspaceId, accountId, at) reads
every checkpoint in the database, and did so on every write. Each query in `service.graph` is planned here
(EXPLAIN, nothing runs) against the migrated database, with nodes of every label it names stored first so
that the planner's statistics favour an index wherever one is usable.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

from neo4j import AsyncSession
from neo4j.exceptions import CypherSyntaxError

import service.graph
from service.graph.database import Database
from tests.test_cypher_isolation import CYPHER, NODE_LOOKUP, cypher_constants

SCANS = {
    "AllNodesScan",
    "NodeByLabelScan",
    "UnionNodeByLabelsScan",
    "IntersectionNodeByLabelsScan",
    "DirectedAllRelationshipsScan",
    "UndirectedAllRelationshipsScan",
    "DirectedRelationshipTypeScan",
    "UndirectedRelationshipTypeScan",
    "DirectedUnionRelationshipTypesScan",
    "UndirectedUnionRelationshipTypesScan",
}
"""Plan operators that read every node of a label or every relationship of a type (or every one at all)."""

WHOLE_LABEL = {
    "service.graph.writes.import_jobs.ABANDONED_CANDIDATES": "start-up recovery looks at every workspace's jobs; "
    "a job is deleted when it ends",
}
"""Queries that may read a whole label, and why."""

IN_INDEX_ORDER = {
    "service.graph.identity.KEY_PAGE",
    "service.graph.history.ACCOUNT_CHANGES",
    "service.graph.audit.AUDIT_PAGE",
    "service.graph.checkpoints.CHECKPOINT_PROGRESS",
    "service.graph.checkpoints.SAVE_CHECKPOINT",
}
"""Newest-first pages of what keeps growing (a history that grows with every write, a workspace's keys): each
reads its index in order and stops at the page's end (an ORDER BY that starts with the index's equality keys lets Neo4j see that the index
gives that order), not sorting the whole history for one page."""

FULL_SORTS = {"Sort", "Top", "Top1"}
"""Plan operators that read all their input before the first row comes out."""

SEEDED_PER_LABEL = 300

ONE_PER_WORKSPACE = {"ChangeSequence", "Workspace"}
"""Labels unique by workspace."""

NOT_SEEDED = {"ImportJob", "DataMigration"}
"""Labels read across workspaces at every start-up, which other tests running beside this one meet: recovery reads
every import job, and the migrations read which data migrations the database has run."""

RELATIONSHIP_TYPE = re.compile(r"\[\w*:(\w[\w|]*)")

SEED = """
UNWIND range(1, $count) AS n
CALL (n) {
  CREATE (x {workspaceId: $ws + '-' + (n % $workspaces), id: $label + n, accountId: 'a' + (n % 30), name: 'n' + n, at: datetime(),
             createdAt: datetime(), seq: n, jobId: 'j' + (n % 30), txId: 't' + (n % 30), entityId: 'e' + n,
             source: 's', externalId: 'x' + n, key: 'k' + n, number: n})
  SET x:$($label)
}
"""
"""Nodes of `$label` with every property the indexes name. The data migrations never meet them: each runs once per
database, before the tests (`tests/conftest.py`); the one that `tests/test_migrations.py` runs again converts only
changes in the format of earlier versions (with a `field`), which these are not."""

SEED_RELATIONSHIPS = """
UNWIND range(1, $count) AS n
CALL (n) {
  CREATE ({workspaceId: $ws + '-' + (n % 30)})-[r:$($type) {workspaceId: $ws + '-' + (n % 30)}]->
         ({workspaceId: $ws + '-' + (n % 30)})
}
"""

UNSEED = """
MATCH (x) WHERE x.workspaceId STARTS WITH $ws
DETACH DELETE x
"""


def query_tables() -> Iterator[tuple[str, str]]:
    """The queries kept in tables (one per label or relationship type, made from an allow-list)."""
    for module_info in pkgutil.walk_packages(service.graph.__path__, "service.graph."):
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, dict):
                for key, query in value.items():
                    if isinstance(query, str) and CYPHER.search(query):
                        yield f"{module_info.name}.{name}[{key}]", query


def planned_queries() -> Iterator[tuple[str, str]]:
    """Every whole query among the constants and tables (a fragment meant to be spliced into others does not
    plan on its own), without its `CYPHER` options line."""
    for name, query in [*cypher_constants(), *query_tables()]:
        if name.startswith("service.graph.migrations."):
            continue  # run once, at start-up, over every workspace
        body = query.lstrip()
        if body.startswith("CYPHER "):
            body = body.split("\n", 1)[1]
        yield name, body


def names_in_queries(pattern: re.Pattern[str], group: int) -> set[str]:
    """Every name that `pattern`'s `group` finds in the queries (`A|B` counts as both)."""
    return {
        name
        for _, query in cypher_constants()
        for match in pattern.finditer(query)
        for name in match.group(group).split("|")
    }


def labels_named() -> set[str]:
    return names_in_queries(NODE_LOOKUP, 2)


def relationship_types_named() -> set[str]:
    return names_in_queries(RELATIONSHIP_TYPE, 1)


def operators(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield plan["operatorType"].split("@")[0], str(plan.get("args", {}).get("Details", ""))
    for child in plan.get("children", []):
        yield from operators(child)


async def test_no_query_reads_a_whole_label_and_pages_by_time_stop_at_their_end(db: Database, workspace: str) -> None:
    async with db.driver.session(database=db.database) as session:
        try:
            plans = await _plans(session, workspace)
        finally:
            await (await session.run(UNSEED, ws=workspace)).consume()
    scans = {name: [f"{op} {details}" for op, details in plan if op in SCANS] for name, plan in plans.items()}
    assert len(plans) > 100
    assert {name: found for name, found in scans.items() if found and name not in WHOLE_LABEL} == {}
    assert {name for name, found in scans.items() if found} == set(WHOLE_LABEL)
    sorts = {name: [op for op, _ in plans[name] if op in FULL_SORTS] for name in IN_INDEX_ORDER}
    assert sorts == {name: [] for name in IN_INDEX_ORDER}


async def _plans(session: AsyncSession, workspace: str) -> dict[str, list[tuple[str, str]]]:
    """The operators of the plan of every query that plans on its own."""
    for label in sorted(labels_named() - NOT_SEEDED):
        workspaces = SEEDED_PER_LABEL if label in ONE_PER_WORKSPACE else 30
        await (
            await session.run(SEED, ws=workspace, label=label, count=SEEDED_PER_LABEL, workspaces=workspaces)
        ).consume()
    for kind in sorted(relationship_types_named()):
        await (await session.run(SEED_RELATIONSHIPS, ws=workspace, type=kind, count=SEEDED_PER_LABEL)).consume()
    plans: dict[str, list[tuple[str, str]]] = {}
    for name, query in planned_queries():
        try:
            summary = await (await session.run("EXPLAIN " + query)).consume()
        except CypherSyntaxError:
            continue  # a fragment: its variables come from the query it is spliced into
        assert summary.plan is not None
        plans[name] = list(operators(summary.plan))
    return plans
