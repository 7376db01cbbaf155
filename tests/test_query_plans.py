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
    "service.graph.identity.KEY_PAGE": "keys of old versions have no createdAt, so the (workspaceId, createdAt) "
    "index misses them; a database holds few keys",
    "service.graph.identity.KEY_COUNT": "as KEY_PAGE",
    "service.graph.writes.import_jobs.ABANDONED_CANDIDATES": "start-up recovery looks at every workspace's jobs; "
    "a job is deleted when it ends",
}
"""Queries that may read a whole label, and why."""

SEEDED_PER_LABEL = 300

ONE_PER_WORKSPACE = {"ChangeSequence", "Workspace"}
"""Labels unique by workspace."""

NOT_SEEDED = {"ImportJob"}
"""Labels read across workspaces (start-up recovery reads every job): other tests would meet the seeded nodes."""

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


def labels_named() -> set[str]:
    return {
        label
        for _, query in cypher_constants()
        for match in NODE_LOOKUP.finditer(query)
        for label in match.group(2).split("|")
    }


def relationship_types_named() -> set[str]:
    return {
        kind
        for _, query in cypher_constants()
        for match in RELATIONSHIP_TYPE.finditer(query)
        for kind in match.group(1).split("|")
    }


def operators(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield plan["operatorType"].split("@")[0], str(plan.get("args", {}).get("Details", ""))
    for child in plan.get("children", []):
        yield from operators(child)


async def test_no_query_reads_a_whole_label(db: Database, workspace: str) -> None:
    async with db.driver.session(database=db.database) as session:
        try:
            scans, planned = await _plans(session, workspace)
        finally:
            await (await session.run(UNSEED, ws=workspace)).consume()
    assert planned > 100
    assert [scan for scan in scans if scan.split(":")[0] not in WHOLE_LABEL] == []
    assert {scan.split(":")[0] for scan in scans} == set(WHOLE_LABEL)


async def _plans(session: AsyncSession, workspace: str) -> tuple[list[str], int]:
    """The scans in the plans of every query, and how many queries were planned."""
    for label in sorted(labels_named() - NOT_SEEDED):
        workspaces = SEEDED_PER_LABEL if label in ONE_PER_WORKSPACE else 30
        await (
            await session.run(SEED, ws=workspace, label=label, count=SEEDED_PER_LABEL, workspaces=workspaces)
        ).consume()
    for kind in sorted(relationship_types_named()):
        await (await session.run(SEED_RELATIONSHIPS, ws=workspace, type=kind, count=SEEDED_PER_LABEL)).consume()
    scans: list[str] = []
    planned = 0
    for name, query in planned_queries():
        try:
            summary = await (await session.run("EXPLAIN " + query)).consume()
        except CypherSyntaxError:
            continue  # a fragment: its variables come from the query it is spliced into
        planned += 1
        assert summary.plan is not None
        scans += [f"{name}: {op} {details}" for op, details in operators(summary.plan) if op in SCANS]
    return scans, planned
