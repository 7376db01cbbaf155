"""Every number, name and threshold of the deal rules (DOMAIN.md, "Deals" and items 19-22)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from service.rules.deals.enums import SalesStage, StageGate

# --- Sales stages (004, 项目性销售与管理) --------------------------------------------------------
WIN_PROBABILITY: Final = MappingProxyType(
    {
        SalesStage.G: 10,
        SalesStage.F: 20,
        SalesStage.E: 25,
        SalesStage.D: 30,
        SalesStage.C: 50,
        SalesStage.B: 75,
        SalesStage.A: 90,
        SalesStage.S: 100,
    }
)
"""Percent."""
SALES_STAGE_NAMES: Final = MappingProxyType(
    {
        SalesStage.G: "电话邀约",
        SalesStage.F: "客户拜访",
        SalesStage.E: "提交初步方案",
        SalesStage.D: "技术交流",
        SalesStage.C: "需求调研与方案确认",
        SalesStage.B: "项目评估",
        SalesStage.A: "商务谈判",
        SalesStage.S: "成交",
    }
)
STAGE_ORDER: Final = MappingProxyType({stage: index for index, stage in enumerate(SalesStage)})

# --- The customer's procurement steps (004, 客户内部采购流程) ------------------------------------
PROCUREMENT_STEP_NAMES: Final = (
    "发现问题",
    "使用部门提出需求",
    "可行性研究与预算",
    "立项",
    "组建采购小组",
    "建立技术标准",
    "招标与初步技术筛选",
    "评标",
    "确立首选供应商",
    "合同审核与商务谈判",
    "签定协议",
    "确保实施",
)
"""Step n is `PROCUREMENT_STEP_NAMES[n - 1]`."""
PROCUREMENT_STEPS: Final = range(1, len(PROCUREMENT_STEP_NAMES) + 1)

# --- Stage alignment (item 20) -----------------------------------------------------------------
AHEAD_WHEN: Final = ((7, SalesStage.D), (10, SalesStage.B))
"""The customer is AHEAD when at step >= n while our stage is below the stage given."""
BEHIND_STAGES: Final = frozenset({SalesStage.A, SalesStage.S})
BEHIND_BELOW_STEP: Final = 9
"""The customer is BEHIND when our stage is A or S and their step is below this."""

# --- Stage gates (item 20) ---------------------------------------------------------------------
GATE_STAGES: Final = MappingProxyType(
    {
        StageGate.HANDLER_IDENTIFIED: SalesStage.G,
        StageGate.HANDLER_COVERED: SalesStage.F,
        StageGate.COACH_IN_BUYING_CENTRE: SalesStage.E,
        StageGate.ROLES_AND_PROJECT_LEAD: SalesStage.D,
        StageGate.STANCES_KNOWN: SalesStage.C,
    }
)
"""The stage from which each gate applies; a deal at stage X is held to every gate of X and before."""

# --- Competitors (item 21) ---------------------------------------------------------------------
THREAT_MIN_VISITS_PER_MONTH: Final = 1.0
"""A rep contact at least this frequent makes a buying-centre member a threat."""
UNRATED_CONTACT_STRENGTH: Final = 1
"""As for influence: an unrated contact counts as the lowest rating."""

# --- Scorecard (item 19) -----------------------------------------------------------------------
WEIGHT_SUM_TOLERANCE: Final = 1e-9
SCORE_RANGE: Final = range(1, 6)
CARE_RANGE: Final = range(1, 6)
