"""DOMAIN.md rule 18, the pure part: undoing the changes logged after an instant, one by one newest first
(`undo`, the reference) or reduced per entity (`first_changes` + `restore`, what the service runs), gives
back the state that held at that instant."""

from __future__ import annotations

import copy
import json
from typing import Any

import hypothesis.strategies as st
from hypothesis import given

from service.rules.history import (
    MIN_CHANGES_BETWEEN_CHECKPOINTS,
    Deferral,
    LoggedChange,
    LogSince,
    MapState,
    changes_before_looking_again,
    checkpoint_due,
    decode_state,
    encode_state,
    first_changes,
    restore,
    undo,
)

ENTITIES = [("Stakeholder", "a"), ("Stakeholder", "b"), ("Coverage", "t:a")]
FIELDS = ["stance", "influence", "title"]
values = st.none() | st.integers(1, 3) | st.sampled_from(["x", "y"])
steps = st.lists(
    st.tuples(st.sampled_from(ENTITIES), st.sampled_from(["write", "delete"]), st.dictionaries(st.sampled_from(FIELDS), values)),
    max_size=25,
)  # fmt: skip


def play(script: list[tuple[tuple[str, str], str, dict[str, Any]]]) -> tuple[list[MapState], list[LoggedChange]]:
    """The states after each step (the first before any) and the log, as the service would record it:
    a creation and a deletion list every stored value, an update the changed ones."""
    state: MapState = {}
    states, log = [copy.deepcopy(state)], []
    for step, (key, action, given_values) in enumerate(script):
        stored = state.get(key)
        if action == "delete" and stored is not None:
            fields = sorted(stored)
            log.append(LoggedChange(step, *key, "DELETED", tuple(fields), tuple(stored[f] for f in fields), ()))  # type: ignore[arg-type]
            del state[key]
        elif action == "write" and stored is None:
            created = {f: v for f, v in given_values.items() if v is not None}
            fields = sorted(created) or ["stance"]
            created = created or {"stance": "x"}
            log.append(LoggedChange(step, *key, "CREATED", tuple(fields), (None,) * len(fields), ()))  # type: ignore[arg-type]
            state[key] = created
        elif action == "write" and stored is not None:
            changed = {f: v for f, v in given_values.items() if stored.get(f) != v}
            if changed:
                fields = sorted(changed)
                log.append(LoggedChange(step, *key, "UPDATED", tuple(fields), tuple(stored.get(f) for f in fields), ()))  # type: ignore[arg-type]
                for f, v in changed.items():
                    if v is None:
                        stored.pop(f, None)
                    else:
                        stored[f] = v
        states.append(copy.deepcopy(state))
    return states, log


@given(steps)
def test_undoing_the_changes_after_each_instant_gives_the_state_then(script: Any) -> None:
    states, log = play(script)
    present = states[-1]
    for instant, then in enumerate(states):  # state `instant` holds after the changes of steps < instant
        after = [c for c in log if c.at >= instant]  # type: ignore[operator]
        assert undo(copy.deepcopy(present), reversed(after)) == then
        rows = [(c.entity, c.entity_id, c.op, c.fields, [json.dumps(v) for v in c.old]) for c in after]
        assert (
            restore(copy.deepcopy(present), first_changes(rows, lambda values: [json.loads(v) for v in values])) == then
        )


@given(steps, st.data())
def test_undoing_from_a_later_state_only_the_changes_between_gives_the_same(script: Any, data: st.DataObject) -> None:
    """What a checkpoint does on a log in order: the state at `checkpoint` with the changes between undone."""
    states, log = play(script)
    checkpoint = data.draw(st.integers(0, len(states) - 1))
    instant = data.draw(st.integers(0, checkpoint))
    between = [c for c in log if instant <= c.at < checkpoint]  # type: ignore[operator]
    rows = [(c.entity, c.entity_id, c.op, c.fields, [json.dumps(v) for v in c.old]) for c in between]
    started = decode_state(encode_state(states[checkpoint]))
    assert restore(started, first_changes(rows, lambda values: [json.loads(v) for v in values])) == states[instant]


@given(st.dictionaries(st.sampled_from(ENTITIES), st.dictionaries(st.sampled_from(FIELDS), values | st.text())))
def test_a_stored_state_reads_back_equal_and_in_the_same_order(state: MapState) -> None:
    read_back = decode_state(encode_state(state))
    assert read_back == state
    assert list(read_back) == list(state)


@given(st.integers(0, 10**6), st.none() | st.integers(0, 10**5))
def test_a_map_that_only_grows_never_needs_a_checkpoint(created: int, entities_then: int | None) -> None:
    assert not checkpoint_due(LogSince(created, created, 0, entities_then))


@given(st.integers(0, 10**6), st.integers(0, 10**5), st.integers(0, 10**4))
def test_a_checkpoint_is_due_once_the_changes_outnumber_the_map(updates: int, entities: int, created: int) -> None:
    log = LogSince(updates + created, created, 0, entities)
    assert checkpoint_due(log) == (updates + created > max(MIN_CHANGES_BETWEEN_CHECKPOINTS, entities + created))
    to_go = changes_before_looking_again(log)
    exactly = max(MIN_CHANGES_BETWEEN_CHECKPOINTS, entities + created) - log.changes + 1
    if to_go == exactly:  # updates from now on: due after `to_go` more, not before
        assert not checkpoint_due(LogSince(log.changes + to_go - 1, created, 0, entities))
        assert checkpoint_due(LogSince(log.changes + to_go, created, 0, entities))
    else:  # looked at again after a quarter more, however the count goes
        assert to_go == log.changes // 4 > exactly


def _first_instant_to_store(now: int, last_write: int, due_since: int, deferral: Deferral) -> int:
    """Brute force: the first whole second from `now` on at which the account has been quiet long enough, or the
    checkpoint has waited as long as it may."""
    instant = now
    while instant - last_write < deferral.quiet and instant - due_since < deferral.longest:
        instant += 1
    return instant


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.integers(0, 60), st.integers(0, 300))
def test_a_due_checkpoint_waits_for_a_quiet_account_and_no_longer_than_it_may(
    now: int, last_write: int, due_since: int, quiet: int, longest: int
) -> None:
    deferral = Deferral(quiet=float(quiet), longest=float(longest))
    wait = deferral.wait(float(now), float(last_write), float(due_since))
    assert wait == _first_instant_to_store(now, last_write, due_since, deferral) - now
