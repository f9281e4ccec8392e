"""An issue's whole history, readable: every event, who acted, when, and why."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from streams.calendar import CHINA
from streams.events import Event
from streams.issues import model as m
from streams.issues.deadlines import load_book
from streams.issues.machine import INPUTS, IssueMachine, State
from streams.issues.routing import DEPARTMENTS, category_name, department_name
from streams.terminal import pad
from streams.tracker import from_millis, millis

VERBS = {
    m.RAISED: "提出诉求",
    m.ACCEPTED: "受理",
    m.MERGED: "合并",
    m.ASSIGNED: "分派",
    m.OBJECTED: "提出异议",
    m.HANDLING_STARTED: "签收办理",
    m.INTERIM_REPLIED: "阶段性答复",
    m.EXTENSION_REQUESTED: "申请延期",
    m.EXTENSION_GRANTED: "批准延期",
    m.ANSWERED: "答复企业",
    m.RATED: "评价",
    m.CLOSE_REQUESTED: "申请办结",
    m.CLOSED: "办结",
    m.REOPENED: "重新办理",
    m.OVERDUE: "逾期",
    m.ESCALATED: "升级督办",
    m.STUCK: "预警",
    m.FOLLOWED_UP: "回访",
    m.REFUSED: "不予同意",
}


def when(value: datetime | int | None) -> str:
    if value is None:
        return "—"
    return from_millis(millis(value)).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def current_state(events: list[Event]) -> State | None:
    """The issue's state now: its input events folded through the state machine again."""
    machine, state = IssueMachine(load_book()), None
    for event in sorted(events, key=lambda e: millis(e.envelope["occurred_at"])):
        if event.type in INPUTS:
            state, _ = machine.apply(state, event)
    return state


def _dept(code: str | None, tier: str | None = None) -> str:
    return department_name(code, tier) if code else "—"


def who(event: Event, names: Mapping[str, str]) -> str:
    payload = event.payload
    if event.type == m.RAISED:
        return payload["enterprise_name"]
    if event.type == m.RATED:
        return "企业"
    for field in ("department", "requested_by"):
        if payload.get(field) in DEPARTMENTS:
            return department_name(payload[field])
    return names.get(event.producer) or m.PRODUCER_NAMES.get(event.producer, event.producer)


def why(event: Event) -> str:
    """The event's content in one line of Chinese."""
    p: dict[str, Any] = event.payload
    kind = event.type
    if kind == m.RAISED:
        tags = f"［{'、'.join(p['tags'])}］" if p["tags"] else ""
        return (
            f"{m.CHANNELS[p['channel']]} · {category_name(p['category'])} · {m.TIER_NAMES[p['tier']]}级"
            f"{tags}：“{p['description']}”"
        )
    if kind == m.ACCEPTED:
        return "进入企业诉求问题池"
    if kind == m.MERGED:
        if p["duplicate_issue_id"] == event.case_id:
            return f"与 {p['surviving_issue_id']} 为同一问题（相似度 {p['similarity']:.2f}），并入该问题"
        return f"{p['duplicate_issue_id']}（{m.CHANNELS[p['channel']]}）重复反映，已并入本问题"
    if kind == m.ASSIGNED:
        helpers = "、".join(_dept(a) for a in p["assisting_departments"])
        return (
            f"第{p['round']}次：{m.MODES[p['mode']]}，承办 {_dept(p['lead_department'], p['tier'])}"
            + (f"，协办 {helpers}" if helpers else "")
            + f"；{p['reason']}；答复时限 {when(p['reply_by'])}，办结时限 {when(p['resolve_by'])}"
        )
    if kind == m.OBJECTED:
        suggested = (
            f"（建议由{_dept(p['suggested_department'])}办理）" if p.get("suggested_department") else ""
        )
        return f"{p['reason']}{suggested}"
    if kind == m.HANDLING_STARTED:
        return p["handler"]
    if kind == m.INTERIM_REPLIED:
        return p["message"]
    if kind == m.EXTENSION_REQUESTED:
        return f"延期{p['working_days']:g}个工作日：{p['reason']}"
    if kind == m.EXTENSION_GRANTED:
        return f"办结时限 {when(p['previous_deadline'])} → {when(p['new_deadline'])}"
    if kind == m.ANSWERED:
        evidence = "、".join(p["evidence"]) or "无"
        return f"{m.RESOLUTIONS[p['resolution']]}：{p['answer']}；证据：{evidence}"
    if kind == m.RATED:
        return f"{m.RATINGS[p['rating']]}" + (f"：{p['comment']}" if p["comment"] else "")
    if kind == m.CLOSE_REQUESTED:
        return p["note"] or "申请办结"
    if kind == m.CLOSED:
        timing = "按时办结" if p["on_time"] else "超期办结"
        return f"{timing}，用时 {p['working_days']:.1f} 个工作日，评价“{m.RATINGS[p['rating']]}”"
    if kind == m.REOPENED:
        return f"{p['reason']}；整改时限 {when(p['fix_by'])}"
    if kind == m.OVERDUE:
        return f"{m.STAGES[p['stage']]}时限 {when(p['deadline'])} 已过，转督办"
    if kind in (m.ESCALATED, m.STUCK):
        return p["reason"]
    if kind == m.FOLLOWED_UP:
        return f"{m.FOLLOW_UP_METHODS[p['method']]}：{p['outcome']}"
    if kind == m.REFUSED:
        actor = _dept(p["by"]) if p["by"] in DEPARTMENTS else p["by"]
        return f"{m.ACTIONS[p['action']]}（{actor}）：{'；'.join(p['reasons'])}"
    return ""


def describe_issue(issue_id: str, events: list[Event], names: Mapping[str, str] | None = None) -> list[str]:
    """Lines for a terminal: a header, then one line per event in the order they occurred."""
    names = names or {}
    events = sorted(events, key=lambda e: millis(e.envelope["occurred_at"]))
    state = current_state(events)
    lines = [f"涉企问题 {issue_id}"]
    if state and state["status"]:
        lines.append(
            f"  {state['enterprise_name']}（{state['uscc']}）· {category_name(state['category'])} · "
            f"{m.CHANNELS.get(state['channel'], state['channel'])} · 状态：{m.STATUS_NAMES[state['status']]}"
        )
    for event in events:
        lines.append(
            f"  {when(event.envelope['occurred_at'])}  {pad(who(event, names), 26)} "
            f"{pad(VERBS.get(event.type, event.type), 10)} {why(event)}"
        )
    return lines
