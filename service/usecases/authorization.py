"""Enforcing the access policy (`service.rules.access`): every use case calls `require` first."""

from __future__ import annotations

from service.rules.access import Permission, Principal
from service.rules.entity_changes.rejected import Rejected
from service.rules.enums import ErrorCode
from service.rules.validation import Problem


class Forbidden(Rejected):
    """The principal's role does not allow this; nothing was read or written."""

    def __init__(self, permission: Permission) -> None:
        super().__init__([Problem((), f"this needs the {permission.value!r} permission.", ErrorCode.FORBIDDEN)])
        self.permission = permission


def require(principal: Principal, permission: Permission) -> None:
    if not principal.can(permission):
        raise Forbidden(permission)
