"""Service channels (网办优先、自助为辅、窗口兜底) and the figures measured on them.

Every application names the channel it came through; every enterprise issue names its intake
channel, which maps onto the same six. 一网通办率 counts the applications that came through the
one network's online channels (掌上办 and 网上办) among all applications (依申请办件), per flow and
per month (Beijing time) of the application, against Ningbo's 85 % target. 帮代办 (on someone's
behalf) and 跨域办 (received in another city) are counted as shares of the applications too.

Pure: folds over decoded events, no broker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from streams.calendar import CHINA
from streams.events import Event

# Code → display name, in the order of the service modes' slogan.
CHANNELS = {
    "MOBILE": "掌上办",
    "ONLINE": "网上办",
    "SELF_SERVICE": "自助终端",
    "COUNTER": "窗口",
    "NEARBY": "就近办",
    "HOTLINE": "热线办",
}
# 一网通办: submitted through the one network, by phone app or web portal, without a visit.
ONLINE_CHANNELS = frozenset({"MOBILE", "ONLINE"})
# The applicant goes somewhere: a counter, a nearby station, a self-service terminal.
IN_PERSON_CHANNELS = frozenset({"COUNTER", "NEARBY", "SELF_SERVICE"})
# 依申请政务服务事项"一网通办"率 ≥ 85% (Ningbo's 2024 plan).
ONLINE_TARGET = 0.85

# The issue loop's intake channels (streams/issues/model.py) as service channels.
ISSUE_CHANNELS = {
    "HOTLINE_12345": "HOTLINE",
    "SERVICE_CENTER": "COUNTER",
    "ONLINE_ZONE": "ONLINE",
    "RATING": "MOBILE",  # 好差评 is rated on the phone app or the portal, mostly the app
    "SURVEY": "NEARBY",  # officials visit the enterprise
    "MEETING": "NEARBY",
}
ISSUE_RAISED = "IssueRaised"


def service_channel_of_issue(intake: str) -> str:
    return ISSUE_CHANNELS.get(intake, intake)


def month_of(moment: datetime | int) -> str:
    """``YYYY-MM`` of a moment in Beijing time (a decoded envelope time, or milliseconds)."""
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(int(moment) / 1000, CHINA)
    return moment.astimezone(CHINA).strftime("%Y-%m")


def online_rate(channels: Iterable[str]) -> float | None:
    """一网通办率 of these applications' channels; None when there are none."""
    channels = list(channels)
    if not channels:
        return None
    return sum(c in ONLINE_CHANNELS for c in channels) / len(channels)


@dataclass(frozen=True, slots=True)
class Application:
    """What the service figures need of one application."""

    case_id: str
    channel: str
    month: str
    assisted: bool = False
    cross_region: bool = False


@dataclass
class ServiceFigures:
    """One flow's applications, seen through their channels."""

    applications: dict[str, Application] = field(default_factory=dict)  # by case id: counted once

    def add(self, application: Application) -> None:
        self.applications.setdefault(application.case_id, application)

    @property
    def mix(self) -> dict[str, int]:
        """Applications per channel, every channel listed."""
        counts = Counter(a.channel for a in self.applications.values())
        known = {code: counts.get(code, 0) for code in CHANNELS}
        return known | {code: n for code, n in sorted(counts.items()) if code not in CHANNELS}

    @property
    def online_rate(self) -> float | None:
        return online_rate(a.channel for a in self.applications.values())

    def by_month(self) -> dict[str, dict[str, Any]]:
        months: dict[str, list[str]] = {}
        for application in self.applications.values():
            months.setdefault(application.month, []).append(application.channel)
        return {
            month: {
                "applications": len(channels),
                "online": sum(c in ONLINE_CHANNELS for c in channels),
                "online_rate": online_rate(channels),
                "meets_target": (online_rate(channels) or 0.0) >= ONLINE_TARGET,
            }
            for month, channels in sorted(months.items())
        }

    def share(self, predicate: str) -> float | None:
        if not self.applications:
            return None
        return sum(getattr(a, predicate) for a in self.applications.values()) / len(self.applications)

    def to_dict(self) -> dict[str, Any]:
        count = len(self.applications)
        return {
            "channel_mix": self.mix,
            "online_rate": self.online_rate,
            "online_target": ONLINE_TARGET,
            "online_by_month": self.by_month(),
            "assisted": sum(a.assisted for a in self.applications.values()),
            "assisted_share": self.share("assisted"),
            "cross_region": sum(a.cross_region for a in self.applications.values()),
            "cross_region_share": self.share("cross_region"),
            "applications": count,
        }


def application_of(event: Event) -> Application:
    payload = event.payload
    return Application(
        case_id=event.case_id,
        channel=str(payload.get("channel") or ""),
        month=month_of(event.envelope["occurred_at"]),
        assisted=payload.get("assisted_by") is not None,
        cross_region=payload.get("cross_region") is not None,
    )


def service_figures(events: Iterable[Event], applications: Mapping[str, str]) -> dict[str, ServiceFigures]:
    """Per flow name (``applications`` maps an application event type to its flow)."""
    figures = {name: ServiceFigures() for name in applications.values()}
    for event in events:
        if (flow := applications.get(event.type)) is not None:
            figures[flow].add(application_of(event))
    return figures


def overall(figures: Iterable[ServiceFigures]) -> ServiceFigures:
    every = ServiceFigures()
    for one in figures:
        for application in one.applications.values():
            every.add(application)
    return every


def issue_channel_mix(events: Sequence[Event]) -> dict[str, int]:
    """Enterprise issues raised, per service channel (a report read twice counts once)."""
    seen: dict[str, str] = {}
    for event in events:
        if event.type == ISSUE_RAISED:
            seen.setdefault(event.case_id, service_channel_of_issue(str(event.payload.get("channel"))))
    counts = Counter(seen.values())
    return {code: counts.get(code, 0) for code in CHANNELS} | {
        code: n for code, n in sorted(counts.items()) if code not in CHANNELS
    }
