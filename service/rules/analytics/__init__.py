"""Strategy analytics over one account snapshot (DOMAIN.md, "Analytics" and "Analytics v2"): pure
functions, no I/O.

Every function takes an `AccountGraph` first and returns frozen result rows that reference people,
team members and circles by id. A list answer is the full ordered list (DOMAIN.md, "Bounded
answers"): callers take its length and its first rows, and a `Ranked` builds only the rows read.
Bad arguments raise `AnalyticsInputError(field, message)`.
Weights, thresholds and defaults live in `policy`.
"""

from service.rules.analytics.access import AccessPath, access_paths
from service.rules.analytics.brokers import Broker, betweenness, brokers
from service.rules.analytics.cadence import (
    ContactDue,
    OverdueContact,
    cadence_days,
    contact_due_dates,
    due_interval_days,
    overdue_contacts,
)
from service.rules.analytics.coach import CoachCandidate, coach_candidates
from service.rules.analytics.consolidation import IsolatedSupporter, SupporterConsolidation, supporter_consolidation
from service.rules.analytics.conversion import ConversionTarget, neutrals_to_convert, opponents_to_neutralize
from service.rules.analytics.coverage_gaps import CoverageGap, coverage_gaps
from service.rules.analytics.errors import AnalyticsInputError
from service.rules.analytics.influencers import InfluencePath, influencers
from service.rules.analytics.leverage import leverage
from service.rules.analytics.nodes import NodeKind, NodeRef
from service.rules.analytics.power_map import CircleBalance, PowerMap, power_map
from service.rules.analytics.ranked import Ranked
from service.rules.analytics.simulation import (
    Simulation,
    SimulationAfter,
    StanceChanges,
    changed_snapshot,
    simulate,
    simulate_after,
)
from service.rules.analytics.support import support_score
from service.rules.analytics.unlinked_pairs import SupporterPair
from service.rules.analytics.validation import validate_max_hops, validate_stale_after_days

__all__ = [
    "AccessPath",
    "AnalyticsInputError",
    "Broker",
    "CircleBalance",
    "CoachCandidate",
    "ContactDue",
    "ConversionTarget",
    "CoverageGap",
    "InfluencePath",
    "IsolatedSupporter",
    "NodeKind",
    "NodeRef",
    "OverdueContact",
    "PowerMap",
    "Ranked",
    "Simulation",
    "SimulationAfter",
    "StanceChanges",
    "SupporterConsolidation",
    "SupporterPair",
    "access_paths",
    "betweenness",
    "brokers",
    "cadence_days",
    "changed_snapshot",
    "coach_candidates",
    "contact_due_dates",
    "coverage_gaps",
    "due_interval_days",
    "influencers",
    "leverage",
    "neutrals_to_convert",
    "opponents_to_neutralize",
    "overdue_contacts",
    "power_map",
    "simulate",
    "simulate_after",
    "support_score",
    "supporter_consolidation",
    "validate_max_hops",
    "validate_stale_after_days",
]
