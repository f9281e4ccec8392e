"""The figures the platform measures on its own cases, per flow: what `onething report` and a
dashboard put next to the figures governments published.

Pure: a fold over decoded events (type + payload + case id), no broker. Cases are counted by case
id, so an event read twice (a redelivery) counts once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from streams.channels import ONLINE_CHANNELS
from streams.events import Event
from streams.flows import Flow

COMPLETED, REJECTED = "CaseCompleted", "CaseRejected"

# CaseCompleted payload field → the published figure it measures. Events written before these
# fields existed lack them: such a case counts as completed but adds nothing to the averages.
MEASURED_FIELDS = {
    "materials": "materials",
    "trips": "trips",
    "steps": "steps",
    "elapsed_working_days": "working_days",
    "submissions": "submissions",
}


@dataclass(frozen=True)
class Measured:
    """Averages over the completed cases that carry the figure; None when none does."""

    materials: float | None = None
    trips: float | None = None
    steps: float | None = None
    working_days: float | None = None
    submissions: float | None = None
    on_time: int = 0  # completed within the flow's SLA
    timed: int = 0  # completed cases that say whether they were on time
    # Over completed cases that record which matters were approved at once (earlier ones do not).
    instant: int = 0  # every matter approved at once, by data alone (秒办)
    instant_known: int = 0
    matters: int = 0
    instant_matters: int = 0  # of which approved at once


@dataclass(frozen=True)
class FlowMeasure:
    flow: str
    started: int
    completed: int
    rejected: int
    online: int  # applications submitted online, 掌上办 or 网上办 (一网通办)
    applications: int  # applications seen, the base of the online share
    measured: Measured
    departments: tuple[str, ...] = ()

    @property
    def open(self) -> int:
        return max(self.started - self.completed - self.rejected, 0)

    @property
    def online_rate(self) -> float | None:
        """一网通办率: share of applications submitted online."""
        return self.online / self.applications if self.applications else None

    @property
    def on_time_rate(self) -> float | None:
        return self.measured.on_time / self.measured.timed if self.measured.timed else None

    @property
    def instant_rate(self) -> float | None:
        """秒办 share: completed cases whose every matter was approved at once, by data alone."""
        return self.measured.instant / self.measured.instant_known if self.measured.instant_known else None

    @property
    def instant_matter_rate(self) -> float | None:
        """Share of the matters done that were approved at once."""
        m = self.measured
        return m.instant_matters / m.matters if m.matters else None


@dataclass
class _Tally:
    applications: dict[str, str] = field(default_factory=dict)  # case id → channel
    # Cases another department's fact started: nobody applied, so no channel counts.
    started_by_event: set[str] = field(default_factory=set)
    completed: dict[str, dict[str, Any]] = field(default_factory=dict)  # case id → payload
    rejected: set[str] = field(default_factory=set)


def measure(events: Iterable[Event], flows: Sequence[Flow]) -> dict[str, FlowMeasure]:
    """Per flow name: cases started, completed, rejected, the online share and measured figures.

    Every declared flow appears, with zeros when it has no case yet; a flow named only by case
    outcomes (declared elsewhere) appears too.
    """
    by_application = {f.application: f for f in flows}
    tallies: dict[str, _Tally] = {f.name: _Tally() for f in flows}
    for event in events:
        if flow := by_application.get(event.type):
            tally = tallies[flow.name]
            if flow.starts_with_application:
                tally.applications.setdefault(event.case_id, str(event.payload.get("channel") or ""))
            else:
                tally.started_by_event.add(event.case_id)
        elif event.type == COMPLETED:
            tally = tallies.setdefault(event.payload["flow"], _Tally())
            tally.completed.setdefault(event.case_id, event.payload)
        elif event.type == REJECTED:
            tallies.setdefault(event.payload["flow"], _Tally()).rejected.add(event.case_id)
    return {name: _summarise(name, tally) for name, tally in tallies.items()}


def _summarise(name: str, tally: _Tally) -> FlowMeasure:
    cases = set(tally.applications) | tally.started_by_event | set(tally.completed) | tally.rejected
    return FlowMeasure(
        flow=name,
        started=len(cases),
        completed=len(tally.completed),
        rejected=len(tally.rejected - set(tally.completed)),
        online=sum(channel in ONLINE_CHANNELS for channel in tally.applications.values()),
        applications=len(tally.applications),
        measured=_measured(list(tally.completed.values())),
        departments=tuple(sorted({d for p in tally.completed.values() for d in p.get("departments") or ()})),
    )


def _measured(completions: list[dict[str, Any]]) -> Measured:
    averages = {}
    for source, figure in MEASURED_FIELDS.items():
        values = [float(p[source]) for p in completions if p.get(source) is not None]
        averages[figure] = fmean(values) if values else None
    timed = [bool(p["on_time"]) for p in completions if p.get("on_time") is not None]
    known = [p for p in completions if p.get("instant_matters") is not None]
    return Measured(
        **averages,
        on_time=sum(timed),
        timed=len(timed),
        instant=sum(1 for p in known if set(p["instant_matters"]) >= set(p["matters"])),
        instant_known=len(known),
        matters=sum(len(p["matters"]) for p in known),
        instant_matters=sum(len(p["instant_matters"]) for p in known),
    )


def overall_online_rate(measures: Iterable[FlowMeasure]) -> float | None:
    """一网通办率 across every flow: the platform-wide figure the 85 % target is about."""
    measures = list(measures)
    applications = sum(m.applications for m in measures)
    return sum(m.online for m in measures) / applications if applications else None
