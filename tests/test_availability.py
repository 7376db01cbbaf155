"""The outage detector says why it took the database for gone, and does not take a server that answers with
an error for gone."""

from __future__ import annotations

import logging

import pytest
from neo4j import AsyncGraphDatabase
from powermap_devtools.local_neo4j import free_port

from service.graph.availability import Availability
from tests.conftest import Neo4jServer


async def test_an_outage_is_logged_with_what_the_probe_met(caplog: pytest.LogCaptureFixture) -> None:
    nothing_listens = f"bolt://127.0.0.1:{free_port()}"
    availability = Availability(
        lambda: AsyncGraphDatabase.driver(nothing_listens, auth=("neo4j", "unused")), "neo4j", interval=60, timeout=5
    )
    with caplog.at_level(logging.WARNING, logger="powermap.database"):
        await availability.start()
        try:
            assert await availability.check_now() is False
        finally:
            await availability.stop()
    (outage,) = [record.getMessage() for record in caplog.records if record.name == "powermap.database"]
    assert outage.startswith("database does not answer (ServiceUnavailable: ")
    assert outage.endswith("): failing fast until it does")


async def test_a_server_that_answers_with_an_error_is_not_gone(
    neo4j_server: Neo4jServer, caplog: pytest.LogCaptureFixture
) -> None:
    availability = Availability(
        lambda: AsyncGraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)),
        "nosuchdatabase",
        interval=60,
        timeout=30,
    )
    with caplog.at_level(logging.DEBUG, logger="powermap.database"):
        await availability.start()
        try:
            assert await availability.check_now() is True
        finally:
            await availability.stop()
    logged = {
        (r.levelname, r.getMessage(), r.__dict__["errorType"]) for r in caplog.records if r.name == "powermap.database"
    }
    assert logged == {("DEBUG", "database probe failed", "ClientError")}  # the watcher's first probe, and ours
    assert availability.up is True
