"""The public API stays a compatible superset of the contract, and the committed SDL matches the code.

Regenerate the committed SDL after an intended change:
    .venv/bin/python -m service.schema.sdl schema.graphql
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, find_breaking_changes

from service.schema.sdl import sdl

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "tests" / "contract" / "schema.graphql"
UPSTREAM_CONTRACT = ROOT.parent / "shared" / "contract" / "schema.graphql"
COMMITTED_SDL = ROOT / "schema.graphql"


def test_schema_has_no_breaking_change_against_the_contract() -> None:
    contract = build_schema(CONTRACT.read_text(encoding="utf-8"))
    changes = find_breaking_changes(contract, build_schema(sdl()))
    assert [f"{c.type.name}: {c.description}" for c in changes] == []


def test_committed_sdl_matches_the_code() -> None:
    assert COMMITTED_SDL.read_text(encoding="utf-8") == sdl()


@pytest.mark.skipif(not UPSTREAM_CONTRACT.exists(), reason="the shared contract is not checked out beside the repo")
def test_vendored_contract_is_the_upstream_contract() -> None:
    assert CONTRACT.read_text(encoding="utf-8") == UPSTREAM_CONTRACT.read_text(encoding="utf-8")
