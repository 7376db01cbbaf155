"""The closed value sets of deals (DOMAIN.md, "Deals"). The GraphQL enums will wrap these."""

from enum import Enum


class BuyClass(Enum):
    NEW_BUY = "NEW_BUY"
    STRAIGHT_REBUY = "STRAIGHT_REBUY"
    MODIFIED_REBUY = "MODIFIED_REBUY"


class OpportunityStatus(Enum):
    OPEN = "OPEN"
    WON = "WON"
    LOST = "LOST"
    ABANDONED = "ABANDONED"


class SalesStage(Enum):
    """Our project-selling stage (004), earliest first; win probabilities live in `policy`."""

    G = "G"
    F = "F"
    E = "E"
    D = "D"
    C = "C"
    B = "B"
    A = "A"
    S = "S"


class DecisionStage(Enum):
    """The customer's decision stage (000): 满意/认识/决定改变/制定标准/评价."""

    SATISFIED = "SATISFIED"
    RECOGNITION = "RECOGNITION"
    DECIDE_TO_CHANGE = "DECIDE_TO_CHANGE"
    SET_CRITERIA = "SET_CRITERIA"
    EVALUATE = "EVALUATE"


class StageAlignment(Enum):
    """The customer's procurement step against our sales stage: AHEAD means the customer is ahead of us."""

    AHEAD = "AHEAD"
    BEHIND = "BEHIND"
    ALIGNED = "ALIGNED"


class QualificationCheck(Enum):
    """The B.I. flags, then the UCV checks (DOMAIN.md item 20)."""

    PERSONAL = "PERSONAL"
    TIME_IMMEDIATE = "TIME_IMMEDIATE"
    CERTAIN = "CERTAIN"
    MEASURABLE = "MEASURABLE"
    UNIQUE = "UNIQUE"
    DELIVERABLE_BY_DEADLINE = "DELIVERABLE_BY_DEADLINE"
    NOT_OPPOSED = "NOT_OPPOSED"


class StageGate(Enum):
    """One gate per stage from G to C; C's gate holds for every later stage too."""

    HANDLER_IDENTIFIED = "HANDLER_IDENTIFIED"
    HANDLER_COVERED = "HANDLER_COVERED"
    COACH_IN_BUYING_CENTRE = "COACH_IN_BUYING_CENTRE"
    ROLES_AND_PROJECT_LEAD = "ROLES_AND_PROJECT_LEAD"
    STANCES_KNOWN = "STANCES_KNOWN"


class InformationItem(Enum):
    """三级信息 (DOMAIN.md item 22): level 2 items first, then level 3."""

    BUDGET_KNOWN = "BUDGET_KNOWN"
    CLOSE_DATE = "CLOSE_DATE"
    DECISION_MAKER_CONTACT = "DECISION_MAKER_CONTACT"
    PROCUREMENT_STEP = "PROCUREMENT_STEP"
    COMPETITOR_RECORDED = "COMPETITOR_RECORDED"
    BACKGROUND_NOTES = "BACKGROUND_NOTES"
    PHONE = "PHONE"
    DECISION_MAKER_RELATIONS = "DECISION_MAKER_RELATIONS"
    COMPETITOR_RELATIONS = "COMPETITOR_RELATIONS"
    KEY_PERSON_INTERACTIONS = "KEY_PERSON_INTERACTIONS"
