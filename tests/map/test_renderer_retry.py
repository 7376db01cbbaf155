"""The map tests' guard against chromium's renderer crashing (`retry_if_the_renderer_crashes`), exercised with a
crash on purpose: the retry runs on a page of a browser launched afresh."""

from __future__ import annotations

import contextlib

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from tests.map.conftest import CRASHES, Watched, retry_if_the_renderer_crashes


async def test_a_crashed_renderer_is_tried_again_in_a_fresh_browser(browser: Browser, watched: Watched) -> None:
    browsers: list[Browser | None] = []

    async def scenario(w: Watched) -> None:
        browsers.append(w.context.browser)
        if len(browsers) == 1:
            with contextlib.suppress(PlaywrightError):  # the navigation is aborted as the renderer dies
                await w.page.goto("chrome://crash")
        assert await w.page.evaluate("1 + 1") == 2

    await retry_if_the_renderer_crashes(browser, watched, scenario)

    assert len(browsers) == 2
    assert browsers[0] is browser
    assert browsers[1] is not None
    assert browsers[1] is not browser
    assert not browsers[1].is_connected()  # closed once the scenario passed
    crash = CRASHES[-1]
    assert crash["test"] == watched.test_name
    assert any("Intentionally crashing" in line for line in crash["chromium"])  # chromium's own reason
