"""The case index: where in the log each case's (and issue's) events are, kept by the worker.

An agent reads every event topic through the runtime's per-record path (so an event id is indexed
once) and appends the record's position, and the event's subject, to its case's entry in the
``case-index`` table, backed by a compacted changelog topic, so the index survives restarts.
Kafka cannot look a key up, so the worker answers lookups over HTTP from the table it holds
(Kafka Streams calls this an interactive query); replay then fetches exactly those offsets
instead of scanning every topic from zero.

    GET /cases/{case_id}      {"entry": {"positions": [[topic, partition, offset], …], …} | null, …}
    GET /subjects/{subject}   {"cases": [case_id, …], …}

Every answer names the broker and the consumer group, so a reader can tell the index is of its
log, and fetch what the group has not committed yet (the index may trail the log) from the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from streams.current_record import CURRENT_SOURCE
from streams.events import Event
from streams.ports import is_free
from streams.step import Step
from streams.tracker import millis

if TYPE_CHECKING:
    from streams.runtime import Worker

log = logging.getLogger(__name__)

INDEXER = "case_index"
CASE_TABLE = "case-index"
SETTING = "ONETHING_INDEX_PORT"


def new_entry() -> dict[str, Any]:
    return {"positions": [], "subject": None, "subjects": [], "first_at": None, "last_at": None}


def add_position(entry: dict[str, Any] | None, event: Event, partition: int, offset: int) -> dict[str, Any]:
    """The case's entry with this event's position added (a new dict; the table's value is kept)."""
    entry = dict(entry) if entry else new_entry()
    position = [event.topic, partition, offset]
    if position not in entry["positions"]:
        entry["positions"] = [*entry["positions"], position]
    at = millis(event.envelope["occurred_at"])
    if entry["last_at"] is None or at >= entry["last_at"]:
        entry["subject"] = event.subject  # a citizen token until the enterprise's USCC exists
    if event.subject and event.subject not in entry.get("subjects", []):
        entry["subjects"] = [*entry.get("subjects", []), event.subject]
    entry["first_at"] = at if entry["first_at"] is None else min(entry["first_at"], at)
    entry["last_at"] = at if entry["last_at"] is None else max(entry["last_at"], at)
    return entry


def cases_of(entries: Iterable[tuple[str, dict[str, Any]]], subject: str) -> list[str]:
    """The cases a subject appears in, oldest first."""
    found = [
        (entry.get("first_at") or 0, case_id)
        for case_id, entry in entries
        if subject in entry.get("subjects", ())
    ]
    return [case_id for _, case_id in sorted(found)]


def add_case_index(worker: Worker) -> None:
    """The indexing agent over every event topic, and the lookup endpoint."""
    from streams.runtime import TABLE_SCHEMA  # runtime imports the worker's parts late

    app, catalog = worker.app, worker.connection.catalog
    cases = app.Table(CASE_TABLE, schema=TABLE_SCHEMA)

    async def index(event: Event) -> Step:
        source = CURRENT_SOURCE.get()
        if source is None:  # only the runtime calls this, always with the record in hand
            raise RuntimeError("indexed outside the runtime's record path")
        step = Step()
        entry = add_position(cases.get(event.case_id), event, source.partition, source.offset)
        step.write(cases, event.case_id, entry)
        return step

    # Writes only under the record's own key (intake refuses a key that is not the case id): batched.
    # A position is listed once however often its record comes, and readers drop a copy of an
    # event at another position (streams/replay/chain.py): no processed ids to keep.
    worker.add_agent(INDEXER, sorted(c.topic for c in catalog), index, batched=True, idempotent=True)
    settings = worker.connection.settings
    if not settings.index_port:
        return
    if not is_free(settings.index_port, settings.dashboard_host):
        log.warning("port %d (%s) is in use: the case index answers no lookups", settings.index_port, SETTING)
        return
    about = {"bootstrap": settings.bootstrap_servers, "group": app.conf.id}

    def answer(data: dict[str, Any]) -> web.Response:
        # A table still recovering from its changelog would answer with part of an entry.
        ready = not (app.rebalancing or app.in_recovery)
        body = json.dumps({**about, "ready": ready, **data}, ensure_ascii=False)
        return web.Response(text=body, content_type="application/json")

    async def case(request: web.Request) -> web.Response:
        return answer({"entry": cases.get(request.match_info["key"])})

    async def subject(request: web.Request) -> web.Response:
        # Kept in the case entries, not a table of its own: faust writes a table where the current
        # event's partition is, so a subject's cases would be split over several partitions.
        return answer({"cases": cases_of(list(cases.items()), request.match_info["key"])})

    @app.task
    async def serve_lookups() -> None:
        # On faust's own loop, so the tables are read where they are written.
        web_app = web.Application()
        web_app.router.add_get("/cases/{key}", case)
        web_app.router.add_get("/subjects/{key}", subject)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, settings.dashboard_host, settings.index_port).start()
        log.info("case index lookups on port %d", settings.index_port)
