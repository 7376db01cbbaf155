"""Concurrent sync jobs, retried transactions, lost connections and workspaces for the upserts by
external id of interactions, team members and coverage: one entity per key, whatever the interleaving."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
from neo4j.exceptions import ConstraintError, IncompleteCommit, ServiceUnavailable, TransientError

from service.graph.database import Database
from service.rules.access import Role
from service.usecases import entity_sync
from tests.conftest import ClientFactory, GraphQLClient
from tests.sync.entity_helpers import (
    call,
    changes,
    coverage,
    covers,
    document,
    interactions,
    member,
    setup_account,
    statuses,
    team,
    visit,
)
from tests.sync.helpers import SOURCE, contact, rows, upsert

JOBS = 8
PER_JOB = 120
STRIDE = 40
PEOPLE = 20


def keys_of(job: int) -> range:
    """Keys job*40 .. job*40+119: every key is in up to three jobs."""
    return range(job * STRIDE, job * STRIDE + PER_JOB)


def ordered(batch: list[dict[str, Any]], job: int) -> list[dict[str, Any]]:
    return batch[::-1] if job % 2 else batch  # half the jobs send their keys in reverse


def visits_of(job: int) -> list[dict[str, Any]]:
    batch = [
        visit(
            f"v{n:04d}", f"p{n % PEOPLE + 1}", f"p{(n + 7) % PEOPLE + 1}", teamMember=f"m{n % 5 + 1}", summary=f"S{n}"
        )
        for n in keys_of(job)
    ]
    return ordered(batch, job)


async def setup(client: GraphQLClient) -> None:
    await setup_account(client, people=PEOPLE)
    await call(client, "teamMembersUpsert", teamMembers=[member(f"m{n}") for n in range(1, 6)])


async def test_eight_concurrent_overlapping_interaction_jobs_leave_one_interaction_per_key(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup(client)
    batches = [visits_of(job) for job in range(JOBS)]
    keys = {v["externalId"] for batch in batches for v in batch}

    payloads = await asyncio.gather(
        *(call(client, "interactionsUpsert", account="acc-1", interactions=batch) for batch in batches)
    )

    assert all(p["failed"] == 0 and p["userErrors"] == [] for p in payloads)
    assert sum(p["created"] for p in payloads) == len(keys)  # each key created by exactly one job
    per_key = await rows(
        db,
        workspace,
        """
        MATCH (i:Interaction {workspaceId: $ws})
        RETURN i.externalId AS key, COUNT { (i)-[:BY]->() } AS by, COUNT { (i)-[:MET]->() } AS met
        """,
    )
    assert Counter(row["key"] for row in per_key) == Counter(keys)
    assert {(row["by"], row["met"]) for row in per_key} == {(1, 2)}
    logged = await changes(db, workspace, "Interaction")
    assert Counter(c["op"] for c in logged) == Counter({"CREATED": len(keys)})

    replays = [await call(client, "interactionsUpsert", account="acc-1", interactions=batch) for batch in batches]

    assert {status for replay in replays for status in statuses(replay)} == {"UNCHANGED"}
    assert len(await changes(db, workspace, "Interaction")) == len(keys)


async def test_concurrent_overlapping_team_member_and_coverage_jobs_converge(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client, people=PEOPLE)
    member_batches = [ordered([member(f"t{n:04d}") for n in keys_of(job)], job) for job in range(JOBS)]
    member_keys = {m["externalId"] for batch in member_batches for m in batch}

    made = await asyncio.gather(*(call(client, "teamMembersUpsert", teamMembers=batch) for batch in member_batches))

    assert sum(p["created"] for p in made) == len(member_keys)
    refs = await rows(
        db,
        workspace,
        """
        MATCH (r:TeamMemberRef {workspaceId: $ws})
        RETURN r.externalId AS key, COUNT { (r)-[:IDENTIFIES]->() } AS members
        """,
    )
    assert Counter(row["key"] for row in refs) == Counter(member_keys | {"m1", "m2"})
    assert {row["members"] for row in refs} == {1}

    coverage_batches = [
        ordered([covers(f"t{n:04d}", f"p{n % PEOPLE + 1}", relationshipStep=3) for n in keys_of(job)], job)
        for job in range(JOBS)
    ]
    covered = await asyncio.gather(*(call(client, "coverageUpsert", coverage=batch) for batch in coverage_batches))

    assert all(p["failed"] == 0 for p in covered)
    assert sum(p["created"] for p in covered) == len(member_keys)
    stored = await coverage(db, workspace)
    assert len(stored) == len(member_keys)
    most = await rows(
        db,
        workspace,
        "MATCH (t:TeamMember {workspaceId: $ws}) RETURN max(COUNT { (t)-[:COVERS]->() }) AS most",
    )
    assert most == [{"most": 1}]
    replays = [await call(client, "coverageUpsert", coverage=batch) for batch in coverage_batches]
    assert {status for replay in replays for status in statuses(replay)} == {"UNCHANGED"}


async def test_concurrent_overlapping_removals_remove_each_once(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup(client)
    await call(client, "interactionsUpsert", account="acc-1", interactions=[visit(f"v{n:04d}") for n in range(200)])
    batches = [[f"v{n:04d}" for n in range(job * 25, job * 25 + 50)] for job in range(JOBS)]

    payloads = await asyncio.gather(
        *(call(client, "interactionsRemove", account="acc-1", externalIds=keys) for keys in batches)
    )

    assert sum(p["removed"] for p in payloads) == 200
    assert sum(p["failed"] for p in payloads) == 0
    assert await interactions(db, workspace) == {}
    assert Counter(c["op"] for c in await changes(db, workspace, "Interaction")) == {"CREATED": 200, "DELETED": 200}


class FlakyWrites:
    """`commit_batch`, except that the first `failures` calls raise `error` (after writing, if `after`)."""

    def __init__(self, error: Exception, failures: int, after: bool = False) -> None:
        self.error = error
        self.failures = failures
        self.after = after
        self.calls = 0
        self.commit = entity_sync.commit_batch

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls > self.failures:
            return await self.commit(*args, **kwargs)
        if self.after:
            await self.commit(*args, **kwargs)
        raise self.error


@pytest.mark.parametrize("error", [ConstraintError("duplicate key"), TransientError("deadlock")])
async def test_a_constraint_or_transient_error_that_surfaces_reruns_the_batch(
    client: GraphQLClient, db: Database, monkeypatch: pytest.MonkeyPatch, error: Exception, workspace: str
) -> None:
    await setup_account(client)
    flaky = FlakyWrites(error, failures=2)
    monkeypatch.setattr(entity_sync, "commit_batch", flaky)

    payload = await call(client, "interactionsUpsert", account="acc-1", interactions=[visit("v1"), visit("v2")])

    assert (statuses(payload), flaky.calls) == (["CREATED", "CREATED"], 3)
    assert set(await interactions(db, workspace)) == {"v1", "v2"}


@pytest.mark.parametrize(
    ("name", "batch", "created", "logged"),
    [
        ("interactionsUpsert", {"account": "acc-1", "interactions": [visit("v1", "p1", "p2", teamMember="m1")]},
         "CREATED", ("Interaction", 1)),
        ("teamMembersUpsert", {"teamMembers": [member("m9", email="m9@x.test")]}, "CREATED", ("TeamMember", 3)),
        ("coverageUpsert", {"coverage": [covers("m1", "p2", relationshipStep=2)]}, "CREATED", ("Coverage", 1)),
        ("teamMembersRemove", {"externalIds": ["m2"]}, "REMOVED", ("TeamMember", 3)),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    ("error", "committed"),
    [(IncompleteCommit("connection lost during commit"), True), (ServiceUnavailable("no route"), False)],
)
async def test_a_lost_connection_is_outcome_unknown_and_a_replay_converges(
    client: GraphQLClient,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    batch: dict[str, Any],
    created: str,
    logged: tuple[str, int],
    error: Exception,
    committed: bool,
    workspace: str,
) -> None:
    await setup_account(client)
    monkeypatch.setattr(entity_sync, "commit_batch", FlakyWrites(error, failures=1, after=committed))

    body = await client.execute(document(name), {"input": {"source": SOURCE, **batch}})
    replay = await call(client, name, **batch)
    again = await call(client, name, **batch)

    [failure] = body["errors"]
    assert body["data"] is None
    assert failure["extensions"] == {"code": "OUTCOME_UNKNOWN"}
    assert "Replay the same batch" in failure["message"]
    assert statuses(replay) == ["UNCHANGED" if committed else created]
    assert statuses(again) == ["UNCHANGED"]
    entity, count = logged
    assert len(await changes(db, workspace, entity)) == count  # each change logged once
    if name == "interactionsUpsert":
        assert (await interactions(db, workspace))["v1"]["met"] == ["p1", "p2"]
        assert len(await changes(db, workspace, "Interaction")) == 1


async def test_concurrent_updates_of_one_interaction_are_each_logged(
    client: GraphQLClient, db: Database, workspace: str
) -> None:
    await setup_account(client)
    await call(client, "interactionsUpsert", account="acc-1", interactions=[visit("v1", summary="v0")])

    payloads = await asyncio.gather(
        *(
            call(client, "interactionsUpsert", account="acc-1", interactions=[visit("v1", summary=f"v{n}")])
            for n in range(1, JOBS + 1)
        )
    )

    updated = sum(p["updated"] for p in payloads)
    logged = await changes(db, workspace, "Interaction")
    assert len(logged) == 1 + updated
    assert (await interactions(db, workspace))["v1"]["summary"] in {f"v{n}" for n in range(1, JOBS + 1)}


async def test_workspaces_with_the_same_keys_stay_apart(
    clients: ClientFactory, db: Database, workspace: str, other_workspace: str
) -> None:
    ours, theirs = await clients(), await clients(workspace_id=other_workspace)
    await setup_account(ours)
    await setup_account(theirs)
    batch = [visit("v1", "p1", teamMember="m1", summary="Ours")]
    await call(ours, "interactionsUpsert", account="acc-1", interactions=batch)
    await call(ours, "coverageUpsert", coverage=[covers("m1", "p1", relationshipStep=5)])
    before = (await interactions(db, other_workspace), await team(db, other_workspace))

    theirs_replay = await call(theirs, "interactionsUpsert", account="acc-1", interactions=batch)
    await call(theirs, "interactionsRemove", account="acc-1", externalIds=["v1"])
    removed = await call(ours, "teamMembersRemove", externalIds=["m1"])
    only_ours = await call(theirs, "coverageUpsert", coverage=[covers("m1", "p1")])

    assert statuses(theirs_replay) == ["CREATED"]  # their own v1, not ours
    assert statuses(removed) == ["REMOVED"]
    assert statuses(only_ours) == ["CREATED"]  # our coverage of m1 was never theirs
    assert (await interactions(db, workspace))["v1"]["summary"] == "Ours"
    assert before == ({}, {"m1": member_props("m1"), "m2": member_props("m2")})
    assert set(await team(db, other_workspace)) == {"m1", "m2"}
    assert await coverage(db, other_workspace) == {("m1", "p1"): {"relationshipStep": None, "relationshipType": None}}
    assert await coverage(db, workspace) == {}


def member_props(key: str) -> dict[str, Any]:
    return {"name": f"Member {key}", "role": "SALES", "email": None}


async def test_only_integration_and_admin_keys_may_sync(clients: ClientFactory, db: Database, workspace: str) -> None:
    admin = await clients()
    await setup_account(admin)
    for role, allowed in ((Role.INTEGRATION, True), (Role.STRATEGIST, False), (Role.VIEWER, False)):
        caller = await clients(role)
        payload = await call(caller, "teamMembersUpsert", teamMembers=[member(f"x-{role.value}")])
        codes = [e["code"] for e in payload["userErrors"]]
        assert (statuses(payload), codes) == ((["CREATED"], []) if allowed else ([], ["FORBIDDEN"])), role
    assert set(await team(db, workspace)) == {"m1", "m2", "x-integration"}
    assert await upsert(admin, [contact("p1")]) is not None
