"""An app that has served a request and been closed is freed, its GraphQL schema included: nothing the suite or the
service keeps holds on to it (see `conftest.PROCESS_WIDE_CACHES`)."""

from __future__ import annotations

import gc

from service.schema import PowermapSchema
from service.settings import Settings
from tests.conftest import admin_of_own_app, forget_built_apps


def schemas_alive() -> int:
    gc.collect()
    return sum(isinstance(thing, PowermapSchema) for thing in gc.get_objects())


async def test_a_closed_app_and_its_schema_are_freed(settings: Settings, workspace: str) -> None:
    forget_built_apps()
    before = schemas_alive()
    async with admin_of_own_app(settings, workspace, "lifetime") as client:
        assert await client.data("{ accounts(first: 1) { totalCount } }") == {"accounts": {"totalCount": 0}}
        assert schemas_alive() == before + 1
    del client
    forget_built_apps()
    assert schemas_alive() == before
