"""The inverse of an import's writes, as data: what puts one written record back as it was.

A batched import records, in the same transaction as each batch, the inverse of that batch (see
`service.graph.writes.import_jobs`). Undoing the batches in reverse order leaves the account exactly as
it was before the import. The planner says for each row what its inverse is; the batch fills in the
before-images (`props`) of the records it is about to change, read in its own transaction right before
it writes them, so only what changes is ever read twice.

An operation is a plain mapping (JSON once dates are encoded), one of:
- `putNode`: set a node's properties back to `props` (creating it when it was deleted);
- `deleteNode`: delete a node the import created, with its relationships and the external-id refs
  that identify nothing else;
- `putRel` / `deleteRel`: put back (recreate or reset) / delete a relationship between two nodes by
  their ids;
- `setManager`: the reporting line of a stakeholder; `relink`: the BY and MET links of an interaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

UndoOp = dict[str, Any]

LEASE_PROPERTIES = frozenset({"clock", "importJob"})
"""Account properties that belong to the running import, never restored from a before-image."""


CAPTURED = frozenset({"putNode", "putRel"})
"""Operations whose `props` the batch reads before it writes."""


def put_node(label: str, node_id: str) -> UndoOp:
    return {"op": "putNode", "label": label, "id": node_id}


def delete_node(label: str, node_id: str) -> UndoOp:
    return {"op": "deleteNode", "label": label, "id": node_id}


def put_rel(rel_type: str, start: str, end: str, kind: str | None = None) -> UndoOp:
    return {"op": "putRel", "type": rel_type, "start": start, "end": end, "kind": kind}


def delete_rel(rel_type: str, start: str, end: str, kind: str | None = None) -> UndoOp:
    return {"op": "deleteRel", "type": rel_type, "start": start, "end": end, "kind": kind}


def restore_node(label: str, node_id: str, existed: bool) -> UndoOp:
    """The inverse of an upsert: delete what was created, else put the before-image back."""
    return put_node(label, node_id) if existed else delete_node(label, node_id)


def restore_rel(rel_type: str, start: str, end: str, existed: bool, kind: str | None = None) -> UndoOp:
    return put_rel(rel_type, start, end, kind) if existed else delete_rel(rel_type, start, end, kind)


def node_key(op: UndoOp) -> tuple[str, str]:
    return (str(op["label"]), str(op["id"]))


def rel_key(op: UndoOp) -> tuple[str, str, str, str | None]:
    return (str(op["type"]), str(op["start"]), str(op["end"]), op.get("kind"))


def with_before(
    ops: Sequence[UndoOp],
    nodes: Mapping[tuple[str, str], Mapping[str, Any]],
    rels: Mapping[tuple[str, str, str, str | None], Mapping[str, Any]],
) -> list[UndoOp]:
    """`ops` with the captured before-images filled in. A record the planner expected but the batch did not
    find was absent before: its inverse deletes it. Account lease properties are never restored."""
    done = []
    for op in ops:
        if op["op"] == "putNode":
            before = nodes.get(node_key(op))
            if before is None:
                op = delete_node(op["label"], op["id"])
            else:
                op = {**op, "props": {k: v for k, v in before.items() if k not in LEASE_PROPERTIES}}
        elif op["op"] == "putRel":
            before = rels.get(rel_key(op))
            op = (
                delete_rel(op["type"], op["start"], op["end"], op.get("kind"))
                if before is None
                else {**op, "props": dict(before)}
            )
        done.append(op)
    return done


def set_manager(person: str, manager: str | None) -> UndoOp:
    return {"op": "setManager", "id": person, "managerId": manager}


def relink(interaction: str, team_member: str | None, stakeholders: Iterable[str]) -> UndoOp:
    return {"op": "relink", "id": interaction, "teamMemberId": team_member, "stakeholderIds": sorted(stakeholders)}


def inverse(rows: Sequence[Mapping[str, Any]]) -> list[UndoOp]:
    """The undo of rows written in this order: each row's operations, last row first."""
    return [op for row in reversed(rows) for op in row.get("undo", ())]


def runs(ops: Sequence[UndoOp]) -> list[tuple[tuple[str, str], list[UndoOp]]]:
    """Consecutive operations of the same kind and label or type, in order: each run is one query."""
    grouped: list[tuple[tuple[str, str], list[UndoOp]]] = []
    for op in ops:
        key = (str(op["op"]), str(op.get("label") or op.get("type") or ""))
        if grouped and grouped[-1][0] == key:
            grouped[-1][1].append(op)
        else:
            grouped.append((key, [op]))
    return grouped
