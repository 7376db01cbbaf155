"""Data migrations run once per database: a start skips those the database has recorded, so it neither pays
for a scan of all stored history again nor touches the data of workspaces in use."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from neo4j import AsyncDriver

from service.graph.database import Database
from service.graph.migrations import (
    CHANGE_VALUE_LISTS,
    DATA_MIGRATIONS,
    DataMigration,
    apply_data_migrations,
    apply_migrations,
    in_batches,
)

RUNS = "MATCH (r:MigrationRun {workspaceId: $ws}) RETURN r.name AS name ORDER BY r.seq"
FORGET = "MATCH (m:DataMigration) WHERE m.name STARTS WITH $prefix DELETE m"
OLD_CHANGES = """
CREATE (s:Stakeholder {workspaceId: $ws, id: 'p1', accountId: 'a1'})
WITH s
UNWIND range(1, 5) AS n
CREATE (:Change {workspaceId: $ws, id: 'old' + n, seq: n, field: 'stance', old: '"NEUTRAL"', new: '"MENTOR"'})
         -[:ABOUT {workspaceId: $ws}]->(s)
"""
CHANGES = """
MATCH (c:Change {workspaceId: $ws})
RETURN c.field AS field, c.fields AS fields, c.old AS old, c.new AS new, c.op AS op, c.accountId AS accountId
ORDER BY c.seq
"""
DELETE_CHANGES = "MATCH (n {workspaceId: $ws}) WHERE n:Change OR n:Stakeholder DETACH DELETE n"


class Failing(Exception):
    pass


def noted(ws: str, name: str, *, fails: bool = False) -> DataMigration:
    """A migration that leaves a node in `ws` each time it runs (or fails before it does)."""

    async def run(driver: AsyncDriver, database: str) -> None:
        if fails:
            raise Failing(name)
        await driver.execute_query(
            "MATCH (r:MigrationRun {workspaceId: $ws}) WITH count(r) AS seq "
            "CREATE (:MigrationRun {workspaceId: $ws, name: $name, seq: seq})",
            ws=ws,
            name=name,
            database_=database,
        )

    return DataMigration(f"{ws}-{name}", run)


@pytest_asyncio.fixture
async def names(db: Database, workspace: str) -> AsyncIterator[str]:
    """The prefix of this test's migration names, whose records are deleted afterwards (they belong to no
    workspace)."""
    yield workspace
    await db.driver.execute_query(FORGET, prefix=workspace, database_=db.database)


async def runs(db: Database, ws: str) -> list[str]:
    found = await db.driver.execute_query(RUNS, ws=ws, database_=db.database)
    return [record["name"] for record in found.records]


async def test_a_data_migration_runs_once(db: Database, names: str) -> None:
    migrations = [noted(names, "a"), noted(names, "b")]

    assert await apply_data_migrations(db.driver, db.database, migrations) == [f"{names}-a", f"{names}-b"]
    assert await apply_data_migrations(db.driver, db.database, migrations) == []
    assert await runs(db, names) == ["a", "b"]


async def test_a_migration_added_later_runs_alone(db: Database, names: str) -> None:
    await apply_data_migrations(db.driver, db.database, [noted(names, "a")])

    assert await apply_data_migrations(db.driver, db.database, [noted(names, "a"), noted(names, "b")]) == [f"{names}-b"]
    assert await runs(db, names) == ["a", "b"]


async def test_a_failed_migration_stops_the_start_and_runs_again_at_the_next(db: Database, names: str) -> None:
    with pytest.raises(Failing):
        await apply_data_migrations(
            db.driver, db.database, [noted(names, "a"), noted(names, "b", fails=True), noted(names, "c")]
        )
    assert await runs(db, names) == ["a"]

    ran = await apply_data_migrations(db.driver, db.database, [noted(names, "a"), noted(names, "b"), noted(names, "c")])

    assert ran == [f"{names}-b", f"{names}-c"]
    assert await runs(db, names) == ["a", "b", "c"]


async def test_a_start_leaves_stored_data_alone_once_its_migrations_ran_and_old_changes_convert_in_batches(
    db: Database, workspace: str
) -> None:
    """Changes stored the way earlier versions did. The session's start has already run the migration that
    upgrades them, so a later start does not look at them (it used to scan every change at every start). Run
    again, in batches of two, the migration converts all five. In one test: the migration reads every
    workspace's old changes, and no other test stores any."""
    await db.driver.execute_query(OLD_CHANGES, ws=workspace, database_=db.database)
    try:
        await apply_migrations(db.driver, db.database)
        after_start = await db.driver.execute_query(CHANGES, ws=workspace, database_=db.database)
        await in_batches(CHANGE_VALUE_LISTS, rows=2)(db.driver, db.database)
        converted = await db.driver.execute_query(CHANGES, ws=workspace, database_=db.database)
    finally:
        await db.driver.execute_query(DELETE_CHANGES, ws=workspace, database_=db.database)

    old = {"field": "stance", "fields": None, "old": '"NEUTRAL"', "new": '"MENTOR"', "op": None, "accountId": None}
    new = {
        "field": None,
        "fields": ["stance"],
        "old": ['"NEUTRAL"'],
        "new": ['"MENTOR"'],
        "op": "UPDATED",
        "accountId": "a1",
    }
    assert [dict(record) for record in after_start.records] == [old] * 5
    assert [dict(record) for record in converted.records] == [new] * 5


async def test_every_data_migration_of_this_version_is_recorded_after_a_start(db: Database) -> None:
    assert await apply_data_migrations(db.driver, db.database, DATA_MIGRATIONS) == []


def test_data_migration_names_are_unique() -> None:
    names = [migration.name for migration in DATA_MIGRATIONS]
    assert len(set(names)) == len(names)
