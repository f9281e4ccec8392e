"""Who handles an issue: by category, tier and difficulty (分类分级分派).

Ordinary issues go to one responsible department; cross-department ones to a lead department with
assisting departments; hard ones to a joint meeting (联席会议) chaired at city level. A department
that objects to an assignment is skipped: the next candidate for the category takes it, or the one
the objection suggests; when every candidate has objected, the business-environment bureau
convenes a joint meeting of them all (兜底).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from streams.issues.model import MODES, TIER_NAMES

DEPARTMENTS = {
    "financial_affairs": "地方金融管理局",
    "human_resources": "人力资源和社会保障局",
    "administrative_approval": "行政审批服务局",
    "economy_information": "经济和信息化局",
    "commerce": "商务局",
    "finance": "财政局",
    "housing": "住房和城乡建设局",
    "development_reform": "发展和改革局",
    "market_regulation": "市场监管局",
    "transport": "交通运输局",
    "postal": "邮政管理局",
    "natural_resources": "自然资源和规划局",
    "ecology_environment": "生态环境局",
    "tax": "税务局",
    "business_environment": "营商环境建设局",
}
# Convenes the joint meeting when no candidate department takes an issue.
CONVENER = "business_environment"


@dataclass(frozen=True, kw_only=True)
class Category:
    code: str
    display_name: str
    # Departments that may be responsible, most likely first.
    candidates: tuple[str, ...]
    assisting: tuple[str, ...] = ()
    difficulty: str = "ORDINARY"


CATEGORIES = {
    c.code: c
    for c in (
        Category(code="financing", display_name="融资难", candidates=("financial_affairs",)),
        Category(code="employment", display_name="用工", candidates=("human_resources",)),
        Category(
            code="approval",
            display_name="审批",
            candidates=("administrative_approval", "housing", "market_regulation"),
        ),
        Category(
            code="policy_fulfilment",
            display_name="政策兑现",
            candidates=("economy_information", "commerce"),
            assisting=("finance",),
            difficulty="CROSS_DEPARTMENT",
        ),
        Category(
            code="utilities",
            display_name="水电气",
            candidates=("housing", "development_reform"),
            assisting=("development_reform",),
            difficulty="CROSS_DEPARTMENT",
        ),
        Category(code="intellectual_property", display_name="知识产权", candidates=("market_regulation",)),
        Category(code="logistics", display_name="物流", candidates=("transport", "postal", "commerce")),
        Category(
            code="arrears",
            display_name="拖欠账款",
            candidates=("economy_information",),
            assisting=("finance",),
            difficulty="CROSS_DEPARTMENT",
        ),
        Category(
            code="land",
            display_name="用地",
            candidates=("natural_resources",),
            assisting=("housing",),
            difficulty="CROSS_DEPARTMENT",
        ),
        Category(code="environment", display_name="环保", candidates=("ecology_environment",)),
        Category(code="tax", display_name="税费", candidates=("tax",)),
    )
}


@dataclass(frozen=True, kw_only=True)
class Assignment:
    mode: str  # SINGLE, LEAD_ASSIST or JOINT_MEETING
    lead: str
    assisting: tuple[str, ...]
    tier: str
    reason: str


def department_name(code: str, tier: str | None = None) -> str:
    name = DEPARTMENTS.get(code, code)
    return f"{TIER_NAMES[tier]}{name}" if tier else name


def category_name(code: str) -> str:
    return CATEGORIES[code].display_name if code in CATEGORIES else code


def category(code: str) -> Category:
    try:
        return CATEGORIES[code]
    except KeyError:
        raise ValueError(f"unknown issue category {code!r}; known: {', '.join(CATEGORIES)}") from None


def difficulty_of(category_code: str, stated: str | None) -> str:
    """The intake's judgement when it made one, else the category's usual difficulty."""
    return stated or category(category_code).difficulty


def assign(
    category_code: str,
    tier: str,
    difficulty: str,
    *,
    objected: Sequence[str] = (),
    suggested: str | None = None,
) -> Assignment:
    """The assignment for an issue, skipping departments that objected to it before."""
    cat = category(category_code)
    remaining = [c for c in cat.candidates if c not in objected]
    if suggested and suggested in DEPARTMENTS and suggested not in objected:
        remaining = [suggested, *(c for c in remaining if c != suggested)]
    if not remaining:
        involved = tuple(dict.fromkeys([*objected, *cat.assisting]))
        return Assignment(
            mode="JOINT_MEETING",
            lead=CONVENER,
            assisting=involved,
            tier="CITY",
            reason=f"承办单位均提出异议，由{department_name(CONVENER)}召集联席会议",
        )
    lead = remaining[0]
    assisting = tuple(a for a in cat.assisting if a != lead)
    if difficulty == "HARD":
        return Assignment(
            mode="JOINT_MEETING",
            lead=lead,
            assisting=assisting,
            tier="CITY",
            reason=f"疑难问题（{cat.display_name}），提交市级联席会议",
        )
    mode = "LEAD_ASSIST" if difficulty == "CROSS_DEPARTMENT" and assisting else "SINGLE"
    if mode == "SINGLE":
        assisting = ()
    why = f"按类别“{cat.display_name}”分派，{MODES[mode]}"
    if suggested == lead:
        why = f"按异议建议改派{department_name(lead)}"
    elif objected:
        why = f"原承办单位异议，改派{department_name(lead)}"
    return Assignment(mode=mode, lead=lead, assisting=assisting, tier=tier, reason=why)
