"""The influence map page at /map: a static client of the public GraphQL API.

Its sources are in ``web/map``; ``scripts/bootstrap`` builds them into ``service/static/map``
(git-ignored) and the Dockerfile does the same in a Node stage. The page has no private routes: it
only posts to ``/graphql``. Every response carries a Content-Security-Policy that lets it load
nothing but its own files and talk to nothing but this origin, so a token pasted into it cannot
be sent elsewhere by injected content.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["CONTENT_SECURITY_POLICY", "MAP_ASSETS_DIR", "MAP_PATH", "MapPageFiles", "mount_map_page"]

MAP_PATH = "/map"
MAP_ASSETS_DIR = Path(__file__).resolve().parent.parent / "static" / "map"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        # cytoscape sets element styles from script; no inline <style> or style="" from markup is needed
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
NOT_BUILT = (
    "The map page is not built. Run scripts/bootstrap (it needs Node.js 20.19+ and npm), "
    "or `npm ci && npm run build` in web/map."
)


class MapPageFiles(StaticFiles):
    """The built page, with security headers; a plain 503 that says how to build it when it is missing."""

    async def check_config(self) -> None:
        if self._built():
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not self._built():
            return PlainTextResponse(NOT_BUILT, status_code=503)
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        return response

    def _built(self) -> bool:
        return (Path(str(self.directory)) / "index.html").is_file()


def mount_map_page(app: FastAPI, directory: Path = MAP_ASSETS_DIR) -> None:
    """Serve the built page at ``MAP_PATH`` (``/map`` redirects to ``/map/``)."""
    app.mount(MAP_PATH, MapPageFiles(directory=directory, html=True, check_dir=False), name="map")
