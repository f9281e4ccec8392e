"""The broker, registry and workers a benchmark runs against, started the way an operator would.

With no broker named, a Kafka broker of its own runs on free ports with its own data directory
(the downloaded jars are shared); a given broker (``--bootstrap``) is used as it is. The schema
registry is the platform's own, as its own process; workers are `onething run` processes.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from streams import discovery
from streams.broker import LocalBroker
from streams.config import Settings
from streams.registry.service import RegistryProcess
from streams.seals import PUBLIC_KEYS_FILE, generate
from streams.startup import Connection, connect
from streams.worker_process import RUN, WorkerProcess

# The worker processes' own key for citizen tokens: bench data is made up.
BENCH_TOKEN_KEY = "onething-bench-token-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BenchCluster:
    """Everything one benchmark run needs; ``close`` stops what it started and removes its data."""

    def __init__(self, *, bootstrap: str | None = None, partitions: int = 3) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="onething-bench-"))
        self.broker: LocalBroker | None = None
        self.registry: RegistryProcess | None = None
        self._workers: list[WorkerProcess] = []
        try:
            self._start(bootstrap, partitions)
        except BaseException:
            self.close()  # a half-started cluster stops what it started
            raise

    def _start(self, bootstrap: str | None, partitions: int) -> None:
        if bootstrap is None:
            self.broker = LocalBroker(
                home=self.home,
                port=free_port(),
                controller_port=free_port(),
                cache_dir=Settings.from_env().broker_dir,  # share the downloaded jars, not the data
            )
            self.broker.start()
            bootstrap = self.broker.bootstrap
        self.settings = Settings(
            bootstrap_servers=bootstrap,
            registry_port=free_port(),
            metrics_port=0,
            dashboard_port=0,
            index_port=free_port(),  # replay's reader asks the worker's case index here
            home=self.home,
            partitions=partitions,
        )
        self.registry = RegistryProcess(self.settings)
        self.registry.start()
        self.connection: Connection = connect(self.settings)

    def worker(
        self, *args: str, app_id: str, name: str | None = None, command: tuple[str, ...] = RUN
    ) -> WorkerProcess:
        """A started and ready `onething run` (or ``command``) in consumer group ``app_id``.

        A group new to the broker starts at the end of every event topic, so history already on
        a given broker (or left by an earlier measurement) is not processed again.
        """
        self.start_group_at_end(app_id)
        process = WorkerProcess(
            log_path=self.home / f"{name or app_id}-{uuid.uuid4().hex[:6]}.log",
            env=self.worker_env(),
            args=(*args, "--app-id", app_id),
            command=command,
        )
        process.start()
        self._workers.append(process)  # stopped on close even if it never gets ready
        process.wait_ready(timeout=180)
        return process

    def worker_env(self) -> dict[str, str]:
        s = self.settings
        return {
            "ONETHING_BOOTSTRAP": s.bootstrap_servers,
            "ONETHING_REGISTRY_PORT": str(s.registry_port),
            "ONETHING_METRICS_PORT": "0",
            "ONETHING_DASHBOARD_PORT": "0",
            "ONETHING_INDEX_PORT": str(s.index_port),
            "ONETHING_HOME": str(s.home),
            "ONETHING_PARTITIONS": str(s.partitions),
            "ONETHING_TOKEN_KEY": BENCH_TOKEN_KEY,
            "ONETHING_EXTRA_DEPARTMENTS": "",
            "ONETHING_SEAL_KEY_DIR": str(self.seal_keys()),
        }

    def seal_keys(self) -> Path:
        """Seal keys of the bench's own (a worker refuses the demo keyset), made once."""
        directory = self.home / "seal-keys"
        if not (directory / PUBLIC_KEYS_FILE).exists():
            generate(directory, [d.name for d in discovery.departments()])
        return directory

    def start_group_at_end(self, group: str, topics: Iterable[str] | None = None) -> None:
        """Commit the log-end offsets of ``topics`` (every event topic) for a group with none."""
        topics = list(topics or (c.topic for c in self.connection.catalog))
        consumer = KafkaConsumer(
            bootstrap_servers=self.settings.bootstrap_servers, group_id=group, enable_auto_commit=False
        )
        try:
            partitions = [
                TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())
            ]
            committed = {tp: consumer.committed(tp) for tp in partitions}
            fresh = [tp for tp, offset in committed.items() if offset is None]
            if fresh:
                ends = consumer.end_offsets(fresh)
                consumer.commit({tp: OffsetAndMetadata(ends[tp], "", -1) for tp in fresh})
        finally:
            consumer.close()

    def stop_workers(self) -> None:
        for process in self._workers:
            process.stop()
        self._workers.clear()

    def close(self) -> None:
        self.stop_workers()
        if self.registry is not None:
            with contextlib.suppress(Exception):
                self.registry.stop()
        if self.broker is not None:
            self.broker.stop()
        shutil.rmtree(self.home, ignore_errors=True)


@contextlib.contextmanager
def bench_cluster(*, bootstrap: str | None = None, partitions: int = 3) -> Iterator[BenchCluster]:
    cluster = BenchCluster(bootstrap=bootstrap, partitions=partitions)
    try:
        yield cluster
    finally:
        cluster.close()
