"""The demo accounts (the seeds' own case), loaded at start-up through the import path."""

from __future__ import annotations

from service.graph.driver import Database


async def load_demo_accounts(db: Database, workspace_id: str) -> None:
    """Filled in with the account import."""
