"""Before timing the small write: Powermap's `stakeholderUpdate` and the floor's "floor + log" leave the same
bookkeeping behind, so the floor the write is judged against (issue 14: "a raw write floor ... with today's
global clock") does by hand the work every Powermap write must do, no less.

One write of a person's notes through each, then, read from the database: the notes and one more version, the
account's clock ticked, one change logged about the person (op, fields, old and new values as JSON), one change
feed commit naming that change, and one audit entry naming the person and the account. Who wrote it, when,
the ids and the operation's name are left out: they differ by design.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from neo4j import Driver

from sidebyside.data import bench_driver
from sidebyside.load import Request
from sidebyside.servers import Database, Server

STATE = """
MATCH (s:Stakeholder {workspaceId: $ws, id: $id})
MATCH (a:Account {workspaceId: $ws, id: s.accountId})
OPTIONAL CALL (s) {
  MATCH (c:Change {workspaceId: $ws, entityId: s.id})
  RETURN c ORDER BY c.at DESC, c.seq DESC LIMIT 1
}
RETURN s.notes AS notes, s.version AS version, a.clock AS clock, datetime() AS now,
       c {.id, .txId, .op, .fields, .old, .new} AS change
"""

EFFECT = """
OPTIONAL MATCH (k:ChangeCommit {workspaceId: $ws, txId: $txId})
WITH collect(k.changes) AS commits
OPTIONAL MATCH (e:AuditEntry {workspaceId: $ws})
  USING INDEX e:AuditEntry(workspaceId, at)
  WHERE e.at >= $since
RETURN commits, collect(e {.outcome, .entityCount, .entityIds}) AS audit
"""


def _state(driver: Driver, ws: str, person: str) -> dict[str, Any]:
    records, _, _ = driver.execute_query(STATE, ws=ws, id=person)
    return dict(records[0])


def _effect(driver: Driver, ws: str, person: str, account: str, before: dict[str, Any]) -> dict[str, Any]:
    after = _state(driver, ws, person)
    change = after["change"] or {}
    records, _, _ = driver.execute_query(EFFECT, ws=ws, txId=change.get("txId"), since=before["now"])
    audit = records[0]["audit"]
    return {
        "versions added": after["version"] - before["version"],
        "account clock ticked": after["clock"] != before["clock"],
        "a new change": change.get("id") != (before["change"] or {}).get("id"),
        "change op": change.get("op"),
        "change fields": change.get("fields"),
        "change old": change.get("old") == [json.dumps(before["notes"])],
        "change new": change.get("new") == [json.dumps(after["notes"])],
        "feed commits of the change, with their change counts": records[0]["commits"],
        "audit entries": len(audit),
        "audit outcome": [e["outcome"] for e in audit],
        "audit names the person and the account": [sorted(e["entityIds"]) == sorted([person, account]) for e in audit],
        "audit entity counts": [e["entityCount"] for e in audit],
    }


def check_same_bookkeeping(
    db: Database,
    ws: str,
    account: str,
    person: str,
    writes: list[tuple[str, Server, Request]],
    post_json: Callable[[Server, Request], dict[str, Any]],
) -> None:
    """Each of `writes` (label, server, a request writing `person`'s notes; the stored ids `account`, `person`)
    leaves the same bookkeeping as the first (Powermap's); else the benchmark stops, naming the difference.
    Nothing else may write to the workspace meanwhile."""
    effects = []
    with bench_driver(db) as driver:
        for label, server, request in writes:
            before = _state(driver, ws, person)
            post_json(server, request)
            effects.append((label, _effect(driver, ws, person, account, before)))
    (reference_label, reference), *others = effects
    for label, effect in others:
        differences = [f"{k}: {reference[k]!r} against {effect[k]!r}" for k in reference if reference[k] != effect[k]]
        if differences:
            raise SystemExit(f"{label} keeps other bookkeeping than {reference_label}: " + "; ".join(differences))
    shown = ", ".join(f"{k} {v}" for k, v in reference.items())
    print(f"  the write: same bookkeeping from {'; '.join(e[0] for e in effects)} ({shown})", file=sys.stderr)
