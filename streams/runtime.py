"""The faust-streaming worker: one agent per department, one for the case tracker.

Each agent consumes raw bytes and decodes them itself, so a record that cannot be decoded is
dead-lettered with its reason instead of stopping the stream. Agents run with concurrency 1:
faust could otherwise commit an offset past a message still in flight.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import faust

from streams import metrics
from streams.codec import DecodeError
from streams.deadletter import HANDLER_FAILED, INVALID_OUTPUT, UNDECODABLE, DeadLetter
from streams.department import Department
from streams.events import Event
from streams.flows import FlowMap
from streams.issues.wiring import add_issue_loop
from streams.processing import DepartmentProcessor, HandlerFailed, decode_event
from streams.publisher import InvalidOutput, OutgoingRecord, Publisher
from streams.startup import Connection
from streams.topics import DEAD_LETTER_TOPIC
from streams.tracker import CaseTracker

log = logging.getLogger(__name__)

TRACKER = "tracker"
# How often (real seconds) open cases are checked against their deadlines.
DEADLINE_TICK_SECONDS = 1.0
PLATFORM_VERSION = "0.1.0"
# Table keys are event or case ids; values are small JSON documents. JSON on both sides, because
# faust's changelog recovery decodes keys with the table's serializer.
TABLE_SCHEMA = faust.Schema(key_type=str, value_type=None, key_serializer="json", value_serializer="json")

# Returns the records to publish for an event; raising HandlerFailed/InvalidOutput dead-letters it.
EventHandler = Callable[[Event], Awaitable[list[OutgoingRecord]]]


def create_app(connection: Connection, *, app_id: str = "onething") -> faust.App:
    settings = connection.settings
    return faust.App(
        app_id,
        broker=[f"kafka://{server}" for server in settings.bootstrap_servers.split(",")],
        store="memory://",
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        consumer_auto_offset_reset="earliest",
        table_standby_replicas=0,
        web_enabled=False,
        producer_acks=-1,
        # A crashed worker's partitions move to the survivors after 10 s, not faust's default 60.
        broker_session_timeout=10,
        broker_heartbeat_interval=3,
        key_serializer="raw",
        value_serializer="raw",
    )


class Worker:
    """Wires departments and the tracker into one faust app."""

    def __init__(self, app: faust.App, connection: Connection) -> None:
        self.app = app
        self.connection = connection
        self._topics: dict[str, faust.TopicT] = {}
        self.clock = connection.settings.clock()

    def _topic(self, name: str) -> faust.TopicT:
        if name not in self._topics:
            self._topics[name] = self.app.topic(name, key_serializer="raw", value_serializer="raw")
        return self._topics[name]

    def add_department(self, department: Department) -> None:
        catalog = self.connection.catalog
        publisher = Publisher(
            catalog,
            self.connection.codec,
            producer=department.name,
            version=department.version,
            clock=self.clock,
        )
        processed = self.app.Table(f"{department.name}-processed", schema=TABLE_SCHEMA)
        # Joined matters remember each case's triggers until the last one arrives; only departments
        # that have one get the table (and its changelog topic).
        joins = None
        if any(m.is_join for m in department.matters):
            joins = self.app.Table(f"{department.name}-joins", schema=TABLE_SCHEMA)
        processor = DepartmentProcessor(department, publisher, joins=joins)

        async def handle(event: Event) -> list[OutgoingRecord]:
            # The same event id twice (a redelivery after a crash) is processed once.
            key = event.event_id
            if processed.get(key):
                metrics.DUPLICATES_SKIPPED.labels(department.name).inc()
                return []
            records = await processor.process(event)
            processed[key] = True
            return records

        topics = [catalog[t].topic for t in department.triggers]
        self.add_agent(department.name, topics, handle)

    def add_tracker(self, flow_map: FlowMap) -> None:
        catalog = self.connection.catalog
        publisher = Publisher(
            catalog, self.connection.codec, producer=TRACKER, version=PLATFORM_VERSION, clock=self.clock
        )
        tracker = CaseTracker(flow_map, publisher)
        cases = self.app.Table("cases", schema=TABLE_SCHEMA)

        async def handle(event: Event) -> list[OutgoingRecord]:
            key = event.case_id
            state, records = tracker.apply(cases.get(key), event)
            cases[key] = state
            return records

        topics = sorted(catalog[t].topic for t in tracker.event_types)
        self.add_agent(TRACKER, topics, handle)
        self.add_deadline_watch(tracker, cases)

    def add_deadline_watch(self, tracker: CaseTracker, cases: faust.types.TableT) -> None:
        """Every tick, publish DeadlineMissed for this worker's open cases that ran late.

        A timer cannot write the table (only an agent can), so it publishes; the tracker agent folds
        the event in. Ids are stable per deadline, and ``reported`` keeps a tick from repeating one
        the agent has not folded in yet.
        """
        reported: set[str] = set()

        @self.app.timer(interval=DEADLINE_TICK_SECONDS, name="onething.deadline_watch")
        async def watch_deadlines() -> None:
            if self.app.rebalancing or self.app.in_recovery:
                return  # a half-recovered table would make finished cases look late
            now = self.clock.now()
            for case_id, state in list(cases.items()):
                for record in tracker.missed_deadlines(case_id, state, now):
                    if record.event.event_id in reported:
                        continue
                    reported.add(record.event.event_id)
                    await self._topic(record.topic).send(
                        key=record.key, value=record.value, headers=record.headers
                    )

    def add_agent(self, name: str, topics: list[str], handle: EventHandler) -> None:
        """Consume ``topics`` with ``handle``: decoding, dead letters, metrics and publishing included."""
        codec = self.connection.codec
        source = self.app.topic(*topics, key_serializer="raw", value_serializer="raw")
        dead_letters = self._topic(DEAD_LETTER_TOPIC)

        async def dead_letter(message: faust.types.Message, letter: DeadLetter) -> None:
            log.warning(
                "%s dead-letters %s[%d]@%d: %s",
                name,
                message.topic,
                message.partition,
                message.offset,
                letter.reason,
            )
            metrics.DEAD_LETTERED.labels(name, letter.kind).inc()
            headers = letter.headers(
                agent=name, topic=message.topic, partition=message.partition, offset=message.offset
            )
            await dead_letters.send(key=message.key, value=message.value, headers=headers)

        async def agent(stream: faust.StreamT) -> None:
            async for event in stream.events():
                message = event.message
                try:
                    decoded = decode_event(codec, message.value)
                except DecodeError as exc:
                    await dead_letter(message, DeadLetter(UNDECODABLE, str(exc)))
                    continue
                metrics.EVENTS_CONSUMED.labels(name, decoded.type).inc()
                try:
                    records = await handle(decoded)
                except HandlerFailed as exc:
                    await dead_letter(message, DeadLetter(HANDLER_FAILED, str(exc)))
                    continue
                except InvalidOutput as exc:
                    await dead_letter(message, DeadLetter(INVALID_OUTPUT, str(exc)))
                    continue
                for record in records:
                    await self._topic(record.topic).send(
                        key=record.key, value=record.value, headers=record.headers
                    )
                    metrics.EVENTS_EMITTED.labels(name, record.event.type).inc()

        agent.__name__ = f"agent_{name}"
        self.app.agent(source, name=f"onething.{name}", concurrency=1)(agent)


def run_worker(
    connection: Connection, departments: list[Department], flow_map: FlowMap | None, *, app_id: str
) -> None:
    """Block running the worker until SIGINT/SIGTERM; faust commits what it finished on the way out."""
    app = create_app(connection, app_id=app_id)
    worker = Worker(app, connection)
    for department in departments:
        worker.add_department(department)
    if flow_map is not None:
        worker.add_tracker(flow_map)
        add_issue_loop(worker)
    metrics.serve(connection.settings.metrics_port, connection.settings.metrics_host)
    faust.Worker(app, loglevel="INFO", quiet=True).execute_from_commandline()
