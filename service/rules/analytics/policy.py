"""Every weight, threshold, default and tie-break the analytics use (DOMAIN.md, "Analytics").

Change a number here and every analytic follows; nothing else in `service.rules.analytics` hard-codes one.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from service.rules.analytics.nodes import NodeKind
from service.rules.enums import AccountTier, BuyerType, BuyingRole, ContactTier, PortfolioClass, Stance, TieKind

# --- Hops and result sizes --------------------------------------------------------------------
DEFAULT_MAX_HOPS: Final = 3
MIN_HOPS: Final = 1
MAX_HOPS_LIMIT: Final = 6
ACCESS_DEFAULT_MAX_HOPS: Final = 4
DEFAULT_MIN_STRENGTH: Final = 0.0
DEFAULT_FIRST: Final = 20
"""Rows of a list answer when the client gives no `first` (DOMAIN.md, "Bounded answers")."""
DEFAULT_FIRST_TARGETS: Final = 20
DEFAULT_FIRST_COACHES: Final = 10
DEFAULT_FIRST_ACCESS_PATHS: Final = 3
DEFAULT_FIRST_OVERDUE_CONTACTS: Final = 20
DEFAULT_FIRST_BROKERS: Final = 20

# --- Ratings and weights ----------------------------------------------------------------------
STRENGTH_SCALE: Final = 5
"""w = strength / STRENGTH_SCALE, so every weight is at most 1 (cycles never help a path)."""
MIN_STRENGTH_RATING: Final = 1
"""Links rated below this carry no influence and are ignored (a zero weight would break the DP)."""
DEFAULT_TIE_STRENGTH: Final = 3
DEFAULT_RELATIONSHIP_STEP: Final = 3
UNRATED_INFLUENCE: Final = 1
TOLERANCE: Final = 1e-9
"""Two scores closer than this are equal; the next sort key decides."""

# --- Stances ----------------------------------------------------------------------------------
STANCE_VALUES: Final = MappingProxyType(
    {
        Stance.ENEMY: -2,
        Stance.OPPONENT: -1,
        Stance.NEUTRAL: 0,
        Stance.SUPPORTER: 1,
        Stance.MENTOR: 2,
    }
)
"""UNKNOWN is absent on purpose: it is excluded from every average."""
SUPPORTIVE_STANCES: Final = frozenset({Stance.SUPPORTER, Stance.MENTOR})
HOSTILE_STANCES: Final = frozenset({Stance.ENEMY, Stance.OPPONENT})
NEUTRAL_OR_BETTER_STANCES: Final = frozenset({Stance.NEUTRAL, Stance.SUPPORTER, Stance.MENTOR})

# --- Ties -------------------------------------------------------------------------------------
BONDING_TIE_KINDS: Final = frozenset({TieKind.KNOWS, TieKind.ALLY})
"""Ties that bind supporters and carry warm introductions; a RIVAL tie is no bond."""
REPORTING_LINE_STRENGTH: Final = 3
"""A reports-to line carries warm introductions like a tie of this strength, either way (rule 13)."""

# --- Conversion -------------------------------------------------------------------------------
CONVERTER_KIND_PREFERENCE: Final = (NodeKind.STAKEHOLDER, NodeKind.TEAM_MEMBER)
"""On equal strength and hops a supporter beats our own team member: the seeds win neutrals through
supporters (拉拢中立者), and it keeps the converter list stable when coverage changes."""

# --- Key people and coverage ------------------------------------------------------------------
KEY_PERSON_ROLES: Final = frozenset({BuyingRole.DECISION_MAKER, BuyingRole.APPROVER})
KEY_PERSON_BUYER_TYPES: Final = frozenset({BuyerType.ECONOMIC, BuyerType.TECHNICAL})
KEY_PERSON_MIN_INFLUENCE: Final = 4
KEY_PERSON_CONTACT_TIERS: Final = frozenset({ContactTier.VIP})
STALE_AFTER_DAYS: Final = 60
SINGLE_THREADED_MAX_COVERED: Final = 1
SINGLE_POINT_MAX_HOPS: Final = ACCESS_DEFAULT_MAX_HOPS
"""The routes to a key person are their access paths up to this many hops (rule 15)."""

# --- Gap severities ---------------------------------------------------------------------------
SEVERITY_CRITICAL: Final = 1.0
"""A missing decision maker, a decision circle we cannot reach."""
SEVERITY_STRUCTURAL: Final = 0.5
"""Every other structural gap."""
MIN_PERSON_SEVERITY: Final = 0.1
"""A person gap is never below this, even for someone with no path to a decision maker."""
CRITICAL_MISSING_ROLES: Final = frozenset({BuyingRole.DECISION_MAKER})

# --- Coaches (内线) ---------------------------------------------------------------------------
COACH_MIN_BREADTH: Final = 3
COACH_MIN_INFLUENCE: Final = 3
COACH_CANDIDATE_STANCES: Final = NEUTRAL_OR_BETTER_STANCES
COACH_QUALIFIED_STANCES: Final = SUPPORTIVE_STANCES
INTRODUCTION_TIE_KINDS: Final = BONDING_TIE_KINDS
"""Ties an introduction path may use (besides influence links, either direction): a rival does not
introduce us. Breadth, by contrast, counts ties of every kind."""

# --- Visit cadence (rule 14) ------------------------------------------------------------------
TIER_CADENCE_DAYS: Final = MappingProxyType({AccountTier.A: 15, AccountTier.B: 30, AccountTier.C: 60})
"""A: twice a month, B: monthly, C: every two months."""
NO_TIER_CADENCE_DAYS: Final = 60
PORTFOLIO_MAX_CADENCE_DAYS: Final = MappingProxyType({PortfolioClass.VOLCANO: 30})
"""火山 volcano accounts: a visit a month at least, whatever the tier (seed 000)."""
PORTFOLIO_MIN_CADENCE_DAYS: Final = MappingProxyType({PortfolioClass.DOG: 60})
"""小狗 dog accounts: a visit every two months at most, whatever the tier (seed 000)."""
CLOSE_CONTACT_TIERS: Final = frozenset({ContactTier.VIP, ContactTier.FREQUENT})
"""Their due interval is the cadence divided by `CLOSE_CONTACT_DIVISOR`, rounded down."""
CLOSE_CONTACT_DIVISOR: Final = 2
NO_CONTACT_TIERS: Final = frozenset({ContactTier.NONE})
"""Planned not to be contacted: never due. LIGHT and no tier are due at the cadence itself."""
