"""Item 20: is the deal qualified (B.I., UCV), are the gates of our stage met, and does our stage keep
pace with the customer's procurement?"""

from __future__ import annotations

from dataclasses import dataclass

from service.rules.account_graph import AccountGraph
from service.rules.deals.context import DealContext, deal_context
from service.rules.deals.enums import QualificationCheck, SalesStage, StageAlignment
from service.rules.deals.gates import GateResult, gates_for
from service.rules.deals.model import BurningIssue, DealSnapshot, Opportunity, Ucv
from service.rules.deals.people import opposing_members, who
from service.rules.deals.policy import (
    AHEAD_WHEN,
    BEHIND_BELOW_STEP,
    BEHIND_STAGES,
    PROCUREMENT_STEP_NAMES,
    SALES_STAGE_NAMES,
    STAGE_ORDER,
    WIN_PROBABILITY,
)


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: QualificationCheck
    met: bool
    stakeholders: tuple[str, ...]
    """NOT_OPPOSED: the opposing decision-chain members, by name; else empty."""
    reason: str


@dataclass(frozen=True, slots=True)
class QualificationPart:
    """The B.I. or the UCV: recorded or not, qualified when every check is met."""

    recorded: bool
    qualified: bool
    checks: tuple[CheckResult, ...]
    """Every check in `QualificationCheck` order; empty when nothing is recorded."""
    reason: str

    @property
    def failing(self) -> tuple[CheckResult, ...]:
        return tuple(check for check in self.checks if not check.met)


@dataclass(frozen=True, slots=True)
class Qualification:
    qualified: bool
    """The B.I. and the UCV are both qualified."""
    burning_issue: QualificationPart
    ucv: QualificationPart
    gates: tuple[GateResult, ...]
    """The gates of our current stage and of every earlier stage, earliest first."""
    alignment: StageAlignment | None
    """None when the customer's procurement step is not recorded."""
    alignment_reason: str
    reason: str


def qualification(graph: AccountGraph, snapshot: DealSnapshot) -> Qualification:
    context = deal_context(graph, snapshot)
    opportunity = snapshot.opportunity
    burning = burning_issue_part(context, opportunity.burning_issue)
    value = ucv_part(context, opportunity.ucv)
    alignment, alignment_reason = stage_alignment(opportunity)
    return Qualification(
        qualified=burning.qualified and value.qualified,
        burning_issue=burning,
        ucv=value,
        gates=gates_for(context, opportunity.sales_stage),
        alignment=alignment,
        alignment_reason=alignment_reason,
        reason=_summary(burning, value),
    )


def _summary(burning: QualificationPart, value: QualificationPart) -> str:
    if burning.qualified and value.qualified:
        return "Qualified: the B.I. and the UCV both hold."
    return "Not qualified. " + " ".join(part.reason for part in (burning, value) if not part.qualified)


# --- B.I. --------------------------------------------------------------------------------------
def burning_issue_part(context: DealContext, issue: BurningIssue | None) -> QualificationPart:
    if issue is None:
        return QualificationPart(False, False, (), "No burning issue (B.I.) is recorded.")
    flags = (
        (QualificationCheck.PERSONAL, "personal", issue.personal),
        (QualificationCheck.TIME_IMMEDIATE, "time-immediate", issue.time_immediate),
        (QualificationCheck.CERTAIN, "certain", issue.certain),
    )
    checks = tuple(CheckResult(check, value is True, (), f"{name}: {_yes_no(value)}") for check, name, value in flags)
    owner = _owner(context, issue.owner)
    if all(check.met for check in checks):
        return QualificationPart(
            True, True, checks, f"The B.I.{owner} is qualified: personal, time-immediate, certain."
        )
    missing = ", ".join(check.reason for check in checks if not check.met)
    return QualificationPart(True, False, checks, f"The B.I.{owner} is not qualified: {missing}.")


def _owner(context: DealContext, owner: str | None) -> str:
    return f" of {who(context, owner)}" if owner is not None and owner in context.view.people else ""


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


# --- UCV ---------------------------------------------------------------------------------------
def ucv_part(context: DealContext, ucv: Ucv | None) -> QualificationPart:
    if ucv is None:
        return QualificationPart(False, False, (), "No UCV is recorded.")
    opposing = opposing_members(context)
    checks = (
        CheckResult(QualificationCheck.MEASURABLE, ucv.measurable is True, (), _measurable(ucv)),
        CheckResult(QualificationCheck.UNIQUE, ucv.unique is True, (), f"unique: {_yes_no(ucv.unique)}"),
        CheckResult(QualificationCheck.DELIVERABLE_BY_DEADLINE, _in_time(ucv), (), _deadline(ucv)),
        CheckResult(QualificationCheck.NOT_OPPOSED, not opposing, opposing, _opposition(context, opposing)),
    )
    if all(check.met for check in checks):
        return QualificationPart(
            True, True, checks, "The UCV is qualified: " + "; ".join(c.reason for c in checks) + "."
        )
    failing = "; ".join(check.reason for check in checks if not check.met)
    return QualificationPart(True, False, checks, f"The UCV is not qualified: {failing}.")


def _measurable(ucv: Ucv) -> str:
    text = f"measurable: {_yes_no(ucv.measurable)}"
    return f"{text} ({ucv.metric})" if ucv.metric else text


def _in_time(ucv: Ucv) -> bool:
    return (
        ucv.deliverable_by is not None
        and ucv.customer_deadline is not None
        and ucv.deliverable_by <= ucv.customer_deadline
    )


def _deadline(ucv: Ucv) -> str:
    if ucv.deliverable_by is None or ucv.customer_deadline is None:
        missing = [
            n
            for n, d in (("our delivery date", ucv.deliverable_by), ("the customer's deadline", ucv.customer_deadline))
            if d is None
        ]
        return f"deliverable by the deadline: unknown ({' and '.join(missing)} not recorded)"
    verdict = "yes" if _in_time(ucv) else "no"
    return f"deliverable by the deadline: {verdict} ({ucv.deliverable_by.isoformat()} for {ucv.customer_deadline.isoformat()})"


def _opposition(context: DealContext, opposing: tuple[str, ...]) -> str:
    if not opposing:
        return "nobody on the decision chain opposes it"
    people = context.view.people
    named = ", ".join(f"{who(context, p)}: {people[p].stance.value}" for p in opposing)
    return f"opposed on the decision chain by {named}"


# --- Stage alignment ---------------------------------------------------------------------------
def stage_alignment(opportunity: Opportunity) -> tuple[StageAlignment | None, str]:
    step, stage = opportunity.procurement_step, opportunity.sales_stage
    if step is None:
        return None, "The customer's procurement step is not recorded."
    where = f"The customer is at step {step} ({PROCUREMENT_STEP_NAMES[step - 1]}), we are at {_stage(stage)}"
    for from_step, below in AHEAD_WHEN:
        if step >= from_step and STAGE_ORDER[stage] < STAGE_ORDER[below]:
            return (
                StageAlignment.AHEAD,
                f"{where}: the customer is ahead of us (from step {from_step} we should be at {below.value} or later).",
            )
    if stage in BEHIND_STAGES and step < BEHIND_BELOW_STEP:
        return (
            StageAlignment.BEHIND,
            f"{where}: the customer is behind us (no preferred supplier chosen before step {BEHIND_BELOW_STEP}).",
        )
    return StageAlignment.ALIGNED, f"{where}: aligned."


def _stage(stage: SalesStage) -> str:
    return f"{stage.value} ({SALES_STAGE_NAMES[stage]}, {WIN_PROBABILITY[stage]}%)"
