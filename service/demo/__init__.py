"""The demo accounts (the seeds' own case), loaded through the import mutation.

Loaded into an empty workspace only (`load_demo_if_empty`, at start-up when `POWERMAP_LOAD_DEMO` is
set, as `scripts/run` does), or on request (`powermap demo load`, which re-imports them as shipped).
Never at every start: a re-import would undo what users changed in the demo accounts.
"""

from __future__ import annotations

import json
import logging
from importlib import resources
from typing import Any

from service.graph.pages import account_count
from service.rules.access import Principal, Role
from service.schema.operations import IMPORT_MUTATION, execute_operation
from service.usecases.services import Services

logger = logging.getLogger("powermap.demo")

DEMO_FILES = ("canon-zhuhai.json", "shanghai-tobacco.json")


def demo_documents() -> list[dict[str, Any]]:
    """Each file holds `accountGraphImport` variables: {"input": {...}}."""
    folder = resources.files("service.demo")
    return [json.loads(folder.joinpath(name).read_text(encoding="utf-8")) for name in DEMO_FILES]


def demo_principal(workspace_id: str) -> Principal:
    return Principal(workspace_id=workspace_id, role=Role.ADMIN, id="demo-loader")


async def load_demo_if_empty(services: Services, workspace_id: str) -> bool:
    """Load the demo accounts when the workspace has no account; whether it did."""
    if await services.db.read(account_count, workspace_id, None):
        logger.info("demo not loaded: the workspace already has accounts")
        return False
    await load_demo_accounts(services, workspace_id)
    return True


async def load_demo_accounts(services: Services, workspace_id: str) -> None:
    principal = demo_principal(workspace_id)
    for variables in demo_documents():
        result = await execute_operation(services, principal, IMPORT_MUTATION, variables)
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
