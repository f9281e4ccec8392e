"""What operators see of a running worker: agents named in logs, case gauges, consumer lag,
registry health and the dashboard. `install(worker, flow_map)` adds them all to one worker."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

from prometheus_client import Info

from streams.case_gauges import CaseGauges
from streams.lag import LagSampler
from streams.security import kafka_options
from streams.stall import StallWatch

if TYPE_CHECKING:
    import faust

    from streams.flows import FlowMap
    from streams.runtime import Worker

# Real seconds between two reports of the case gauges.
GAUGE_TICK_SECONDS = 1.0
AGENT_PREFIX = "onething."

WORKER = Info("onething_worker", "Which worker serves these metrics: its name, consumer group and agents")


def worker_name(host: str, metrics_port: int, pid: int) -> str:
    """Distinct per worker on a host (one metrics port each), stable across its restarts."""
    return f"{host}:{metrics_port}" if metrics_port else f"{host}:pid{pid}"


def name_agents(app: faust.App) -> None:
    """Faust logs an agent by its function's qualified name, the same closure for every agent
    (`streams.runtime.Worker.a[.]agent`); name each after what it runs instead."""
    for agent in app.agents.values():
        agent.fun.__module__ = "onething"
        agent.fun.__qualname__ = agent.name.removeprefix(AGENT_PREFIX)


def agent_topics(app: faust.App) -> dict[str, list[str]]:
    return {
        agent.name.removeprefix(AGENT_PREFIX): sorted(agent.get_topic_names())
        for agent in app.agents.values()
    }


def install(worker: Worker, flow_map: FlowMap | None) -> None:
    import os

    app, connection = worker.app, worker.connection
    settings = connection.settings
    name = worker_name(socket.gethostname(), settings.metrics_port, os.getpid())
    name_agents(app)
    topics = agent_topics(app)
    WORKER.info({"worker": name, "group": app.conf.id, "agents": ",".join(sorted(topics))})

    tally = worker.case_tally
    if flow_map is not None and tally is not None:
        cases, gauges = app.tables["cases"], CaseGauges(name, flow_map)

        @app.timer(interval=GAUGE_TICK_SECONDS, name="onething.case_gauges")
        async def report_cases() -> None:
            if app.rebalancing or app.in_recovery:
                return  # a half-recovered table would undercount
            if tally.stale:
                tally.rebuild(list(cases.values()))
            gauges.update(tally.counts)

    def assigned() -> set[tuple[str, int]]:
        return {(tp.topic, tp.partition) for tp in app.assignor.assigned_actives()}

    LagSampler(
        worker=name,
        bootstrap=settings.bootstrap_servers,
        group=app.conf.id,
        agent_topics=topics,
        registry_url=connection.registry_url,
        assigned=assigned,
        client_options=kafka_options(settings),
        stall=StallWatch(settings.stall_seconds) if settings.stall_seconds > 0 else None,
        recovering=lambda: bool(app.rebalancing or app.in_recovery),
    ).start()

    if settings.dashboard_port:
        from streams.dashboard.background import BackgroundDashboard

        dashboard = BackgroundDashboard(
            connection, host=settings.dashboard_host, port=settings.dashboard_port
        )
        dashboard.start()
        print(f"dashboard on {dashboard.url}", flush=True)
