"""Concurrent sync jobs and retried transactions: one stakeholder per key, whatever the interleaving."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
from neo4j.exceptions import ConstraintError, IncompleteCommit, ServiceUnavailable, TransientError

from service.graph.database import Database, Scope
from service.graph.driver import create_driver
from service.graph.writes.contacts import SYNC_RETRY_SECONDS
from service.usecases import contacts as contact_sync
from service.usecases.contacts import commit_batch
from service.usecases.services import Services
from tests.conftest import GraphQLClient
from tests.sync.helpers import UPSERT, contact, create_account, people, rows, statuses, upsert

JOBS = 8
PER_JOB = 300
STRIDE = 100


def job_batch(job: int) -> list[dict[str, Any]]:
    """Keys job*100 .. job*100+299: every key is in up to three jobs; managers are one tenth down the line."""
    numbers = range(job * STRIDE, job * STRIDE + PER_JOB)
    batch = [
        contact(f"k{n:04d}", f"Person {n}", title=f"T{n % 7}", reportsTo=f"k{n // 10:04d}" if n else None)
        for n in numbers
    ]
    return batch[::-1] if job % 2 else batch  # half the jobs send their keys in reverse


async def test_eight_concurrent_overlapping_jobs_leave_one_stakeholder_per_key(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    batches = [job_batch(job) for job in range(JOBS)]
    keys = {c["externalId"] for batch in batches for c in batch}

    payloads = await asyncio.gather(*(upsert(client, batch) for batch in batches))

    assert all(p["failed"] == 0 and p["userErrors"] == [] for p in payloads)
    assert sum(p["created"] for p in payloads) == len(keys)  # each key created by exactly one job
    per_key = await rows(
        db,
        workspace,
        """
        MATCH (r:StakeholderRef {workspaceId: $ws, source: 'crm'})
        RETURN r.externalId AS key, COUNT { (r)-[:IDENTIFIES]->(:Stakeholder) } AS stakeholders
        """,
    )
    assert Counter(row["key"] for row in per_key) == Counter(keys)  # one ref per key
    assert {row["stakeholders"] for row in per_key} == {1}
    total = await rows(db, workspace, "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN count(s) AS n")
    assert total == [{"n": len(keys)}]
    managers = await rows(
        db, workspace, "MATCH (s:Stakeholder {workspaceId: $ws}) RETURN max(COUNT { (s)-[:REPORTS_TO]->() }) AS most"
    )
    assert managers == [{"most": 1}]

    replays = [await upsert(client, batch) for batch in batches]

    assert {status for replay in replays for status in statuses(replay)} == {"UNCHANGED"}
    stored = await people(db, workspace)
    assert {key: p["managers"] for key, p in stored.items()} == {
        key: [] if key == "k0000" else [f"Person {int(key[1:]) // 10}"] for key in keys
    }


class FlakyWrites:
    """`commit_batch`, except that the first `failures` calls raise `error` (after writing, if `after`)."""

    def __init__(self, error: Exception, failures: int, after: bool = False) -> None:
        self.error = error
        self.failures = failures
        self.after = after
        self.calls = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls > self.failures:
            return await commit_batch(*args, **kwargs)
        if self.after:
            await commit_batch(*args, **kwargs)
        raise self.error


@pytest.mark.parametrize("error", [ConstraintError("duplicate key"), TransientError("deadlock")])
async def test_a_constraint_or_transient_error_that_surfaces_reruns_the_batch(
    client: GraphQLClient, db: Database, monkeypatch: pytest.MonkeyPatch, error: Exception, workspace: str
) -> None:
    await create_account(client)
    flaky = FlakyWrites(error, failures=2)
    monkeypatch.setattr(contact_sync, "commit_batch", flaky)

    payload = await upsert(client, [contact("a"), contact("b")])

    assert (statuses(payload), flaky.calls) == (["CREATED", "CREATED"], 3)
    assert set(await people(db, workspace)) == {"a", "b"}


@pytest.mark.parametrize(
    ("error", "committed"),
    [(IncompleteCommit("connection lost during commit"), True), (ServiceUnavailable("no route"), False)],
)
async def test_a_lost_connection_is_outcome_unknown_and_a_replay_converges(
    client: GraphQLClient,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    committed: bool,
    workspace: str,
) -> None:
    await create_account(client)
    batch = [contact("a", "Ann"), contact("b", "Bo", reportsTo="a")]
    monkeypatch.setattr(contact_sync, "commit_batch", FlakyWrites(error, failures=1, after=committed))

    body = await client.execute(UPSERT, {"input": {"source": "crm", "account": "acc-1", "contacts": batch}})
    replay = await upsert(client, batch)

    [failure] = body["errors"]
    assert body["data"] is None
    assert failure["extensions"] == {"code": "OUTCOME_UNKNOWN"}
    assert "outcome is unknown" in failure["message"]
    assert "Replay the same batch" in failure["message"]
    assert statuses(replay) == (["UNCHANGED"] * 2 if committed else ["CREATED"] * 2)
    stored = await people(db, workspace)
    assert {key: (p["name"], p["managers"]) for key, p in stored.items()} == {"a": ("Ann", []), "b": ("Bo", ["Ann"])}


async def test_the_database_being_down_is_reported_after_a_bounded_retry(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    down = Database(create_driver("bolt://127.0.0.1:9", "neo4j", ""), "neo4j")
    sessions: list[dict[str, Any]] = []
    open_session = down.driver.session

    def recording_session(**config: Any) -> Any:
        sessions.append(config)
        return open_session(**config)

    down.driver.session = recording_session  # type: ignore[method-assign]
    try:
        with pytest.raises(ServiceUnavailable):
            await commit_batch(Services(down), Scope(workspace, "test", SYNC_RETRY_SECONDS), "crm", "acc-1", [], False)
    finally:
        await down.close()
    # the driver retries for SYNC_RETRY_SECONDS, not its default: a sync says so within seconds
    assert [config.get("max_transaction_retry_time") for config in sessions] == [SYNC_RETRY_SECONDS]


async def test_concurrent_updates_of_one_contact_bump_its_version_once_each(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await create_account(client)
    await upsert(client, [contact("a", title="v0")])

    payloads = await asyncio.gather(*(upsert(client, [contact("a", title=f"v{n}")]) for n in range(1, JOBS + 1)))

    updated = sum(p["updated"] for p in payloads)
    stored = (await people(db, workspace))["a"]
    assert stored["version"] == 1 + updated  # no lost version bump
    assert stored["title"] in {f"v{n}" for n in range(1, JOBS + 1)}
