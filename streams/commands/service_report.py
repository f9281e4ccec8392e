"""The report's service sections: channels and 一网通办率 per flow and month, 帮代办 and 跨域办 shares,
the issues' channels, 一类事 bundles and 15分钟办事圈 coverage. Added to `onething report`'s data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from streams.bundles import BUNDLE_COMPLETED, BUNDLE_REQUESTED, Bundle
from streams.channels import (
    CHANNELS,
    ONLINE_CHANNELS,
    ONLINE_TARGET,
    issue_channel_mix,
    overall,
    service_figures,
)
from streams.commands.describe import plural
from streams.events import Event
from streams.flows import Flow
from streams.terminal import table

# The text report shows this many latest months per flow; --json carries every month.
MONTHS_SHOWN = 6


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def bundle_figures(events: Sequence[Event], bundles: Sequence[Bundle]) -> list[dict[str, Any]]:
    """Per declared bundle: requests, and how many ended with every member granted or not."""
    requested: dict[str, set[str]] = {b.name: set() for b in bundles}
    completed: dict[str, dict[str, bool]] = {b.name: {} for b in bundles}
    for event in events:
        if event.type == BUNDLE_REQUESTED:
            requested.setdefault(event["bundle"], set()).add(event.case_id)
        elif event.type == BUNDLE_COMPLETED:
            completed.setdefault(event["bundle"], {}).setdefault(event.case_id, bool(event["all_completed"]))
    by_name = {b.name: b for b in bundles}
    rows = []
    for name in sorted(set(requested) | set(completed), key=lambda n: (n not in by_name, n)):
        done = completed.get(name, {})
        cases = requested.get(name, set()) | set(done)
        declared = by_name.get(name)
        rows.append(
            {
                "name": name,
                "display_name": declared.display_name if declared else name,
                "members": list(declared.members) if declared else [],
                "requested": len(cases),
                "completed": sum(done.values()),
                "completed_with_refusals": sum(not ok for ok in done.values()),
                "open": len(cases - set(done)),
            }
        )
    return rows


def extend(
    data: dict[str, Any],
    events: Sequence[Event],
    flows: Sequence[Flow],
    *,
    bundles: Sequence[Bundle] = (),
    coverage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add the service sections to ``data`` (report_data's result) and return it."""
    figures = service_figures(events, {f.application: f.name for f in flows})
    for flow in data["flows"]:
        one = figures.get(flow["name"])
        if one is not None:
            service = one.to_dict()
            flow.update({k: v for k, v in service.items() if k not in ("applications", "online_rate")})
        if coverage is not None:
            flow["coverage_15min"] = coverage["flows"].get(flow["name"], {}).get("share")
    every = overall(figures.values()).to_dict()
    data["channels"] = {
        "names": dict(CHANNELS),
        "online_channels": sorted(ONLINE_CHANNELS),
        "online_target": ONLINE_TARGET,
        "channel_mix": every["channel_mix"],
        "online_by_month": every["online_by_month"],
        "assisted_share": every["assisted_share"],
        "cross_region_share": every["cross_region_share"],
        "issue_channel_mix": issue_channel_mix(events),
    }
    data["bundles"] = bundle_figures(events, bundles)
    data["coverage"] = coverage
    return data


def _months_table(flows: list[dict[str, Any]], months: list[str]) -> list[str]:
    """Each flow's 一网通办率 in the latest months, a flow without applications in a month left blank."""
    if not months:
        return []
    rows = [
        (
            flow["display_name"],
            *(_percent(flow.get("online_by_month", {}).get(m, {}).get("online_rate")) for m in months),
        )
        for flow in flows
    ]
    headers = ("一网通办率", *months)
    return ["", *("  " + line for line in table(headers, rows, right=tuple(range(1, len(headers)))))]


def render(data: dict[str, Any]) -> list[str]:
    if "channels" not in data:
        return []
    channels = data["channels"]
    names = channels["names"]
    lines = ["", "Channels (网办优先、自助为辅、窗口兜底); 一网通办率 = 掌上办 + 网上办 of all applications"]
    rows = [
        (
            flow["display_name"],
            *(str(flow.get("channel_mix", {}).get(code, 0)) for code in names),
            _percent(flow["online_rate"]),
            _percent(flow.get("assisted_share")),
            _percent(flow.get("cross_region_share")),
            _percent(flow.get("coverage_15min")),
        )
        for flow in data["flows"]
    ]
    headers = ("一件事", *names.values(), "一网通办率", "帮代办", "跨域办", "15分钟办事圈")
    lines += ["  " + line for line in table(headers, rows, right=tuple(range(1, len(headers))))]
    target = channels["online_target"]
    months = [
        f"{month} {_percent(m['online_rate'])}{' ✓' if m['meets_target'] else ' ✗'}"
        for month, m in channels["online_by_month"].items()
    ]
    lines.append(f"  一网通办率 by month (target ≥ {target:.0%}): {' · '.join(months) or '—'}")
    lines += _months_table(data["flows"], list(channels["online_by_month"])[-MONTHS_SHOWN:])
    issues = channels["issue_channel_mix"]
    if any(issues.values()):
        lines.append(
            "  enterprise issues by channel: "
            + " · ".join(f"{names.get(c, c)} {n}" for c, n in issues.items())
        )
    for bundle in data["bundles"]:
        lines.append(
            f"  一类事 {bundle['display_name']} ({' + '.join(bundle['members'])}): "
            f"{plural(bundle['requested'], 'request')}, {bundle['completed']} completed, "
            f"{bundle['completed_with_refusals']} with a refusal, {bundle['open']} open"
        )
    return lines
