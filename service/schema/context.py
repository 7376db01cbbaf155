"""The per-request GraphQL context: the services, the acting principal and the request's caches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.graph.clock import ClockReading
from service.graph.database import Database
from service.rules.access import Principal
from service.schema.loaders import Loaders
from service.usecases.services import Services

if TYPE_CHECKING:
    from service.schema.types.stakeholder import Stakeholder
    from service.usecases.identity import Authenticator


class Context:
    def __init__(self, services: Services, principal: Principal, authenticator: Authenticator | None = None) -> None:
        self.services = services
        self.principal = principal
        self.authenticator = authenticator
        """The process's authenticator, when the request came over HTTP (a revoked key is forgotten there)."""
        self.loaders = Loaders(services, principal.workspace_id)
        self.built_stakeholders: dict[str, Stakeholder] = {}
        """Stakeholder objects already built in this request, by internal id."""
        self.clocks: dict[tuple[str, str], ClockReading] = {}
        """Account clocks this request has read (`service.schema.response_cache`), by the type and internal id
        of the object they were read for ("Account" or "Stakeholder")."""

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def workspace_id(self) -> str:
        return self.principal.workspace_id

    def forget(self) -> None:
        """Drop everything this request cached: called after each of its writes, so that what the request
        reads next shows the write."""
        self.loaders = Loaders(self.services, self.principal.workspace_id)
        self.built_stakeholders.clear()
        self.clocks.clear()
