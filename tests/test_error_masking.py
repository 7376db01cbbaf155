"""What is not the client's fault is masked wherever it is raised: in a resolver, and in an extension's hook
(which ends the operation before the extensions' own masking runs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.graph import pages
from service.schema.access import ReadPolicy
from tests.conftest import GraphQLClient

DETAIL = "a detail the client must not see"


def _failing_hook(self: ReadPolicy) -> Iterator[None]:
    raise RuntimeError(DETAIL)
    yield  # a generator, as the hook it stands in for


async def test_an_extension_hooks_crash_is_masked(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ReadPolicy, "on_validate", _failing_hook)
    response = await client.http.post("/graphql", json={"query": "{ accounts(first: 1) { nodes { id } } }"})
    request_id = response.headers["x-request-id"]
    assert (response.status_code, response.json()["data"], response.json()["errors"]) == (
        200,
        None,
        [{"message": "Unexpected error.", "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}}],
    )
    assert DETAIL not in response.text
    crashes = [r for r in caplog.records if r.name == "powermap.graphql" and r.levelname == "ERROR"]
    assert [(r.getMessage(), r.exc_info and r.exc_info[0]) for r in crashes] == [("unexpected error", RuntimeError)]


async def test_a_resolvers_crash_is_masked(client: GraphQLClient, monkeypatch: pytest.MonkeyPatch) -> None:
    async def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError(DETAIL)

    monkeypatch.setattr(pages, "account_page", failing)
    response = await client.http.post("/graphql", json={"query": "{ accounts(first: 1) { nodes { id } } }"})
    (error,) = response.json()["errors"]
    assert (response.status_code, error["message"], error["path"], error["extensions"]["code"]) == (
        200,
        "Unexpected error.",
        ["accounts"],
        "INTERNAL_SERVER_ERROR",
    )
    assert DETAIL not in response.text
