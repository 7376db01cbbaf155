"""The demo accounts (the seeds' own case), loaded at start-up through the import mutation."""

from __future__ import annotations

import json
import logging
from importlib import resources
from typing import Any

from service.graph.driver import Database
from service.schema.operations import IMPORT_MUTATION, execute_operation

logger = logging.getLogger("powermap.demo")

DEMO_FILES = ("canon-zhuhai.json", "shanghai-tobacco.json")


def demo_documents() -> list[dict[str, Any]]:
    """Each file holds `accountGraphImport` variables: {"input": {...}}."""
    folder = resources.files("service.demo")
    return [json.loads(folder.joinpath(name).read_text(encoding="utf-8")) for name in DEMO_FILES]


async def load_demo_accounts(db: Database, workspace_id: str) -> None:
    for variables in demo_documents():
        result = await execute_operation(db, workspace_id, IMPORT_MUTATION, variables)
        payload = result["accountGraphImport"]
        if payload["userErrors"]:
            raise RuntimeError(f"demo data did not import: {payload['userErrors']}")
        logger.info(
            "demo %s: %d created, %d updated, %d unchanged",
            variables["input"]["account"]["name"],
            payload["created"],
            payload["updated"],
            payload["unchanged"],
        )
