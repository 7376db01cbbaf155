"""Writes the schema's SDL: `python -m service.schema.sdl [schema.graphql]` (the committed copy)."""

from __future__ import annotations

import sys
from pathlib import Path

from service.schema import schema


def sdl() -> str:
    return schema.as_str() + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "schema.graphql")
    target.write_text(sdl(), encoding="utf-8")
