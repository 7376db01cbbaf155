"""Item 20's stage gates: what must hold at each of our sales stages, from G up to the current one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from service.rules.analytics.coach import coach_candidates_in
from service.rules.deals.context import DealContext
from service.rules.deals.enums import SalesStage, StageGate
from service.rules.deals.people import names, role_holders
from service.rules.deals.policy import GATE_STAGES, STAGE_ORDER
from service.rules.enums import BuyingRole, Stance


@dataclass(frozen=True, slots=True)
class GateResult:
    stage: SalesStage
    """The stage the gate belongs to."""
    gate: StageGate
    met: bool
    stakeholders: tuple[str, ...]
    """The people the verdict rests on (e.g. the handlers, the coaches, those of unknown stance), by name."""
    reason: str


def gates_for(context: DealContext, stage: SalesStage) -> tuple[GateResult, ...]:
    """Every gate whose stage is `stage` or earlier, earliest first."""
    return tuple(
        _CHECKS[gate](context)
        for gate, from_stage in GATE_STAGES.items()
        if STAGE_ORDER[from_stage] <= STAGE_ORDER[stage]
    )


def _result(gate: StageGate, met: bool, stakeholders: list[str], reason: str) -> GateResult:
    return GateResult(GATE_STAGES[gate], gate, met, tuple(stakeholders), reason)


def _handlers(context: DealContext) -> list[str]:
    return [p for p in context.sorted_members() if context.members[p].handler]


def _handler_identified(context: DealContext) -> GateResult:
    handlers = _handlers(context)
    if handlers:
        return _result(StageGate.HANDLER_IDENTIFIED, True, handlers, f"Handler (经手人士): {names(context, handlers)}.")
    return _result(StageGate.HANDLER_IDENTIFIED, False, [], "No handler (经手人士) in the buying centre.")


def _handler_covered(context: DealContext) -> GateResult:
    handlers = _handlers(context)
    covered = [p for p in handlers if p in context.view.covered]
    if covered:
        return _result(StageGate.HANDLER_COVERED, True, covered, f"We cover the handler {names(context, covered)}.")
    if handlers:
        reason = f"Nobody on our team covers the handler {names(context, handlers)}."
        return _result(StageGate.HANDLER_COVERED, False, handlers, reason)
    return _result(StageGate.HANDLER_COVERED, False, [], "No handler in the buying centre to cover.")


def _coach_in_buying_centre(context: DealContext) -> GateResult:
    coaches = [
        c.stakeholder for c in coach_candidates_in(context.view) if c.qualified and c.stakeholder in context.members
    ]
    coaches = context.view.sorted_ids(coaches)
    if coaches:
        reason = f"Qualified coach (内线) in the buying centre: {names(context, coaches)}."
        return _result(StageGate.COACH_IN_BUYING_CENTRE, True, coaches, reason)
    reason = "No qualified coach (内线: broad network, influence 3+, supports us) in the buying centre."
    return _result(StageGate.COACH_IN_BUYING_CENTRE, False, [], reason)


def _roles_and_project_lead(context: DealContext) -> GateResult:
    people = context.view.people
    held = {role for p in context.members for role in people[p].buying_roles}
    missing = [role.value for role in BuyingRole if role not in held]
    leads = [p for p in context.sorted_members() if context.members[p].project_lead]
    gaps = ([f"no {', '.join(missing)}"] if missing else []) + ([] if leads else ["no project lead (项目负责人)"])
    if gaps:
        return _result(StageGate.ROLES_AND_PROJECT_LEAD, False, leads, f"Buying centre incomplete: {'; '.join(gaps)}.")
    reason = f"All four buying roles are held; project lead: {names(context, leads)}."
    return _result(StageGate.ROLES_AND_PROJECT_LEAD, True, leads, reason)


def _stances_known(context: DealContext) -> GateResult:
    people = context.view.people
    unknown = [p for p in role_holders(context) if people[p].stance is Stance.UNKNOWN]
    if unknown:
        reason = f"Stance unknown for role holders: {names(context, unknown)}."
        return _result(StageGate.STANCES_KNOWN, False, unknown, reason)
    return _result(StageGate.STANCES_KNOWN, True, [], "Every member holding a buying role has a known stance.")


_CHECKS: dict[StageGate, Callable[[DealContext], GateResult]] = {
    StageGate.HANDLER_IDENTIFIED: _handler_identified,
    StageGate.HANDLER_COVERED: _handler_covered,
    StageGate.COACH_IN_BUYING_CENTRE: _coach_in_buying_centre,
    StageGate.ROLES_AND_PROJECT_LEAD: _roles_and_project_lead,
    StageGate.STANCES_KNOWN: _stances_known,
}
