"""The map as of a date (DOMAIN.md rule 18): the change log undone onto the current state, the
account snapshot rebuilt from it, and the summary of what changed between two instants."""

from service.rules.history.checkpoints import (
    MIN_CHANGES_BETWEEN_CHECKPOINTS,
    Deferral,
    LogSince,
    changes_before_looking_again,
    checkpoint_due,
)
from service.rules.history.diff import DiffLink, MapDiff, StanceMove, map_diff
from service.rules.history.rebuild import RecordParser, rebuild_graph
from service.rules.history.state import (
    EntityKey,
    FirstChange,
    LoggedChange,
    LogRow,
    MapState,
    decode_state,
    encode_state,
    first_changes,
    restore,
    undo,
)

__all__ = [
    "MIN_CHANGES_BETWEEN_CHECKPOINTS",
    "Deferral",
    "DiffLink",
    "EntityKey",
    "FirstChange",
    "LogRow",
    "LogSince",
    "LoggedChange",
    "MapDiff",
    "MapState",
    "RecordParser",
    "StanceMove",
    "changes_before_looking_again",
    "checkpoint_due",
    "decode_state",
    "encode_state",
    "first_changes",
    "map_diff",
    "rebuild_graph",
    "restore",
    "undo",
]
