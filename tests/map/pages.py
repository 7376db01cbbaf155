"""Driving the map page like a person: sign in, open an account, click people on the canvas."""

from __future__ import annotations

import json
import time
from typing import Any

from playwright.async_api import Page

from service.rules.access import Role
from tests.map.conftest import MapServer, Watched

READY = "body[data-state=ready]"


async def sign_in(w: Watched, server: MapServer, role: Role = Role.STRATEGIST) -> None:
    page = w.page
    key = server.keys[role]
    await page.goto(f"{server.base_url}/map")
    await page.wait_for_selector("body[data-state=signed-out]")
    await page.fill("#token-input", key)
    await page.click("#signin-form button[type=submit]")
    await page.wait_for_selector("body[data-state=picking]")


async def open_account(w: Watched, name: str, search: str) -> float:
    """Search, pick the account; seconds from the click until the page says it is interactive."""
    page = w.page
    await page.fill("#account-search", search)
    button = page.locator(".account-item", has_text=name)
    await button.wait_for()
    started = time.perf_counter()
    await button.click()
    await page.wait_for_selector(READY, timeout=60_000)
    return time.perf_counter() - started


# Playwright copies whatever `evaluate` returns out of the page. A cytoscape object reaches its renderer,
# caches and canvases: copying `cy.center(...)`'s return value (`cy` itself) took 2.7 GB of the page's
# heap each time, near the renderer's limit, and now and then it ran out of memory ("Target crashed").
CY_EXPRESSION = """(() => {{
  const cy = window.powermap.cy;
  const value = {expression};
  if (value === cy || (value !== null && typeof value === "object" && typeof value.cy === "function")) {{
    throw new Error("the expression returns a cytoscape object: return plain data, or use cy_do");
  }}
  return value;
}})()"""


async def cy(page: Page, expression: str) -> Any:
    """Evaluate `expression` with `cy` bound to the page's cytoscape instance; its value must be plain data."""
    return await page.evaluate(CY_EXPRESSION.format(expression=expression))


async def cy_do(page: Page, statement: str) -> None:
    """Run `statement` with `cy` bound to the page's cytoscape instance, for its effect only."""
    await page.evaluate(f"(() => {{ const cy = window.powermap.cy; {statement}; }})()")


async def node_id(page: Page, name: str) -> str:
    found: list[str] = await cy(
        page, f"cy.nodes('.person').filter(n => n.data('name') === {json.dumps(name)}).map(n => n.id())"
    )
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


async def click_person(page: Page, name: str, shift: bool = False) -> None:
    """Click the person's node on the canvas, where it is drawn."""
    person = await node_id(page, name)
    await cy_do(page, f"cy.center(cy.getElementById({json.dumps(person)}))")
    position = await cy(page, f"cy.getElementById({json.dumps(person)}).renderedPosition()")
    box = await page.locator("#cy").bounding_box()
    assert box is not None
    x, y = box["x"] + position["x"], box["y"] + position["y"]
    if shift:
        await page.keyboard.down("Shift")
    # One pixel off the centre: cytoscape misses a star (and vee) clicked at its exact centre.
    await page.mouse.click(x + 1, y + 1)
    if shift:
        await page.keyboard.up("Shift")
