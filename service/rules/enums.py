"""The domain's closed value sets (DOMAIN.md, "Entities"). The GraphQL enums wrap these."""

from enum import Enum


class Stance(Enum):
    ENEMY = "ENEMY"
    OPPONENT = "OPPONENT"
    NEUTRAL = "NEUTRAL"
    SUPPORTER = "SUPPORTER"
    MENTOR = "MENTOR"
    UNKNOWN = "UNKNOWN"


class BuyingRole(Enum):
    DECISION_MAKER = "DECISION_MAKER"
    APPROVER = "APPROVER"
    RECOMMENDER = "RECOMMENDER"
    USER = "USER"


class BuyerType(Enum):
    ECONOMIC = "ECONOMIC"
    TECHNICAL = "TECHNICAL"
    USER = "USER"
    FINANCIAL = "FINANCIAL"
    COACH = "COACH"
    INFLUENCER = "INFLUENCER"


class Adaptability(Enum):
    ENTHUSIAST = "ENTHUSIAST"
    PIONEER = "PIONEER"
    FOLLOWER = "FOLLOWER"
    LAGGARD = "LAGGARD"


class Personality(Enum):
    DOVE = "DOVE"
    PEACOCK = "PEACOCK"
    OWL = "OWL"
    EAGLE = "EAGLE"


class OrgLevel(Enum):
    OPERATIONAL = "OPERATIONAL"
    MANAGEMENT = "MANAGEMENT"
    SENIOR = "SENIOR"


class ContactTier(Enum):
    NONE = "NONE"
    LIGHT = "LIGHT"
    FREQUENT = "FREQUENT"
    VIP = "VIP"


class InfluenceKind(Enum):
    FORMAL = "FORMAL"
    INFORMAL = "INFORMAL"
    TECHNICAL = "TECHNICAL"
    PERSONAL = "PERSONAL"


class TieKind(Enum):
    KNOWS = "KNOWS"
    ALLY = "ALLY"
    RIVAL = "RIVAL"


class RelationshipType(Enum):
    FRIEND = "FRIEND"
    PARTNER = "PARTNER"
    OUTSIDER = "OUTSIDER"
    SUPPLIER = "SUPPLIER"


class TeamRole(Enum):
    ACCOUNT_MANAGER = "ACCOUNT_MANAGER"
    SALES = "SALES"
    PRESALES = "PRESALES"
    ENGINEER = "ENGINEER"
    SERVICE = "SERVICE"
    TEAM_LEADER = "TEAM_LEADER"
    EXECUTIVE_SPONSOR = "EXECUTIVE_SPONSOR"


class InteractionType(Enum):
    PHONE = "PHONE"
    VISIT = "VISIT"
    MEETING = "MEETING"
    EMAIL = "EMAIL"
    TECH_EXCHANGE = "TECH_EXCHANGE"
    SAMPLE_TEST = "SAMPLE_TEST"
    SITE_VISIT = "SITE_VISIT"
    EVENT = "EVENT"
    GIFT = "GIFT"
    OTHER = "OTHER"


class AccountTier(Enum):
    A = "A"
    B = "B"
    C = "C"


class GapKind(Enum):
    UNCOVERED_KEY_PERSON = "UNCOVERED_KEY_PERSON"
    STALE_COVERAGE = "STALE_COVERAGE"
    SINGLE_POINT_OF_FAILURE = "SINGLE_POINT_OF_FAILURE"
    UNKNOWN_STANCE = "UNKNOWN_STANCE"
    MISSING_ROLE = "MISSING_ROLE"
    MISSING_BUYER_TYPE = "MISSING_BUYER_TYPE"
    NO_CORE_ACCESS = "NO_CORE_ACCESS"
    SINGLE_THREADED = "SINGLE_THREADED"
    NO_COACH = "NO_COACH"


class ImportMode(Enum):
    MERGE = "MERGE"
    REPLACE = "REPLACE"


class UpsertStatus(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    UNCHANGED = "UNCHANGED"
    FAILED = "FAILED"


class RemoveStatus(Enum):
    """A removal by external id: REMOVED, UNCHANGED (nothing was there: a replay), or FAILED."""

    REMOVED = "REMOVED"
    UNCHANGED = "UNCHANGED"
    FAILED = "FAILED"


class ErrorCode(Enum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    FORBIDDEN = "FORBIDDEN"
    STALE = "STALE"


class PortfolioClass(Enum):
    COW = "COW"
    STAR = "STAR"
    DOG = "DOG"
    VOLCANO = "VOLCANO"


class RelationshipStage(Enum):
    INCUBATION = "INCUBATION"
    EARLY = "EARLY"
    MID = "MID"
    PARTNERSHIP = "PARTNERSHIP"
    STRATEGIC = "STRATEGIC"
    INTERRUPTED = "INTERRUPTED"
