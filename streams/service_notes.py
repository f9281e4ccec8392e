"""What a case's history says about how an application came in: 帮代办, 跨域办, 一类事.

One short line per fact, shown under the event in `onething cases show` and the demo's timelines.
"""

from __future__ import annotations

from streams.assistance import HANDED_OVER, ROLES
from streams.bundles import BUNDLE_COMPLETED, BUNDLE_REQUESTED, is_bundle_case
from streams.channels import CHANNELS
from streams.events import Event


def notes(event: Event) -> list[str]:
    payload = event.payload
    # Applications, and only they, carry both their channel and the materials handed in.
    is_application = "channel" in payload and "materials" in payload
    found = []
    if is_application and payload["channel"] in CHANNELS:
        found.append(f"渠道: {CHANNELS[payload['channel']]} ({payload['channel']})")
    if helper := payload.get("assisted_by"):
        role = ROLES.get(helper["role"], helper["role"])
        found.append(f"帮代办: {role} {helper['helper']} 代为申请, 授权 {helper['consent_reference']}")
    if receipt := payload.get("cross_region"):
        found.append(f"跨域办: {receipt['receiving_city']} {receipt['receiving_desk']} 收件后移交")
    if event.type == HANDED_OVER:
        desk = f"{payload['receiving_city']} {payload['receiving_desk']}"
        found.append(f"跨域办: {desk} 收件, 移交 {payload['handling_city']}")
    correlation = str(event.envelope.get("correlation_id") or "")
    if event.type == BUNDLE_REQUESTED:
        members = "、".join(f"{m['flow']} {m['case_id']}" for m in payload["members"])
        found.append(f"一类事 {payload['bundle']}: 一次申请 → {members}")
    elif event.type == BUNDLE_COMPLETED:
        outcome = "全部办结" if payload["all_completed"] else "办结（含不予办理）"
        found.append(f"一类事 {payload['bundle']} {outcome}")
    elif is_application and is_bundle_case(correlation) and correlation != event.case_id:
        found.append(f"一类事 {correlation} 的成员办件")
    return found
