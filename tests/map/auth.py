"""Signing the map page in as a given role: the one place to switch on when authentication lands.

Issue 12 adds Bearer authentication and a root `me { id name role workspace { id name } }`. The page
reads its role from `me` and hides every edit control from a VIEWER (and INTEGRATION).

- Today the server has no `me` and ignores the header: any string signs in, the page shows "role
  unknown" and allows editing. For the viewer case, `emulate_role` answers only the page's two
  sign-in questions (the schema capabilities and `me`) as an auth-enabled server would; every other
  request goes to the real API unchanged.
- Once the server has `me`, `credentials` must return a real key of that role, and no emulation runs:
  fill in `issue_key` (create the key through whatever issue 12 provides). Until then the tests fail
  with a message pointing here, rather than silently testing nothing.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import httpx
from playwright.async_api import Page, Route

CAPABILITIES_OPERATION = "MapCapabilities"
ME_OPERATION = "MapMe"


class Role(StrEnum):
    VIEWER = "VIEWER"
    STRATEGIST = "STRATEGIST"
    INTEGRATION = "INTEGRATION"
    ADMIN = "ADMIN"


def server_has_me(base_url: str) -> bool:
    query = '{ __type(name: "Query") { fields { name } } }'
    response = httpx.post(f"{base_url}/graphql", json={"query": query}, timeout=30)
    fields = response.json()["data"]["__type"]["fields"]
    return any(field["name"] == "me" for field in fields)


def issue_key(base_url: str, role: Role) -> str:
    """A real API key of `role` on an auth-enabled server (issue 12)."""
    raise NotImplementedError(
        f"the server at {base_url} has `me` now: create a {role} key here (tests/map/auth.py) so the map "
        "tests sign in for real"
    )


async def credentials(page: Page, base_url: str, role: Role) -> str:
    """The key to paste into the sign-in form, with the page prepared to be `role`."""
    if server_has_me(base_url):
        return issue_key(base_url, role)
    if role is not Role.STRATEGIST:
        await emulate_role(page, role)
    return f"pm_map-test-{role.lower()}"


async def emulate_role(page: Page, role: Role) -> None:
    """Answer the sign-in questions as a server with `me` would, for a user of `role`."""

    async def handle(route: Route) -> None:
        body: dict[str, Any] = json.loads(route.request.post_data or "{}")
        operation = _operation_name(str(body.get("query", "")))
        if operation == CAPABILITIES_OPERATION:
            response = await route.fetch()
            data = await response.json()
            data["data"]["queryType"]["fields"].append({"name": "me"})
            await route.fulfill(response=response, json=data)
        elif operation == ME_OPERATION:
            me = {
                "id": f"emulated-{role.lower()}",
                "name": f"Test {role.lower()}",
                "role": role.value,
                "workspace": {"id": "test-workspace", "name": "Test workspace"},
            }
            await route.fulfill(json={"data": {"me": me}})
        else:
            await route.continue_()

    await page.route("**/graphql", handle)


def _operation_name(query: str) -> str:
    words = query.replace("{", " { ").split()
    return words[1] if len(words) > 1 and words[0] in {"query", "mutation"} else ""
