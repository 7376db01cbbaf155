"""The map page's route: /map serves the built page with its security headers, to anyone (the edge lets it
through without a key), and says how to build it when it is missing (the page itself is tested in a
browser: tests/map/)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from fastapi import FastAPI

from service.entrypoints.map_page import CONTENT_SECURITY_POLICY, MAP_ASSETS_DIR, mount_map_page
from tests.conftest import unavailable


def page_client(directory: Path) -> httpx.AsyncClient:
    app = FastAPI()
    mount_map_page(app, directory)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://powermap.test")


def fake_build(folder: Path) -> Path:
    (folder / "assets").mkdir()
    (folder / "index.html").write_text(
        '<!doctype html><script type="module" src="./assets/index-abc.js"></script>', encoding="utf-8"
    )
    (folder / "assets" / "index-abc.js").write_text("console.log('map')", encoding="utf-8")
    return folder


async def test_map_redirects_to_the_page_with_its_security_headers(tmp_path: Path) -> None:
    async with page_client(fake_build(tmp_path)) as client:
        redirect = await client.get("/map")
        assert redirect.status_code == 307
        assert redirect.headers["location"] == "http://powermap.test/map/"
        page = await client.get("/map/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
        script = await client.get("/map/assets/index-abc.js")
        assert script.status_code == 200
        assert script.headers["content-type"].startswith("text/javascript")
        assert (await client.get("/map/assets/missing.js")).status_code == 404


def test_the_policy_lets_the_page_reach_only_its_own_origin() -> None:
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


async def test_an_unbuilt_page_says_how_to_build_it(tmp_path: Path) -> None:
    async with page_client(tmp_path / "not-built") as client:
        response = await client.get("/map/")
    assert response.status_code == 503
    assert "scripts/bootstrap" in response.text


async def test_the_app_serves_the_page_without_a_key_and_the_api_still_needs_one(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://powermap.test") as anonymous:
        redirect = await anonymous.get("/map")
        page = await anonymous.get("/map/")
        refused = await anonymous.post("/graphql", json={"query": "{ me { id } }"})
    assert redirect.status_code == 307
    assert page.status_code == (200 if (MAP_ASSETS_DIR / "index.html").is_file() else 503)  # never 401
    assert refused.status_code == 401


def test_the_built_page_loads_only_its_own_files() -> None:
    index = MAP_ASSETS_DIR / "index.html"
    if not index.is_file():
        unavailable("the map page is not built (scripts/bootstrap builds it)")
    html = index.read_text(encoding="utf-8")
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith(("./", "data:", "#")) for s in sources), sources
    for source in sources:
        if source.startswith("./"):
            assert (MAP_ASSETS_DIR / source).is_file(), source
