"""What chromium writes on stderr is logged per browser, so that a test failing on a renderer crash reports
chromium's own reason (`chromium_said`, added to the failed test's report)."""

from __future__ import annotations

import asyncio
import contextlib

from playwright.async_api import Error as PlaywrightError

from tests.map.conftest import Watched, chromium_said


async def test_a_renderer_crash_is_explained_by_chromium_s_log(watched: Watched) -> None:
    with contextlib.suppress(PlaywrightError):  # the navigation is aborted as the renderer dies
        await watched.page.goto("chrome://crash")

    def explained() -> bool:
        return any("Intentionally crashing" in line for line in chromium_said())

    for _ in range(300):  # the driver writes chromium's stderr to the log as it comes
        if explained():
            break
        await asyncio.sleep(0.1)
    assert explained()
