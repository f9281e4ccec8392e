"""The faust-streaming worker: one agent per department, one for the case tracker.

Every record an agent reads ends in exactly one of two ways: processed, or dead-lettered with its
reason. Per record, in this order:

1. admit: learn the schema (waiting out a registry outage), decode, check type and key;
2. skip an event id this agent already processed (a redelivery, a replay, a producer retry);
3. handle: pure, returns a Step (records to publish, state to write);
4. deliver the records and wait until the broker acknowledged each one;
5. only then write the state and mark the event id processed.

A crash anywhere redelivers the record (faust commits offsets after the changelog is flushed);
handled again, it yields the same event ids, which consumers drop. Agents run with concurrency 1;
departments and the tracker take records in batches and handle those of different cases together
(streams/batches.py); the commit passes only records every agent reading them finished
(streams/gapless_consumer.py).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import faust

from streams import metrics, operations
from streams.acknowledged_producer import AcknowledgedProducer
from streams.batches import Gathered, rounds
from streams.bundle_tracker import add_bundle_tracker
from streams.case_gauges import CaseTally
from streams.clock import Clock
from streams.codec import Codec
from streams.current_record import CURRENT_SOURCE
from streams.deadletter import AGENT_FAILED, HANDLER_FAILED, INVALID_OUTPUT, PUBLISH_FAILED, DeadLetter
from streams.deadline_index import DeadlineIndex, IndexedCases
from streams.delivery import BROKER_RECORD_LIMIT, Producer, PublishRefused, Source, deliver
from streams.delivery import dead_letter as write_dead_letter
from streams.department import Department
from streams.events import Event
from streams.flows import FlowMap
from streams.gapless_consumer import GaplessConsumer
from streams.handling import RELEASED, due_of, release
from streams.id_store import ID_STORE
from streams.intake import Expectation, Refused, admit
from streams.issues.wiring import add_issue_loop
from streams.packed_store import PACKED_STORE, PlacedTable, save_snapshots
from streams.prereview import PreReview
from streams.processing import DepartmentProcessor, HandlerFailed
from streams.publisher import InvalidOutput, OutgoingRecord, Publisher
from streams.replay.index import add_case_index
from streams.retention import PURGE_SECONDS, PURGE_STEP_SECONDS, Purger, stamped
from streams.seals import Keyring, issues_sealed
from streams.security import faust_options, kafka_options
from streams.start_position import FROM_EARLIEST, StartPosition, place_new_group
from streams.startup import Connection
from streams.step import Step
from streams.table_snapshot import SnapshotPlace, cluster_id, keep_snapshots
from streams.topics import DEAD_LETTER_TOPIC
from streams.tracker import OPEN, CaseTracker, as_kept, millis, next_deadline

log = logging.getLogger(__name__)

TRACKER = "tracker"
# How often (real seconds) open cases are checked against their deadlines.
DEADLINE_TICK_SECONDS = 1.0
# How often (real seconds) held outputs are checked: short, as a demo's day passes in a second.
RELEASE_TICK_SECONDS = 0.1
PLATFORM_VERSION = "0.1.0"
# Table changelog records faust may hold unsent before it pauses the agents (its own default: 100).
PRODUCER_BUFFER_MESSAGES = 10_000
# The most records a department, the tracker or the case index takes at once.
BATCH_RECORDS = 500
# How long a stopping worker waits for the events in hand before committing what is finished.
DRAIN_SECONDS = 10.0
# Table keys are event or case ids; values are small JSON documents. JSON on both sides, because
# faust's changelog recovery decodes keys with the table's serializer.
TABLE_SCHEMA = faust.Schema(key_type=str, value_type=None, key_serializer="json", value_serializer="json")

# What a due entry of a watched table (key, value, now) calls for: records a timer publishes.
DueRecords = Callable[[str, Any, datetime], Iterable[OutgoingRecord]]
# What an agent does with one admitted, not yet processed event. Any exception dead-letters it.
EventHandler = Callable[[Event], Awaitable[Step]]
# An agent's records in, the ones it finished out (RecordProcessor.process_batch).
BatchProcess = Callable[[Sequence[Source]], Awaitable[list[Source]]]


def create_app(connection: Connection, *, app_id: str = "onething") -> faust.App:
    settings = connection.settings
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        app_id,
        broker=[f"kafka://{server}" for server in settings.bootstrap_servers.split(",")],
        # Tables live in memory, rebuilt from their changelogs on start. faust's RocksDB store keeps
        # writes whose changelog records a kill -9 lost, so a partition that moved would miss them.
        # Values are held packed (streams/packed_store.py): a case takes an eighth of the memory. A
        # clean stop saves them, so the next start replays only what came after.
        store=PACKED_STORE,
        Table=PlacedTable,
        # faust's own files: one directory per application on a host, not the current directory.
        datadir=str(settings.state_dir / app_id),
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        consumer_auto_offset_reset="earliest",
        table_standby_replicas=0,
        web_enabled=False,
        producer_acks=-1,
        # What the broker accepts; faust's default (1,000,000) refused records the broker takes.
        producer_max_request_size=BROKER_RECORD_LIMIT,
        # A crashed worker's partitions move to the survivors after 10 s, not faust's default 60.
        broker_session_timeout=10,
        broker_heartbeat_interval=3,
        # On a rebalance faust would wait for every message its streams took to be acked, but a
        # message buffered while flow control is suspended never reaches its agent: the worker
        # stalled for good. Unfinished events are redelivered instead (their ids dedupe), and a
        # stopping worker drains first (GracefulWorker).
        stream_wait_empty=False,
        key_serializer="raw",
        value_serializer="raw",
        **faust_options(settings),
    )
    app.transport.Consumer = GaplessConsumer  # never commit past a record no agent finished
    app.transport.Producer = AcknowledgedProducer  # commit only once the tables' writes are in
    # Table writes wait in faust's producer buffer for their changelog send; past 100 (faust's
    # limit) faust stops handing records to every agent until it drained 100 again, one send at a
    # time. With records in flight, table writes come faster than that: the pauses, about 12 ms
    # each, came several times a second and halved a worker's throughput. Commits and a clean stop
    # still flush the buffer first, so nothing is acknowledged before its state is sent.
    app.producer.buffer.max_messages = PRODUCER_BUFFER_MESSAGES
    # Table snapshots: the same directory across a worker's restarts, one per worker on a host,
    # under the cluster's id so another cluster's snapshot is never loaded.
    find_cluster = functools.partial(cluster_id, settings.bootstrap_servers, **kafka_options(settings))
    keep_snapshots(app, SnapshotPlace(settings.state_dir / app_id, find_cluster))
    return app


class Worker:
    """Wires departments and the tracker into one faust app."""

    def __init__(self, app: faust.App, connection: Connection) -> None:
        self.app = app
        self.connection = connection
        self._topics: dict[str, faust.TopicT] = {}
        self.case_tally: CaseTally | None = None  # the case gauges' counts, when a tracker runs
        self.clock = connection.settings.clock()
        # Each department's held outputs and how to release them (handling times).
        self._holds: list[tuple[IndexedCases, DueRecords]] = []

    def _topic(self, name: str) -> faust.TopicT:
        if name not in self._topics:
            self._topics[name] = self.app.topic(name, key_serializer="raw", value_serializer="raw")
        return self._topics[name]

    def add_department(
        self, department: Department, *, pre_review: PreReview | None = None, seals: Keyring | None = None
    ) -> None:
        catalog = self.connection.catalog
        emitted = {event for matter in department.matters for event in matter.emits}
        if seals is not None and any(issues_sealed(catalog[event]) for event in emitted):
            seals.key(department.name)  # a missing seal key stops the worker now, not at its first licence
        publisher = Publisher(
            catalog,
            self.connection.codec,
            producer=department.name,
            version=department.version,
            clock=self.clock,
            seals=seals,
        )
        # Joined matters remember each case's triggers until the last one arrives; only departments
        # that have one get the table (and its changelog topic).
        joins = None
        if any(m.is_join for m in department.matters):
            joins = self.app.Table(f"{department.name}-joins", schema=TABLE_SCHEMA)
            self.add_purge(joins)  # a fired join keeps its trigger ids for the retention
        topics = [catalog[t].topic for t in department.triggers]
        holds = None
        if self.connection.settings.handling_times and any(
            m.typical_working_days for m in department.matters
        ):
            holds = self.add_holds(department.name, publisher)
            topics.append(catalog[RELEASED].topic)
        processor = DepartmentProcessor(
            department, publisher, joins=joins, pre_review=pre_review, holds=holds
        )
        self.add_agent(department.name, topics, processor.process, batched=True)  # state per case

    def add_holds(self, name: str, publisher: Publisher) -> IndexedCases:
        """A table of the department's held outputs; one watch for all departments publishes
        HandlingTimeElapsed when a hold is due, and the department, folding that in, publishes the
        outputs and deletes the hold."""
        holds = IndexedCases(self.app.Table(f"{name}-holds", schema=TABLE_SCHEMA), DeadlineIndex(due_of))
        if not self._holds:
            self.add_due_watch("release_watch", RELEASE_TICK_SECONDS, self._holds)
        self._holds.append((holds, lambda key, held, now: [release(publisher, key, held)]))
        return holds

    def add_tracker(self, flow_map: FlowMap) -> None:
        catalog = self.connection.catalog
        publisher = Publisher(
            catalog, self.connection.codec, producer=TRACKER, version=PLATFORM_VERSION, clock=self.clock
        )
        tracker = CaseTracker(flow_map, publisher)
        table = self.app.Table("cases", schema=TABLE_SCHEMA)
        self.case_tally = tally = CaseTally(flow_map)
        cases = IndexedCases(table, DeadlineIndex(next_deadline), on_change=tally.change)

        @self.app.on_rebalance_complete.connect
        async def recount_after_rebalance(sender: Any, **kwargs: Any) -> None:
            tally.stale = True  # this worker's cases changed

        async def handle(event: Event) -> Step:
            state, records = tracker.apply(cases.get(event.case_id), event)
            state = as_kept(state)
            step = Step(records)
            # A closed case's summary goes after the retention.
            step.write(cases, event.case_id, state, finished=state["status"] != OPEN)
            return step

        topics = sorted(catalog[t].topic for t in tracker.event_types)
        self.add_agent(TRACKER, topics, handle, batched=True)  # state per case
        # DeadlineMissed for this worker's open cases that ran late; folding it in escalates.
        self.add_due_watch("deadline_watch", DEADLINE_TICK_SECONDS, [(cases, tracker.missed_deadlines)])
        self.add_purge(table)

    def add_due_watch(
        self, name: str, interval: float, watched: list[tuple[IndexedCases, DueRecords]]
    ) -> None:
        """Every ``interval`` real seconds, publish what the entries of ``watched`` that came due call
        for (``watched`` may grow after this call).

        A timer cannot write a table (only an agent can), so it publishes; the agent owning the
        table folds the event in, which moves or removes the entry's due moment in the index. Ids
        are stable per due moment, so a repeat before the fold is dropped by consumers.
        """

        @self.app.on_rebalance_complete.connect
        async def rebuild_after_rebalance(sender: Any, **kwargs: Any) -> None:
            for table, _ in watched:
                table.index.stale = True  # this worker's entries changed

        @self.app.timer(interval=interval, name=f"onething.{name}")
        async def publish_due() -> None:
            if self.app.rebalancing or self.app.in_recovery:
                return  # a half-recovered table would make finished entries look due
            now = self.clock.now()
            for table, due_records in watched:
                if table.index.stale:
                    table.index.rebuild(list(table.table.items()))
                for key in table.index.late(millis(now)):
                    if (entry := table.get(key)) is not None:
                        for record in due_records(key, entry, now):
                            await self._topic(record.topic).send(
                                key=record.key, value=record.value, headers=record.headers
                            )

    def add_purge(self, table: faust.types.TableT) -> None:
        """Every PURGE_SECONDS, sweep this worker's entries of ``table`` past the retention out,
        a step each PURGE_STEP_SECONDS."""
        purger = Purger(table, int(self.connection.settings.retention_hours * 3_600_000))
        changelog = table.changelog_topic.get_topic_name()

        @self.app.timer(interval=min(PURGE_STEP_SECONDS, PURGE_SECONDS), name=f"onething.purge.{table.name}")
        async def purge() -> None:
            if self.app.rebalancing or self.app.in_recovery or not purger.due():
                return
            mine = {tp.partition for tp in self.app.assignor.assigned_actives() if tp.topic == changelog}
            purger.step(mine)

    def add_agent(
        self,
        name: str,
        topics: list[str],
        handle: EventHandler,
        *,
        expect: Expectation | None = None,
        batched: bool = False,
        idempotent: bool = False,
    ) -> None:
        """Consume ``topics`` with ``handle``: intake, dedupe, delivery and dead letters included.

        ``batched``: records of different keys are handled together and their outputs sent together
        (streams/batches.py); only for a ``handle`` that reads and writes state under the record's
        own key alone.
        ``idempotent``: no dedupe, for a ``handle`` whose work comes out the same however often a
        record comes: it writes the same (the case index), or publishes the same events under ids
        derived from the record's, which their readers drop as copies (the bundle members' outcomes).
        The table of processed ids, a changelog write per record, would buy nothing there.
        """
        codec = self.connection.codec
        expect = expect or Expectation.of(self.connection.catalog, topics)
        source = self.app.topic(*topics, key_serializer="raw", value_serializer="raw")
        processed = None
        if not idempotent:  # event ids this agent finished: outputs acknowledged and state written
            processed = self.app.Table(f"{name}-processed", schema=TABLE_SCHEMA, store=ID_STORE)
            self.add_purge(processed)
        records = RecordProcessor(
            name, codec, expect, handle, processed=processed, producer=self.app.producer, clock=self.clock
        )

        consume = batched_records if batched else records_in_order

        async def agent(stream: faust.StreamT) -> None:
            await consume(stream, records.process_batch)

        agent.__name__ = f"agent_{name}"
        self.app.agent(source, name=f"onething.{name}", concurrency=1)(agent)


async def records_in_order(stream: faust.StreamT, process: BatchProcess) -> None:
    """Process each record of ``stream`` after the one before it is finished.

    Once a record is left unfinished, nothing after it is processed: these agents' state spans
    keys, so the next record may depend on it. The commit stops there; the stall watch restarts
    the worker, which reads it again.
    """
    stream = stream.noack()  # acknowledged here, never by faust on its own
    consumer = stream.app.consumer
    stuck = False
    async for event in stream.events():
        stuck = stuck or not await process([event.message])
        if not stuck:
            consumer.finished(event.message)  # before the acknowledgement, which counts it
        await stream.ack(event)


async def batched_records(stream: faust.StreamT, process: BatchProcess) -> None:
    """Process ``stream`` in batches (RecordProcessor.process_batch): what arrived while the last
    batch was processed, so one send and one wait serve the outputs of many records."""
    stream = stream.noack()  # acknowledged here, never by faust on its own
    consumer = stream.app.consumer
    gathered: Gathered[faust.types.EventT] = Gathered(BATCH_RECORDS)
    filling = asyncio.create_task(gathered.fill(stream.events()))
    try:
        while events := await gathered.take():
            for message in await process([event.message for event in events]):
                consumer.finished(message)  # before the acknowledgement, which counts it
            for event in events:
                await stream.ack(event)
        await filling  # the stream ended (in tests); raises what ended it
    finally:
        filling.cancel()


@dataclass(slots=True)
class _Handled:
    """A record handled and waiting for its outputs to be acknowledged."""

    message: Source
    event: Event
    step: Step


class RecordProcessor:
    """One agent's path for its records: admit, skip what is done, handle, deliver, settle.

    Free of faust's streams so the order can be tested alone; ``processed`` is the agent's table
    of finished event ids (None: no dedupe, see Worker.add_agent) and ``producer`` anything with
    faust's ``send``.
    """

    def __init__(
        self,
        name: str,
        codec: Codec,
        expect: Expectation,
        handle: EventHandler,
        *,
        processed: MutableMapping[str, Any] | None,
        producer: Producer,
        clock: Clock,
    ) -> None:
        self.name = name
        self.codec = codec
        self.expect = expect
        self.handle = handle
        self.processed = processed
        self.producer = producer
        self.clock = clock
        self.log = logging.getLogger(f"onething.agent.{name}")
        # Keys (cases) a record of which was left unfinished: their later records are not handled
        # from a state that misses it, but wait with it for the restart.
        self._failed_keys: set[bytes | None] = set()

    async def process(self, message: Source) -> bool:
        """Process one record; whether it is finished (processed, skipped or dead-lettered)."""
        return bool(await self.process_batch([message]))

    async def process_batch(self, messages: Sequence[Source]) -> list[Source]:
        """Process ``messages`` in rounds of different keys (streams/batches.py); the finished ones.

        A record left unfinished (something failed that is not the record's fault) is read again
        after the next rebalance or restart: the commit does not pass it.
        """
        finished: list[Source] = []
        for batch in rounds(messages, key=lambda message: message.key):
            handled = []
            for message in batch:
                if message.key in self._failed_keys:
                    continue
                try:
                    outcome = await self._handle(message)
                except Exception:
                    self._left_unfinished([message])
                    continue
                if outcome is None:
                    finished.append(message)  # a duplicate, or dead-lettered
                else:
                    handled.append(outcome)
            if not handled:
                continue
            try:
                delivered, refused = await self._deliver(handled)
            except Exception:
                self._left_unfinished([each.message for each in handled])
                continue
            finished += refused  # dead-lettered
            for done in delivered:
                try:
                    self._settle(done)
                except Exception:
                    self._left_unfinished([done.message])
                else:
                    finished.append(done.message)
        return finished

    def _left_unfinished(self, messages: list[Source]) -> None:
        """Log the failure once, however many records of the round it leaves unfinished."""
        first = messages[0]
        self.log.exception(
            "left %d record(s) unfinished, from %s[%d]@%d",
            len(messages),
            first.topic,
            first.partition,
            first.offset,
        )
        self._failed_keys.update(message.key for message in messages)

    async def _handle(self, message: Source) -> _Handled | None:
        """The record handled; None if nothing more is to be done (a duplicate, a dead letter)."""
        CURRENT_SOURCE.set(message)
        try:
            event = await admit(self.codec, message.topic, message.key, message.value, expect=self.expect)
        except Refused as refused:
            await self.dead_letter(message, refused.letter)
            return None
        if self.processed is not None and self.processed.get(event.event_id):
            metrics.DUPLICATES_SKIPPED.labels(self.name).inc()
            return None
        metrics.EVENTS_CONSUMED.labels(self.name, event.type).inc()
        try:
            step = await self.handle(event)
        except HandlerFailed as exc:
            letter = DeadLetter(HANDLER_FAILED, str(exc))
        except InvalidOutput as exc:
            letter = DeadLetter(INVALID_OUTPUT, str(exc))
        except Exception as exc:  # a bug anywhere in handling must not skip the record silently
            self.log.exception("failed on %s", event.event_id)
            letter = DeadLetter(AGENT_FAILED, f"{type(exc).__name__}: {exc}")
        else:
            return _Handled(message, event, step)
        await self.dead_letter(message, letter)
        return None

    async def _deliver(self, handled: list[_Handled]) -> tuple[list[_Handled], list[Source]]:
        """Send every output of ``handled`` and wait for the broker: the records whose outputs are
        all acknowledged, and those dead-lettered because the broker refuses an output for good."""
        try:
            await deliver(self.producer, [record for each in handled for record in each.step.records])
            return handled, []
        except PublishRefused:
            pass  # find whose: each record's outputs again (a resent output is dropped as a duplicate)
        delivered, refused = [], []
        for each in handled:
            try:
                await deliver(self.producer, each.step.records)
            except PublishRefused as exc:
                await self.dead_letter(each.message, DeadLetter(PUBLISH_FAILED, str(exc)))
                refused.append(each.message)
            else:
                delivered.append(each)
        return delivered, refused

    def _settle(self, done: _Handled) -> None:
        """Outputs acknowledged: only now write the state and mark the event processed. A crash
        before this redelivers the record, and handling it again publishes the same event ids,
        which consumers drop."""
        CURRENT_SOURCE.set(done.message)  # where its table writes go
        for record in done.step.records:
            metrics.EVENTS_EMITTED.labels(self.name, record.event.type).inc()
        done.step.settle(done.message.partition)
        if self.processed is not None:
            self.processed[done.event.event_id] = stamped({}, done.message.partition)

    async def dead_letter(self, message: Source, letter: DeadLetter) -> None:
        self.log.warning(
            "dead-letters %s[%d]@%d: %s", message.topic, message.partition, message.offset, letter.reason
        )
        await write_dead_letter(self.producer, DEAD_LETTER_TOPIC, message, letter, agent=self.name)
        metrics.DEAD_LETTERED.labels(self.name, letter.kind).inc()  # counted once written


def run_worker(
    connection: Connection,
    departments: list[Department],
    flow_map: FlowMap | None,
    *,
    app_id: str,
    start: StartPosition = FROM_EARLIEST,
    pre_review: PreReview | None = None,
    seals: Keyring | None = None,
) -> None:
    """Block running the worker until SIGINT/SIGTERM; faust commits what it finished on the way out.
    A consumer group that never committed starts from ``start``."""
    app = create_app(connection, app_id=app_id)
    worker = Worker(app, connection)
    for department in departments:
        worker.add_department(department, pre_review=pre_review, seals=seals)
    if flow_map is not None:
        worker.add_tracker(flow_map)
        add_issue_loop(worker)
        add_bundle_tracker(worker)  # 一类事: a bundle completes when every member case ended
        add_case_index(worker)  # beside the tracker: one index per deployment, not per department
    operations.install(worker, flow_map)  # named agents, case gauges, consumer lag, the dashboard
    settings = connection.settings
    topics = {topic for names in operations.agent_topics(app).values() for topic in names}
    place_new_group(settings.bootstrap_servers, app_id, topics, start, **kafka_options(settings))
    metrics.serve(connection.settings.metrics_port, connection.settings.metrics_host)
    GracefulWorker(app, loglevel="INFO", quiet=True).execute_from_commandline()


class GracefulWorker(faust.Worker):
    """On SIGTERM/SIGINT, finish the events in hand and commit them before faust stops.

    faust revokes its tables and stops the consumer before its own final commit can land, so a
    deploy used to make the next worker re-read everything since the last periodic commit.
    """

    async def _stop_on_signal(self, signal: Any) -> None:
        try:
            await commit_finished(self.app)
        except Exception:  # stopping must go on whatever happens here
            log.exception("could not commit before stopping; the next start re-reads from the last commit")
        else:
            await save_tables(self.app)
        await super()._stop_on_signal(signal)


async def save_tables(app: faust.App) -> None:
    """Save the tables for the next start, once every changelog record of theirs is acknowledged."""
    if app.rebalancing or app.in_recovery:
        return  # a half-recovered table is not what its changelog says
    try:
        await app.producer.flush()
        save_snapshots(app)
    except Exception:  # the next start replays the changelogs instead
        log.exception("could not save the tables; the next start replays their changelogs")


async def commit_finished(app: faust.App, *, timeout: float = DRAIN_SECONDS) -> None:
    """Take no new events, let the ones in hand finish, and commit their offsets."""
    consumer = app.consumer
    assignment = consumer.assignment()
    app.flow_control.suspend()
    consumer.pause_partitions(assignment)
    deadline = asyncio.get_running_loop().time() + timeout
    # faust tracks the messages its streams took and acks each once its agent moved on.
    while consumer._unacked_messages and asyncio.get_running_loop().time() < deadline:
        consumer._clean_unacked_messages()
        await asyncio.sleep(0.05)
    await consumer.commit()
    log.info("committed finished events of %d partitions before stopping", len(assignment))
