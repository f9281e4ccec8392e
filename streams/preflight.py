"""Before `onething demo` starts its own worker: is another worker already running here?

A second worker would fail on the ports the first holds, or, with other ports, join the first's
consumer group and split the demo's cases with it. Say so before starting anything.
"""

from __future__ import annotations

import logging
from typing import Any

from streams.config import Settings
from streams.ports import PortBusy, busy_message, is_free
from streams.security import kafka_options

HINT = "stop it (Ctrl-C, or `kill` its pid), or keep it and use `onething simulate` against it"


class WorkerRunning(RuntimeError):
    pass


def group_members(bootstrap: str, group: str, **client_options: Any) -> int:
    """How many consumers are in ``group`` now (0 when the broker cannot say)."""
    from kafka import KafkaAdminClient

    kafka_log = logging.getLogger("kafka")
    level = kafka_log.level
    kafka_log.setLevel(logging.CRITICAL)
    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap, client_id="onething-preflight", **client_options
        )
        try:
            description = admin.describe_groups([group]).get(group) or {}
            return len(description.get("members") or ())
        finally:
            admin.close()
    except Exception:
        return 0
    finally:
        kafka_log.setLevel(level)


def check_demo_can_start(settings: Settings, *, group: str = "onething") -> None:
    listeners = [
        (settings.metrics_port, settings.metrics_host, "Prometheus metrics", "ONETHING_METRICS_PORT"),
        (
            settings.dashboard_port,
            settings.dashboard_host,
            "the operators' dashboard",
            "ONETHING_DASHBOARD_PORT",
        ),
    ]
    for port, host, what, setting in listeners:
        if port and not is_free(port, host):
            raise PortBusy(
                f"the demo starts its own worker, but {busy_message(port, host, what=what, setting=setting)}"
            )
    if members := group_members(settings.bootstrap_servers, group, **kafka_options(settings)):
        raise WorkerRunning(
            f"{members} worker(s) of consumer group {group!r} already run on {settings.bootstrap_servers}; "
            f"the demo's own worker would split the cases with them: {HINT}"
        )
