"""What each dashboard page shows, as plain JSON-ready data, folded from the event log.

Pure functions over decoded events: the same folds `onething report`, `cases show` and
`issues show` use (measure, report_data, describe, the issue history), arranged for the pages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from streams.bundles import Bundle
from streams.commands import service_report
from streams.commands.flowgraph import flow_graph
from streams.commands.measure import measure
from streams.commands.report import report_data
from streams.dashboard.cases import STATES, CaseView
from streams.demo import describe
from streams.eventlog import DeadLetterRecord
from streams.events import Event
from streams.flows import Flow, FlowMap
from streams.issues import issue_summary
from streams.issues import model as m
from streams.issues.history import VERBS, current_state, who, why
from streams.issues.machine import current_deadline
from streams.issues.routing import category_name, department_name
from streams.tracker import millis

# Rows a list shows at most: the page stays fast with a long log; the newest come first.
LIST_LIMIT = 200


def overview(views: Sequence[CaseView], flows: Sequence[Flow]) -> dict[str, Any]:
    """Cases in flight per flow and state, and the latest cases to click through."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for view in views:
        counts[view.flow][view.state] += 1
    return {
        "states": list(STATES),
        "totals": {state: sum(c[state] for c in counts.values()) for state in STATES},
        "flows": [
            {"name": f.name, "display_name": f.display_name, **{s: counts[f.name][s] for s in STATES}}
            for f in flows
        ],
        "cases": [case_row(v, flows) for v in views[:LIST_LIMIT]],
    }


def case_row(view: CaseView, flows: Sequence[Flow]) -> dict[str, Any]:
    names = {f.name: f.display_name for f in flows}
    return {
        "case_id": view.case_id,
        "flow": view.flow,
        "flow_name": names.get(view.flow, view.flow),
        "state": view.state,
        "started": view.started,
        "due": view.due,
        "ended": view.ended,
        "escalated": view.escalated,
        "holders": sorted({h.department for h in view.holdings if h.started and not h.ended}),
    }


def departments(views: Sequence[CaseView], names: Mapping[str, str], now: datetime) -> dict[str, Any]:
    """Per department: backlog (matters held now), throughput (matters finished), SLA, overdue list."""
    now_ms = millis(now)
    rows: dict[str, dict[str, Any]] = {}
    overdue = []
    for view in views:
        for h in view.holdings:
            if h.started is None:
                continue
            row = rows.setdefault(
                h.department,
                {
                    "department": h.department,
                    "name": names.get(h.department, h.department),
                    "backlog": 0,
                    "done": 0,
                    "on_time": 0,
                    "late": 0,
                    "overdue": 0,
                    "working_days": [],
                },
            )
            if h.ended is None and view.open:
                row["backlog"] += 1
                if h.due is not None and now_ms > h.due:
                    row["overdue"] += 1
                    overdue.append(
                        {
                            "case_id": view.case_id,
                            "flow": view.flow,
                            "matter": h.matter,
                            "department": h.department,
                            "name": row["name"],
                            "started": h.started,
                            "due": h.due,
                            "late_working_days": h.held_working_days(now_ms),
                        }
                    )
            elif h.ended is not None:
                row["done"] += 1
                row["late" if h.late else "on_time"] += 1
                row["working_days"].append(h.held_working_days(now_ms) or 0.0)
    for row in rows.values():
        days = row.pop("working_days")
        finished = row["on_time"] + row["late"]
        row["sla_rate"] = row["on_time"] / finished if finished else None
        row["average_working_days"] = round(sum(days) / len(days), 2) if days else None
    return {
        "departments": sorted(rows.values(), key=lambda r: (-r["overdue"], -r["backlog"], r["department"])),
        "overdue": sorted(overdue, key=lambda o: o["due"])[:LIST_LIMIT],
    }


def flow_maps(views: Sequence[CaseView], flow_map: FlowMap, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each flow's declared graph with live counts: cases that reached each matter, and held it now."""
    reached: Counter = Counter()
    held: Counter = Counter()
    done: Counter = Counter()
    cases: Counter = Counter()
    for view in views:
        cases[view.flow] += 1
        for h in view.holdings:
            if h.started is not None:
                reached[(view.flow, h.matter)] += 1
                if h.ended is None and view.open:
                    held[(view.flow, h.matter)] += 1
                elif h.ended is not None and not h.rejected:
                    done[(view.flow, h.matter)] += 1
    maps = []
    for flow in flow_map.flows.values():
        graph = flow_graph(flow, flow_map.matters)
        nodes = [
            {
                "id": flow.application,
                "kind": "application",
                "label": flow.display_name,
                "count": cases[flow.name],
            }
        ]
        nodes += [
            {
                "id": matter.key,
                "kind": "matter",
                "label": matter.display_name,
                "department": matter.department,
                "department_name": names.get(matter.department, matter.department),
                "held": held[(flow.name, matter.key)],
                "done": done[(flow.name, matter.key)],
            }
            for matter in graph.matters
        ]
        edges = [
            {
                "source": e.source,
                "target": e.target,
                "event": e.event,
                "count": reached[(flow.name, e.target)],
            }
            for e in graph.edges
        ]
        maps.append({"name": flow.name, "display_name": flow.display_name, "nodes": nodes, "edges": edges})
    return maps


def case_timeline(
    case_id: str, events: list[Event], view: CaseView | None, names: Mapping[str, str], now: datetime
) -> dict[str, Any]:
    """Who held the case, when, for how long, and which deadline was lost where."""
    events = sorted(events, key=lambda e: millis(e.envelope["occurred_at"]))
    by_id = {e.event_id: e for e in events}
    now_ms = millis(now)
    holdings = []
    for h in view.holdings if view else ():
        lost = h.late or (
            h.ended is None and h.due is not None and now_ms > h.due and bool(view and view.open)
        )
        holdings.append(
            {
                "matter": h.matter,
                "department": h.department,
                "name": names.get(h.department, h.department),
                "started": h.started,
                "due": h.due,
                "ended": h.ended,
                "rejected": h.rejected,
                "working_days": h.held_working_days(now_ms),
                "deadline_lost": lost,
            }
        )
    return {
        "case_id": case_id,
        "case": None if view is None else {k: v for k, v in case_row(view, []).items() if k != "flow_name"},
        "holdings": holdings,
        "events": [
            {
                "at": millis(e.envelope["occurred_at"]),
                "type": e.type,
                "producer": e.producer,
                "who": names.get(e.producer, e.producer),
                "cause": by_id[e.causation_id].type if e.causation_id in by_id else None,
                "reasons": list(e.payload.get("reasons") or ()) if e.type == "MatterRejected" else [],
                "reason": e.payload.get("reason") if e.type == "CaseEscalated" else None,
            }
            for e in events
        ],
        "text": describe(events, dict(names)) if events else [],
    }


def issue_ids(grouped: Mapping[str, list[Event]]) -> list[str]:
    return [case_id for case_id, events in grouped.items() if any(e.type == m.RAISED for e in events)]


def issue_board(grouped: Mapping[str, list[Event]], now: datetime) -> dict[str, Any]:
    """The enterprise issue board: overdue and escalated first, then the newest."""
    now_ms = millis(now)
    rows = []
    for issue_id in issue_ids(grouped):
        events = grouped[issue_id]
        state = current_state(events)
        if state is None or state["status"] is None:
            continue
        deadline = current_deadline(state)
        escalated = any(e.type == m.ESCALATED for e in events)
        overdue = state["status"] in (m.S_OVERDUE, m.S_ESCALATED) or (
            deadline is not None and now_ms > deadline.at
        )
        rows.append(
            {
                "issue_id": issue_id,
                "enterprise": state["enterprise_name"],
                "status": state["status"],
                "status_name": m.STATUS_NAMES.get(state["status"], state["status"]),
                "category": state["category"],
                "category_name": category_name(state["category"]),
                "channel": state["channel"],
                "channel_name": m.CHANNELS.get(state["channel"], state["channel"]),
                "department": state["lead"],
                "department_name": department_name(state["lead"]) if state["lead"] else None,
                "tier": state["tier"],
                "raised": millis(state["raised_at"]) if state["raised_at"] else None,
                "deadline": deadline.at if deadline else None,
                "stage": deadline.stage if deadline else None,
                "overdue": overdue and state["status"] not in m.FINAL_STATUSES,
                "escalated": escalated,
                "open": state["status"] not in m.FINAL_STATUSES,
            }
        )
    rows.sort(key=lambda r: (not r["overdue"], not r["escalated"], not r["open"], -(r["raised"] or 0)))
    summary = issue_summary({i: grouped[i] for i in issue_ids(grouped)})
    return {
        "by_state": dict(Counter(r["status"] for r in rows)),
        "state_names": m.STATUS_NAMES,
        "by_department": dict(Counter(r["department_name"] or "—" for r in rows if r["open"])),
        "by_channel": dict(Counter(r["channel_name"] for r in rows)),
        "figures": {k: v for k, v in summary.items() if not isinstance(v, dict)},
        "issues": rows[:LIST_LIMIT],
    }


def issue_timeline(issue_id: str, events: list[Event], names: Mapping[str, str]) -> dict[str, Any]:
    events = sorted(events, key=lambda e: millis(e.envelope["occurred_at"]))
    state = current_state(events)
    return {
        "issue_id": issue_id,
        "enterprise": state["enterprise_name"] if state else None,
        "status": state["status"] if state else None,
        "status_name": m.STATUS_NAMES.get(state["status"], "") if state and state["status"] else None,
        "events": [
            {
                "at": millis(e.envelope["occurred_at"]),
                "type": e.type,
                "who": who(e, names),
                "verb": VERBS.get(e.type, e.type),
                "what": why(e),
            }
            for e in events
        ],
    }


def dead_letters(letters: Iterable[DeadLetterRecord], total: int | None = None) -> dict[str, Any]:
    """The latest dead letters; ``total`` counts every one read, held or not."""
    rows = [
        {
            "key": (letter.key or b"").decode(errors="replace"),
            "kind": letter.headers.get("x-dead-letter-kind"),
            "reason": letter.headers.get("x-dead-letter-reason"),
            "agent": letter.headers.get("x-dead-letter-agent"),
            "topic": letter.headers.get("x-source-topic"),
            "partition": letter.headers.get("x-source-partition"),
            "offset": letter.headers.get("x-source-offset"),
        }
        for letter in letters
    ]
    rows.reverse()  # newest first
    return {
        "total": len(rows) if total is None else total,
        "by_kind": dict(Counter(r["kind"] or "?" for r in rows)),
        "by_agent": dict(Counter(r["agent"] or "?" for r in rows)),
        "letters": rows[:LIST_LIMIT],
    }


def report(
    events: Sequence[Event],
    flows: Sequence[Flow],
    *,
    bundles: Sequence[Bundle] = (),
    coverage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`onething report --json`: the government's before/after table next to the measured figures,
    and the service measures (channels, 一网通办率, 秒办, 帮代办, 跨域办, 一类事, 15分钟办事圈)."""
    data = report_data(measure(events, flows), flows)
    return service_report.extend(data, events, flows, bundles=bundles, coverage=coverage)
