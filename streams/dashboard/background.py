"""Runs the dashboard on its own thread and event loop, beside a faust worker or on its own."""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web

from streams import discovery
from streams.case_window import CaseWindow
from streams.commands.coverage import area_coverage
from streams.dashboard.cases import lifecycle
from streams.dashboard.server import build_app
from streams.dashboard.snapshot import LiveLog
from streams.dashboard.vendor import echarts
from streams.demo import display_names
from streams.eventlog import EventLog
from streams.flows import FlowMap
from streams.ports import require_free
from streams.replay.select import case_history
from streams.startup import Connection

WHAT = "the operators' dashboard"
SETTING = "ONETHING_DASHBOARD_PORT"


def live_log(connection: Connection) -> LiveLog:
    """Follow the log from its start, holding open work and the latest closed cases, with the
    declarations the pages are drawn from."""
    settings = connection.settings
    flows = discovery.flows()
    departments = discovery.departments(extra=settings.extra_departments)
    flow_map = FlowMap(flows, departments)
    return LiveLog(
        EventLog(connection, CaseWindow(settings.dashboard_closed_cases, lifecycle(flow_map))),
        flows,
        flow_map,
        display_names(),
        connection.settings.clock(),
        bundles=discovery.bundles(),
        coverage=area_coverage(),
        history=lambda case_id: case_history(settings, case_id),
    )


class BackgroundDashboard:
    def __init__(self, connection: Connection, *, host: str, port: int) -> None:
        require_free(port, host, what=WHAT, setting=SETTING)  # before anything else starts
        echarts()  # installs ECharts on first use, so the first page load has its charts
        self.host, self.port = host, port
        self.live = live_log(connection)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dashboard", daemon=True)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def _start(self) -> None:
        self._runner = web.AppRunner(build_app(self.live), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()

    def start(self, timeout: float = 30) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout)

    def stop(self, timeout: float = 10) -> None:
        try:
            if self._runner is not None:
                asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
            self.live.log.close()
