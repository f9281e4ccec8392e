"""Simulated applicants: realistic applications for every flow, published like real ones.

Each flow declares `sample(rng)`, which makes one varied application; a `FaultPlan` per flow decides
which of them miss a material or break a rule, so a simulation runs every branch and each flow's
rejection share is the plan's. The applicant is the subject: the enterprise's
USCC or the citizen's token found in the application.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from random import Random
from typing import Any

from streams import assistance
from streams.clock import using
from streams.contracts import default_catalog
from streams.eventlog import EventLog
from streams.events import Event
from streams.flows import Flow
from streams.identifiers import is_valid_uscc
from streams.samples import FaultPlan, planned
from streams.service_desk import ServiceDesk, new_case_id
from streams.tracker import CASE_COMPLETED, CASE_OUTCOMES, CASE_REJECTED

STATUS = {CASE_COMPLETED: "completed", CASE_REJECTED: "rejected"}


class SimulationError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SimulatedCase:
    flow: str
    application: Event


def applicant_of(payload: dict[str, Any]) -> str:
    """The subject of an application: the first USCC or citizen token among its fields."""
    for value in payload.values():
        if isinstance(value, str) and (value.startswith("ct_") or is_valid_uscc(value)):
            return value
    raise SimulationError("the application names no USCC or citizen token to be its subject")


def pick_flows(flows: Iterable[Flow], name: str) -> list[Flow]:
    flows = list(flows)
    chosen = flows if name == "all" else [f for f in flows if f.name == name]
    if not chosen:
        raise SimulationError(f"unknown flow {name!r}; known: all, {', '.join(f.name for f in flows)}")
    missing = [f.name for f in chosen if f.sample is None]
    if missing:
        raise SimulationError(f"flow {', '.join(missing)} declares no sample application")
    return chosen


def submit_cases(
    desk: ServiceDesk, flows: list[Flow], *, cases: int, rate: float | None = None, seed: int | None = None
) -> list[SimulatedCase]:
    """Publish ``cases`` applications per flow, interleaved, at most ``rate`` per second."""
    rng = Random(seed)
    plans = {flow.name: FaultPlan(rng) for flow in flows}
    submitted = []
    for _ in range(cases):
        for flow in flows:
            # Dated by the clock that stamps the application, which a simulation runs fast.
            with using(desk.clock), planned(plans[flow.name].next()):
                payload = flow.sample(rng)
            case_id = new_case_id(flow_prefix(flow))
            if flow.started_by:  # another department's fact starts it: no applicant, no channel
                event = desk.submit(
                    flow.application,
                    payload,
                    subject=applicant_of(payload),
                    case_id=case_id,
                    producer=flow.started_by,
                )
                submitted.append(SimulatedCase(flow.name, event))
                continue
            drawn = assistance.Drawn()
            if assistance.recorded_by(default_catalog()[flow.application]):
                drawn = assistance.draw(rng, flow.audience)
            payload = drawn.apply(payload)
            if drawn.receiving_city:  # 跨域办: another city's desk received it and hands it over
                _, event = assistance.submit_handed_over(
                    desk,
                    flow.application,
                    payload | {"channel": "COUNTER"},
                    subject=applicant_of(payload),
                    receiving_city=drawn.receiving_city,
                    receiving_desk=assistance.REMOTE_DESKS[drawn.receiving_city],
                    case_id=case_id,
                )
            else:
                event = desk.submit(flow.application, payload, subject=applicant_of(payload), case_id=case_id)
            submitted.append(SimulatedCase(flow.name, event))
            if rate:
                time.sleep(1 / rate)
    return submitted


def case_ids(cases: list[SimulatedCase]) -> dict[str, list[str]]:
    """The case ids started, per flow, in the order they were submitted."""
    ids: dict[str, list[str]] = {}
    for case in cases:
        ids.setdefault(case.flow, []).append(case.application.case_id)
    return ids


# More ids than this are not worth a screen; `onething cases list` shows them instead.
IDS_SHOWN = 20


def submitted_lines(cases: list[SimulatedCase]) -> list[str]:
    """What a person sees once the applications are in: the case ids, or how to list them."""
    lines = [f"submitted {len(cases)} applications; waiting for `onething run` to finish them…"]
    if len(cases) <= IDS_SHOWN:
        lines += [f"  {flow}: {' '.join(ids)}" for flow, ids in case_ids(cases).items()]
    else:
        lines.append(f"  `onething cases list --limit {len(cases)}` lists their case ids")
    lines.append("  `onething cases show CASE_ID` shows one case's events")
    return lines


def flow_prefix(flow: Flow) -> str:
    return "".join(part[0] for part in flow.name.split("_")).upper()


def wait_for_outcomes(event_log: EventLog, cases: list[SimulatedCase], timeout: float) -> bool:
    return event_log.wait_until(lambda: all(outcome(event_log, c) is not None for c in cases), timeout)


def outcome(event_log: EventLog, case: SimulatedCase) -> Event | None:
    return next((e for e in event_log.events(case.application.case_id) if e.type in CASE_OUTCOMES), None)


def case_summary(event_log: EventLog, cases: list[SimulatedCase]) -> dict[str, Any]:
    """Counts over the simulated cases, overall and per flow, from the events the platform emitted."""
    totals: Counter[str] = Counter()
    per_flow: dict[str, Counter[str]] = {}
    working_days: dict[str, list[float]] = {}
    for case in cases:
        result = outcome(event_log, case)
        status = STATUS.get(result.type if result else "", "open")
        for counter in (totals, per_flow.setdefault(case.flow, Counter())):
            counter["started"] += 1
            counter[status] += 1
        if result is not None and result.type == CASE_COMPLETED:
            working_days.setdefault(case.flow, []).append(result.payload.get("elapsed_working_days", 0.0))
            per_flow[case.flow]["on_time"] += int(result.payload.get("on_time", True))
    keys = ("started", "completed", "rejected", "open")
    flows = {
        name: {
            **{k: counts[k] for k in (*keys, "on_time")},
            "average_working_days": round(sum(days) / len(days), 3)
            if (days := working_days.get(name))
            else None,
        }
        for name, counts in sorted(per_flow.items())
    }
    return {"cases": {k: totals[k] for k in keys}, "flows": flows}


def _average(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None
