"""`onething dashboard`: the operators' dashboard on its own, beside running workers."""

from __future__ import annotations

import argparse
import threading

from streams.config import Settings


def _dashboard(args: argparse.Namespace, settings: Settings) -> int:
    from streams.dashboard.background import BackgroundDashboard
    from streams.startup import connect

    port = args.port if args.port is not None else settings.dashboard_port or 8080
    connection = connect(settings, provision_topics=False)
    dashboard = BackgroundDashboard(connection, host=settings.dashboard_host, port=port)
    dashboard.start()
    print(f"dashboard on {dashboard.url} (metrics on {dashboard.url}/metrics); Ctrl-C stops it", flush=True)
    try:
        threading.Event().wait()
    finally:
        dashboard.stop()
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("dashboard", help="serve the operators' dashboard over the event log")
    parser.add_argument("--port", type=int, help="port (default ONETHING_DASHBOARD_PORT, else 8080)")
    parser.set_defaults(func=_dashboard)
