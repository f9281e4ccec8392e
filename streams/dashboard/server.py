"""The dashboard's web app: the page, its JSON, live updates, and /metrics and /healthz beside them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.dashboard.snapshot import LiveLog, Snapshot
from streams.dashboard.vendor import echarts

STATIC = Path(__file__).parent / "static"
# Real seconds between two checks of the log for the live-update stream.
LIVE_POLL_SECONDS = 1.0

LIVE: web.AppKey[LiveLog] = web.AppKey("live", LiveLog)


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(data, ensure_ascii=False, default=str),
        status=status,
        content_type="application/json",
    )


def _page(read: Callable[[Snapshot], Any]) -> Callable[[web.Request], Any]:
    """A JSON endpoint over the latest snapshot; folding runs off the event loop."""

    async def handler(request: web.Request) -> web.Response:
        live = request.app[LIVE]
        data = await asyncio.get_running_loop().run_in_executor(None, lambda: read(live.snapshot()))
        return _json(data)

    return handler


def _one(read: Callable[[Snapshot, str], Any], what: str) -> Callable[[web.Request], Any]:
    async def handler(request: web.Request) -> web.Response:
        key = request.match_info["key"]
        live = request.app[LIVE]
        data = await asyncio.get_running_loop().run_in_executor(None, lambda: read(live.snapshot(), key))
        return _json(data) if data is not None else _json({"error": f"no {what} {key} in the event log"}, 404)

    return handler


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


async def vendor_echarts(request: web.Request) -> web.FileResponse:
    return web.FileResponse(echarts(install=False), headers={"Cache-Control": "max-age=86400"})


async def metrics(request: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


async def healthz(request: web.Request) -> web.Response:
    live = request.app[LIVE]
    caught_up = live.log.wait_caught_up(0)
    events, letters = live.version()
    return _json({"status": "ok" if caught_up else "catching-up", "events": events, "dead_letters": letters})


async def stream(request: web.Request) -> web.StreamResponse:
    """Server-sent events: the log's version whenever it changes, so pages refresh themselves."""
    live = request.app[LIVE]
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
    await response.prepare(request)
    last = None
    while True:
        version = live.version()
        if version != last:
            last = version
            await response.write(f"data: {json.dumps({'version': version})}\n\n".encode())
        await asyncio.sleep(LIVE_POLL_SECONDS)


def build_app(live: LiveLog) -> web.Application:
    app = web.Application()
    app[LIVE] = live
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC)
    app.router.add_get("/vendor/echarts.min.js", vendor_echarts)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/api/live", stream)
    app.router.add_get("/api/overview", _page(lambda s: s.overview))
    app.router.add_get("/api/departments", _page(lambda s: s.departments))
    app.router.add_get("/api/flows", _page(lambda s: s.flow_maps))
    app.router.add_get("/api/issues", _page(lambda s: s.issues))
    app.router.add_get("/api/dead-letters", _page(lambda s: s.dead_letters))
    app.router.add_get("/api/report", _page(lambda s: s.report))
    app.router.add_get("/api/cases/{key}", _one(lambda s, k: s.case(k), "case"))
    app.router.add_get("/api/issues/{key}", _one(lambda s, k: s.issue(k), "issue"))
    return app
