"""An account's visit cadence (DOMAIN.md rule 14), as item 22 uses it: the one rule of
`service.rules.analytics.cadence`."""

from __future__ import annotations

from service.rules.analytics.cadence import cadence_days

__all__ = ["cadence_days"]
