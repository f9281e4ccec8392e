"""A department whose backend hangs once per case: the worker makes no progress and says nothing,
as faust does after a rare rebalance."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent

department = Department("stuck", "卡住部门")

HANGS_ONCE = "故障-卡住一次"


def marker(case_id: str, state: str) -> Path:
    """Files beside the test, so the test sees what the worker's handler went through."""
    return Path(tempfile.gettempdir()) / f"onething-stuck-{case_id}.{state}"


@department.matter(
    "slow_backend",
    "后台卡住",
    trigger="RestaurantApplicationSubmitted",
    done="HealthCertificatesIssued",
    sla_working_days=1,
    when=Condition("business_name", "==", HANGS_ONCE),
)
async def wait_for_backend(event: Event) -> list[NewEvent]:
    if not marker(event.case_id, "hung").exists():
        marker(event.case_id, "hung").touch()
        await asyncio.Event().wait()  # forever: no error, no log line
    marker(event.case_id, "handled").touch()
    return []
