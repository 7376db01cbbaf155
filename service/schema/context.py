"""The per-request GraphQL context: the database, the caller's workspace and fresh DataLoaders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request
from strawberry.fastapi import BaseContext

from service.graph.driver import Database
from service.schema.loaders import Loaders, build_loaders

if TYPE_CHECKING:
    from service.schema.types.stakeholder import Stakeholder

SYSTEM_ACTOR = "api"


class Context(BaseContext):
    def __init__(self, db: Database, workspace_id: str, actor: str = SYSTEM_ACTOR) -> None:
        super().__init__()
        self.db = db
        self.workspace_id = workspace_id
        self.actor = actor
        self.loaders: Loaders = build_loaders(db, workspace_id)
        self.built_stakeholders: dict[str, Stakeholder] = {}
        """Stakeholder objects already built in this request, by internal id."""


async def get_context(request: Request) -> Context:
    """Until authentication exists, every caller works in the configured default workspace."""
    state = request.app.state
    return Context(db=state.db, workspace_id=state.settings.workspace_id)
