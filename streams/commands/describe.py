"""Departments, matters and flows as plain data and short text, shared by every listing and doc."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from streams.commands.declared import Declarations
from streams.conditions import Condition
from streams.department import REJECTED, Department, Matter
from streams.flows import Figures, Flow, Published

# The figures governments publish for an item, with the names they publish them under.
FIGURES: tuple[tuple[str, str], ...] = (
    ("materials", "申请材料"),
    ("trips", "跑动次数"),
    ("steps", "办理环节"),
    ("working_days", "办理时限(工作日)"),
    ("form_fields", "表单字段"),
)


def condition_text(when: Condition | None) -> str:
    """``premises_area_m2 > 300``; strings quoted so an empty one stays visible (``!= ""``)."""
    if when is None:
        return ""
    value = json.dumps(when.value, ensure_ascii=False) if isinstance(when.value, str) else when.value
    return f"{when.field} {when.op} {value}"


def number(value: float | None) -> str:
    """A figure for a table: whole numbers without decimals, unknown as a dash, and small ones kept
    visible (Shanghai's "10 minutes" is 0.0208 working days, not 0.0)."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def also_emits(matter: Matter) -> list[str]:
    """What the matter may publish besides its done event and the rejection every matter may send."""
    return [e for e in matter.emits if e not in (matter.done, REJECTED)]


def matter_info(matter: Matter) -> dict[str, Any]:
    return {
        "name": matter.name,
        "key": matter.key,
        "display_name": matter.display_name,
        # `trigger` stays for single-trigger readers; `triggers` (all of them) is always there.
        "trigger": None if matter.is_join else matter.trigger,
        "triggers": list(matter.triggers),
        "done": matter.done,
        "emits": list(matter.emits),
        "sla_working_days": matter.sla_working_days,
        "materials": list(matter.materials),
        "condition": condition_text(matter.when) or None,
    }


def department_info(department: Department) -> dict[str, Any]:
    return {
        "name": department.name,
        "display_name": department.display_name,
        "version": department.version,
        "matters": [matter_info(m) for m in department.matters],
    }


def figures_info(figures: Figures) -> dict[str, Any]:
    return asdict(figures)


def published_info(published: Published | None) -> dict[str, Any] | None:
    if published is None:
        return None
    return {
        "source": published.source,
        "before": figures_info(published.before),
        "after": figures_info(published.after),
    }


def flow_info(flow: Flow, declarations: Declarations) -> dict[str, Any]:
    matters = declarations.matters
    steps = []
    for step in flow.steps:
        matter = matters.get(step.matter)
        department = matter.department if matter else step.matter.partition(".")[0]
        steps.append(
            {
                "matter": step.matter,
                "after": list(step.after),
                "display_name": matter.display_name if matter else None,
                "department": department,
                "department_display_name": declarations.display_name(department),
                "condition": condition_text(matter.when) if matter and matter.when else None,
            }
        )
    return {
        "name": flow.name,
        "display_name": flow.display_name,
        "lead": flow.lead,
        "lead_display_name": declarations.display_name(flow.lead),
        "audience": flow.audience,
        "application": flow.application,
        # The department whose fact starts the case, for a flow nobody applies for; None otherwise.
        "started_by": flow.started_by,
        "sla_working_days": flow.sla_working_days,
        "steps": steps,
        "published": published_info(flow.published),
    }


def published_line(published: Published | None) -> str:
    """``四川: 申请材料 35 → 17 · 办理环节 17 → 2 · …``, naming only the figures that were published."""
    if published is None:
        return "no published figures"
    before, after = figures_info(published.before), figures_info(published.after)
    pairs = [
        f"{label} {number(before[field])} → {number(after[field])}"
        for field, label in FIGURES
        if before[field] is not None or after[field] is not None
    ]
    return f"{published.source}: {' · '.join(pairs)}"


def to_json(data: Any) -> str:
    """JSON as people read it: Chinese names as written, not escaped."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
