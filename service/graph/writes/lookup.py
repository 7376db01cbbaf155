"""Finding and locking the nodes an input names, in one round trip.

Every node found is write-locked (a dummy property set and removed) before it is read, so the checks a
mutation makes on what it read hold until its transaction ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from service.graph.driver import fetch
from service.rules.entity_changes.refs import Found, IdArg, Refs, wanted

Tx = AsyncManagedTransaction

LOCK_AND_READ: LiteralString = """
CALL () {
  UNWIND $ids.Account AS id
  MATCH (n:Account {workspaceId: $ws, id: id})
  SET n._lock = true REMOVE n._lock
  RETURN 'Account' AS label, n.id AS accountId, n
  UNION ALL
  UNWIND $ids.Stakeholder AS id
  MATCH (n:Stakeholder {workspaceId: $ws, id: id})
  SET n._lock = true REMOVE n._lock
  RETURN 'Stakeholder' AS label, n.accountId AS accountId, n
  UNION ALL
  UNWIND $ids.Circle AS id
  MATCH (n:Circle {workspaceId: $ws, id: id})
  SET n._lock = true REMOVE n._lock
  RETURN 'Circle' AS label, n.accountId AS accountId, n
  UNION ALL
  UNWIND $ids.TeamMember AS id
  MATCH (n:TeamMember {workspaceId: $ws, id: id})
  SET n._lock = true REMOVE n._lock
  RETURN 'TeamMember' AS label, null AS accountId, n
  UNION ALL
  UNWIND $ids.Interaction AS id
  MATCH (n:Interaction {workspaceId: $ws, id: id})
  SET n._lock = true REMOVE n._lock
  RETURN 'Interaction' AS label, n.accountId AS accountId, n
  UNION ALL
  UNWIND $ids.Opportunity AS id
  MATCH (n:Opportunity {workspaceId: $ws, id: id})
  SET n._lock = true REMOVE n._lock
  RETURN 'Opportunity' AS label, n.accountId AS accountId, n
  UNION ALL
  UNWIND $ids.Competitor AS id
  MATCH (n:Competitor {workspaceId: $ws, id: id})
  SET n._lock = true REMOVE n._lock
  RETURN 'Competitor' AS label, null AS accountId, n
  UNION ALL
  UNWIND $ids.CompetitorRep AS id
  MATCH (n:CompetitorRep {workspaceId: $ws, id: id})
  SET n._lock = true REMOVE n._lock
  RETURN 'CompetitorRep' AS label, null AS accountId, n
}
RETURN label, n.id AS id, accountId, n {.*} AS props
"""


async def lock_and_read(tx: Tx, ws: str, args: Sequence[IdArg | None]) -> Refs:
    """The stored nodes `args` name in workspace `ws`, locked for the rest of the transaction."""
    ids = wanted(args)
    if not any(ids.values()):
        return Refs()
    rows = await fetch(tx, LOCK_AND_READ, ws=ws, ids=ids)
    return Refs(
        {
            (row["label"], row["id"]): Found(row["label"], row["id"], row["accountId"], dict(row["props"]))
            for row in rows
        }
    )
