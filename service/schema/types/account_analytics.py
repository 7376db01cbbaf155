"""The strategy analytics of an account (DOMAIN.md, "Analytics"), computed by `service.rules`."""

from __future__ import annotations

import strawberry


@strawberry.type
class AccountAnalytics:
    raw_id: strawberry.Private[str]
