"""`onething demo`: every flow and the enterprise issue loop on the real broker.

Three restaurant applications are shown as timelines first; then simulated applicants use every
flow, chains request each 一类事 bundle and enterprises raise issues, on a clock running a working day
a second, until all end.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from random import Random
from typing import Any

from streams import discovery
from streams.bundle_intake import BundleSubmission, submit_samples
from streams.bundles import BUNDLE_COMPLETED
from streams.commands.service_report import bundle_figures
from streams.config import Settings
from streams.eventlog import EventLog
from streams.events import Event
from streams.identifiers import tokenize_citizen_id
from streams.preflight import check_demo_can_start
from streams.service_desk import ServiceDesk
from streams.service_notes import notes
from streams.simulate import SimulatedCase, case_summary, outcome, pick_flows, submit_cases
from streams.startup import Connection, connect
from streams.terminal import pad, width
from streams.tracker import CASE_OUTCOMES
from streams.worker_process import WorkerProcess

EVERY_MATERIAL = [
    "business_premises_proof",
    "legal_representative_id",
    "food_safety_management_system",
    "kitchen_layout",
]
APPLICATIONS = [
    ("老宁波海鲜楼", 420.0, 18, "老宁波海鲜楼", EVERY_MATERIAL),
    ("阿娘面馆", 120.0, 4, None, EVERY_MATERIAL),
    ("鼓楼小笼包", 60.0, 3, "小笼包", EVERY_MATERIAL[:2]),
]


def restaurant_application(
    name: str, area: float, staff: int, signboard: str | None, materials: list[str]
) -> dict:
    return {
        "business_name": name,
        # The identity number is tokenized before it leaves the desk.
        "legal_representative": tokenize_citizen_id("330203199001011234"),
        "address": "浙江省宁波市海曙区中山西路 1 号",
        "premises_area_m2": area,
        "staff_count": staff,
        "signboard_text": signboard,
        "channel": "ONLINE",
        "materials": materials,
    }


def duration(seconds: float) -> str:
    """Platform-clock time, readable whether the clock runs at real speed or a day a second."""
    if seconds < 60:
        return f"{seconds:.2f}s"
    minutes = int(seconds // 60)
    if minutes < 60 * 24:
        return f"{minutes // 60}h{minutes % 60:02d}m"
    return f"{minutes // (60 * 24)}d{minutes // 60 % 24:02d}h"


def describe(events: list[Event], names: dict[str, str]) -> list[str]:
    by_id = {e.event_id: e for e in events}
    start = events[0].envelope["occurred_at"]
    lines = []
    column = max(width(names.get(e.producer, e.producer)) for e in events)
    for event in events:
        offset = duration((event.envelope["occurred_at"] - start).total_seconds())
        producer = names.get(event.producer, event.producer)
        cause = by_id.get(event.causation_id or "")
        because = f"  ← {cause.type}" if cause else ""
        lines.append(f"  +{pad(offset, 7)} {pad(producer, column)} {event.type}{because}")
        if event.type == "MatterRejected":
            lines.append(f"           一次告知: {'；'.join(event['reasons'])}")
        lines += [f"           {note}" for note in notes(event)]  # channel, 帮代办, 跨域办, 一类事
    return lines


# A working day in about a second: deadlines, escalations and reopened issues happen while you watch.
DEMO_CLOCK_SPEED = 86400.0
# Applications a second: what one worker on a two-core machine keeps up with across every flow.
DEMO_RATE = 10.0


@dataclass
class DemoRun:
    """What one demo run started, so its summary counts only its own cases and issues."""

    cases: list[SimulatedCase] = field(default_factory=list)
    bundles: list[BundleSubmission] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    def bundle_cases(self) -> list[str]:
        """Every bundle request's case id and its members' case ids."""
        return [case for b in self.bundles for case in (b.case_id, *(m.case_id for m in b.members.values()))]


def run_demo(
    settings: Settings,
    *,
    timeout: float,
    once: bool,
    as_json: bool,
    cases: int,
    issues: int,
    bundles: int = 1,
    seed: int | None = None,
    rate: float | None = None,
) -> int:
    # Departments take their matters' handling times, so working days and on-time rates mean something.
    settings = replace(settings, clock_speed=DEMO_CLOCK_SPEED, clock_origin=time.time(), handling_times=True)
    say = (lambda *_: None) if as_json else print
    check_demo_can_start(settings)  # before anything starts: name the busy port or running worker
    connection = connect(settings)
    worker_log = settings.state_dir / "demo-worker.log"
    # The demo tokenizes its made-up citizens with the public demo key, and says so.
    worker = WorkerProcess(log_path=worker_log, env=worker_env(settings), args=("--demo",))
    worker.start()
    worker.wait_ready()
    log = EventLog(connection)
    desk = ServiceDesk(connection)
    run = DemoRun()
    try:
        if not once:
            show_restaurant_timelines(desk, log, timeout)
        flows = pick_flows(discovery.flows(), "all")
        rate = rate or DEMO_RATE
        total = cases * len(flows)
        say(f"Sending {total} applications to {len(flows)} flows, {rate:g} a second ({total / rate:.0f} s)…")
        # Paced, as a city's applications come: a burst of thousands would queue, and on a clock
        # running a day a second the queue, not the departments, would make the working days.
        run.cases = submit_cases(desk, flows, cases=cases, rate=rate, seed=seed)
        # A seed of its own: the applications above stay the same with or without bundles.
        rng = Random(None if seed is None else seed + 1)
        run.bundles = submit_samples(desk, discovery.bundles(), flows, count=bundles, rng=rng)
        run.issues = start_issue_loop(connection, issues)
        say(
            f"Submitted {len(run.cases)} applications across {len(flows)} flows, {len(run.bundles)} 一类事 "
            f"bundle requests and {len(run.issues)} enterprise issues; clock at {DEMO_CLOCK_SPEED:g}× "
            "real time…"
        )
        finished = watch(log, run, timeout, live=not as_json)
        summary = summarize(log, run)
        if as_json:
            print(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            print_summary(summary)
        if not finished:
            print(f"Not everything ended within {timeout:.0f} s; worker log: {worker_log}", file=sys.stderr)
            return 1
        return 0
    finally:
        desk.close()
        log.close()
        worker.stop()


def watch(log: EventLog, run: DemoRun, timeout: float, *, live: bool) -> bool:
    """Wait until everything ended; when live, print progress as it happens."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if log.wait_until(lambda: everything_ended(log, run), min(2.0, deadline - time.monotonic())):
            return True
        if live and (line := progress(log, run)) != last:
            print(line)
            last = line
    return False


def progress(log: EventLog, run: DemoRun) -> str:
    ended = sum(1 for c in run.cases if outcome(log, c) is not None)
    line = f"  … {ended}/{len(run.cases)} cases ended"
    if run.bundles:
        line += f", {sum(bundle_ended(log, b) for b in run.bundles)}/{len(run.bundles)} bundles"
    if run.issues:
        from streams.issues import issue_summary

        issues = issue_summary({i: log.events(i) for i in run.issues})
        line += f", issues: {issues['closed']} closed, {issues['open']} open, {issues['escalated']} 督办"
    return line


def worker_env(settings: Settings) -> dict[str, str]:
    return {
        "ONETHING_CLOCK_SPEED": str(settings.clock_speed),
        "ONETHING_CLOCK_ORIGIN": str(settings.clock_origin),
        "ONETHING_HANDLING_TIMES": "1" if settings.handling_times else "0",
    }


def show_restaurant_timelines(desk: ServiceDesk, log: EventLog, timeout: float) -> None:
    names = display_names()
    submitted = []
    for name, area, staff, signboard, materials in APPLICATIONS:
        app = restaurant_application(name, area, staff, signboard, materials)
        event = desk.submit("RestaurantApplicationSubmitted", app, subject=app["legal_representative"])
        submitted.append((event, app))
    print(f"Submitted {len(submitted)} 开办餐饮店 applications (platform clock: a day a second)\n")

    def ended(case_id: str) -> bool:
        return any(e.type in CASE_OUTCOMES for e in log.events(case_id))

    log.wait_until(lambda: all(ended(c.case_id) for c, _ in submitted), timeout)
    for application_event, app in submitted:
        events = log.events(application_event.case_id)
        extras = ", signboard" if app["signboard_text"] else ""
        print(
            f"开办餐饮店 · {application_event.case_id} · {app['business_name']} "
            f"({app['premises_area_m2']:.0f} m²{extras})"
        )
        print("\n".join(describe(events, names)))
        outcome = next((e for e in events if e.type in CASE_OUTCOMES), None)
        print(f"  ⇒ {_verdict(outcome)}\n")


def display_names() -> dict[str, str]:
    from streams.issues.model import PRODUCER_NAMES

    names = {d.name: d.display_name for d in discovery.departments()}
    return PRODUCER_NAMES | names | {"service_center": "政务服务中心", "tracker": "闭环跟踪"}


def start_issue_loop(connection: Connection, count: int) -> list[str]:
    if not count:
        return []
    from streams.issues import simulate_issues

    return simulate_issues(connection, count=count, seed=None)


def bundle_ended(log: EventLog, bundle: BundleSubmission) -> bool:
    return any(e.type == BUNDLE_COMPLETED for e in log.events(bundle.case_id))


def everything_ended(log: EventLog, run: DemoRun) -> bool:
    if not wait_done(log, run.cases) or not all(bundle_ended(log, b) for b in run.bundles):
        return False
    if not run.issues:
        return True
    from streams.issues import issue_summary

    issues = issue_summary({i: log.events(i) for i in run.issues})
    # Closed is not the end of the loop: every closed issue also gets its follow-up call (回访).
    return issues["open"] == 0 and issues["follow_up_rate"] in (None, 1.0)


def wait_done(log: EventLog, cases: list[SimulatedCase]) -> bool:
    return all(outcome(log, c) is not None for c in cases)


def summarize(log: EventLog, run: DemoRun) -> dict[str, Any]:
    summary = case_summary(log, run.cases)
    events = [e for c in run.cases for e in log.events(c.application.case_id)]
    bundle_events = [e for case in run.bundle_cases() for e in log.events(case)]
    summary["bundles"] = bundle_figures(bundle_events, discovery.bundles()) if run.bundles else []
    events += bundle_events
    if run.issues:
        from streams.issues import issue_summary

        by_issue = {i: log.events(i) for i in run.issues}
        summary["issues"] = issue_summary(by_issue)
        events += [e for evs in by_issue.values() for e in evs]
    else:
        summary["issues"] = {"raised": 0, "closed": 0, "escalated": 0, "open": 0}
    unique = {e.event_id: e for e in events}.values()
    by_producer = Counter(e.producer for e in unique)
    names = display_names()
    summary["departments"] = {
        name: {"display_name": names.get(name, name), "events": count}
        for name, count in sorted(by_producer.items())
    }
    summary["events"] = len(unique)
    # Dead letters keep the record's key, the case or issue id: count this run's own.
    ours = {c.application.case_id.encode() for c in run.cases} | {i.encode() for i in run.issues}
    ours |= {case.encode() for case in run.bundle_cases()}
    summary["dead_lettered"] = sum(1 for letter in log.dead_letters if letter.key in ours)
    return summary


def print_summary(summary: dict[str, Any]) -> None:
    cases = summary["cases"]
    print(
        f"\n一件事 cases: {cases['started']} started, {cases['completed']} completed, "
        f"{cases['rejected']} rejected, {cases['open']} open"
    )
    for name, flow in summary["flows"].items():
        days = flow["average_working_days"]
        average = f"{days:.2f} working days" if days is not None else "-"
        print(
            f"  {pad(name, 34)} {flow['completed']:>3} done {flow['rejected']:>3} rejected "
            f"{flow['open']:>3} open  avg {average}"
        )
    for bundle in summary["bundles"]:
        print(
            f"  一类事 {pad(bundle['display_name'], 27)} {bundle['requested']:>3} requested "
            f"{bundle['completed']:>3} done {bundle['completed_with_refusals']:>3} with a refusal "
            f"{bundle['open']:>3} open"
        )
    if summary["issues"].get("raised"):
        from streams.issues.cli import render

        print("\n企业诉求 issues (涉企问题闭环):")
        print("\n".join(render(summary["issues"])))
    print(f"\n{summary['events']} events, {summary['dead_lettered']} dead-lettered")


def _verdict(outcome: Event | None) -> str:
    if outcome is None:
        return "still open"
    if outcome.type == "CaseCompleted":
        return f"办结 completed: {len(outcome['matters'])} matters"
    return f"不予办理 rejected at {outcome['matter']}: {'；'.join(outcome['reasons'])}"
