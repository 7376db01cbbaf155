"""The outage detector says why it took the database for gone, and does not take for gone a server that answers
with an error, nor a database whose answer waited while this process stalled."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import pytest
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncResult, AsyncSession
from powermap_devtools.local_neo4j import free_port

from service.graph.availability import Availability
from tests.conftest import Neo4jServer


async def check_once(availability: Availability) -> bool:
    """Start the detector, probe once, stop it: whether the probe found the database there."""
    await availability.start()
    try:
        return await availability.check_now()
    finally:
        await availability.stop()


def database_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "powermap.database"]


async def test_an_outage_is_logged_with_what_the_probe_met(caplog: pytest.LogCaptureFixture) -> None:
    nothing_listens = f"bolt://127.0.0.1:{free_port()}"
    availability = Availability(
        lambda: AsyncGraphDatabase.driver(nothing_listens, auth=("neo4j", "unused")), "neo4j", interval=60, timeout=5
    )
    with caplog.at_level(logging.WARNING, logger="powermap.database"):
        assert await check_once(availability) is False
    (outage,) = database_log(caplog)
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
        assert await check_once(availability) is True
    logged = {
        (r.levelname, r.getMessage(), r.__dict__["errorType"]) for r in caplog.records if r.name == "powermap.database"
    }
    assert logged == {("DEBUG", "database probe failed", "ClientError")}  # the watcher's first probe, and ours
    assert availability.up is True


@contextmanager
def frozen_server() -> Iterator[str]:
    """A Bolt address whose connections open (the kernel's backlog accepts them) and never answer, as a
    frozen database's do."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"bolt://127.0.0.1:{listener.getsockname()[1]}"


async def test_a_database_that_never_answers_is_gone_after_the_timeout(caplog: pytest.LogCaptureFixture) -> None:
    with frozen_server() as uri, caplog.at_level(logging.WARNING, logger="powermap.database"):
        availability = Availability(
            lambda: AsyncGraphDatabase.driver(uri, auth=("neo4j", "unused")), "neo4j", interval=60, timeout=1
        )
        assert await check_once(availability) is False
    assert database_log(caplog) == [
        "database does not answer (no answer within 1 s, and no other work completed): failing fast until it does"
    ]


class StallingSession:
    """A real session that, once its query is sent, holds the probe's thread for `seconds`: the probe's loop
    cannot run, as in a stall of the whole process (a garbage collection of a large heap, say)."""

    def __init__(self, session: AsyncSession, seconds: float) -> None:
        self.session, self.seconds = session, seconds

    async def __aenter__(self) -> StallingSession:
        await self.session.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.session.__aexit__(*exc_info)

    async def run(self, query: str) -> AsyncResult:
        result = await self.session.run(query)
        time.sleep(self.seconds)  # noqa: ASYNC251 (blocking the loop is the stall this simulates)
        return result


class StallingDriver:
    def __init__(self, driver: AsyncDriver, seconds: float) -> None:
        self.driver, self.seconds = driver, seconds

    def session(self, **config: Any) -> StallingSession:
        return StallingSession(self.driver.session(**config), self.seconds)

    async def close(self) -> None:
        await self.driver.close()


async def test_a_stall_of_its_own_process_longer_than_the_timeout_is_not_an_outage(
    neo4j_server: Neo4jServer, caplog: pytest.LogCaptureFixture
) -> None:
    def stalling_driver() -> AsyncDriver:
        driver = AsyncGraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
        return cast(AsyncDriver, StallingDriver(driver, seconds=2))

    availability = Availability(stalling_driver, "neo4j", interval=60, timeout=1)
    with caplog.at_level(logging.DEBUG, logger="powermap.database"):
        assert await check_once(availability) is True
    assert database_log(caplog) == []
    assert availability.up is True
