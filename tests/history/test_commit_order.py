"""Changes logged at one instant by several transactions are undone in the order those committed (the change
feed's numbers), not in the order of their transaction ids, which are random."""

from __future__ import annotations

from service.graph.as_of import in_commit_order
from service.graph.database import Database
from tests.conftest import QueryCounterView

COMMITS = """
UNWIND $commits AS commit
CREATE (:ChangeCommit {workspaceId: $ws, number: commit[1], txId: commit[0], changes: 1})
"""

AT = 1_700_000_000_000_000_000
"""An instant, in nanoseconds since the epoch."""


def row(tx_id: str, at: int, old: str) -> list[object]:
    return ["Stakeholder", "p1", "UPDATED", ["stance"], [old], tx_id, at]


async def test_transactions_of_one_instant_come_in_commit_order(
    db: Database, workspace: str, query_count: QueryCounterView
) -> None:
    await db.driver.execute_query(COMMITS, ws=workspace, commits=[["b", 7], ["a", 9], ["c", 8]])
    log = [row("a", AT, '"ENEMY"'), row("b", AT, '"NEUTRAL"'), row("c", AT, '"MENTOR"'), row("z", AT, '"SPONSOR"')]
    earlier = [row("y", AT - 1, '"UNKNOWN"')]

    async def ordered() -> list[list[tuple[object, ...]]]:
        return await db.read(lambda tx: in_commit_order(tx, workspace, [earlier + log, log[:1]]))

    query_count.reset()
    whole, alone = await ordered()
    assert query_count.value == 1  # the numbers of the tied transactions, for both logs at once
    assert [change[4] for change in whole] == [['"UNKNOWN"'], ['"NEUTRAL"'], ['"MENTOR"'], ['"ENEMY"'], ['"SPONSOR"']]
    assert alone == [("Stakeholder", "p1", "UPDATED", ["stance"], ['"ENEMY"'])]


async def test_a_log_without_shared_instants_keeps_its_order_and_asks_nothing(
    db: Database, workspace: str, query_count: QueryCounterView
) -> None:
    log = [row("b", AT, '"A"'), row("b", AT, '"B"'), row("a", AT + 1, '"C"')]
    (ordered,) = await db.read(lambda tx: in_commit_order(tx, workspace, [log]))
    assert query_count.value == 0
    assert [change[4] for change in ordered] == [['"A"'], ['"B"'], ['"C"']]
