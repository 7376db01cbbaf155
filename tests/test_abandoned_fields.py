"""Fields GraphQL abandons: a non-null field's error nulls its parent, and graphql-core cancels the
parent's other fields, some before they ever ran. What our resolvers handed it for those must not be
coroutines, which Python reports as "coroutine ... was never awaited" when dropped (graphql-core's and
Strawberry's own coroutines, dropped the same way where a resolver is `async`, are theirs: the query
selects none of those under the people)."""

from __future__ import annotations

import asyncio
import gc
import warnings

from service.graph.database import Database
from service.schema.ids import encode_id
from tests.conftest import GraphQLClient
from tests.test_account_import import canon, run_import

OUR_LOADERS = ("_manager", "_direct_reports", "_circles", "_influences_from", "_influences_to", "_ties", "_coverage")
"""What the stakeholder's relationship fields load when their values were not read with the person. Only
these are asserted on: graphql-core and Strawberry drop coroutines of their own on the same path, as
scheduling falls."""

ACCOUNT = "MATCH (a:Account {workspaceId: $ws}) RETURN a.id AS id ORDER BY a.id LIMIT 1"

# `simulate` fails (no such stakeholder) and nulls the account, while `overdueContacts` is completing
# people the analytics name: their relationships were not read with them, so they load when awaited,
# and graphql-core cancels some of those before they start.
QUERY = """
query ($id: ID!, $changes: [StanceChangeInput!]!) {
  account(id: $id) {
    simulate(changes: $changes) { neutralsAfter }
    overdueContacts {
      stakeholder {
        reportsTo { id }
        directReports { id }
        circles { core }
        influences { id }
        influencedBy { id }
        ties { id }
        coveredBy { relationshipStep }
      }
    }
  }
}
"""


async def settled() -> None:
    """Let the cancelled tasks finish, and free what they held."""
    for _ in range(5):
        await asyncio.sleep(0)
    gc.collect()


async def test_fields_abandoned_by_a_nulled_parent_leave_no_coroutine_unawaited(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await run_import(client, canon())
    rows, _, _ = await db.driver.execute_query(ACCOUNT, ws=workspace)
    variables = {
        "id": encode_id("Account", rows[0]["id"]),
        "changes": [{"stakeholder": encode_id("Stakeholder", "nobody"), "stance": "SUPPORTER"}],
    }
    await settled()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        body = await client.execute(QUERY, variables)
        await settled()

    assert body["data"] == {"account": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["account", "simulate"], "INVALID_ARGUMENT")
    ]
    dropped = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert [message for message in dropped if any(f"'{name}'" in message for name in OUR_LOADERS)] == []
