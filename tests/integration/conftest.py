"""One real Kafka broker and one platform worker for the whole test session.

The broker runs from the cached Kafka jars on its own ports with its own data directory; the
worker is `onething run` in a separate process, with a deliberately faulty department plugged in.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from streams import discovery
from streams.broker import LocalBroker
from streams.config import Settings
from streams.eventlog import EventLog
from streams.registry.service import RegistryProcess
from streams.seals import PUBLIC_KEYS_FILE, generate
from streams.service_desk import ServiceDesk
from streams.startup import Connection, connect
from streams.worker_process import WorkerProcess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onething-home")


@pytest.fixture(scope="session")
def broker(home: Path) -> Iterator[LocalBroker]:
    # Fresh ports each session: a broker left by an interrupted run cannot get in the way.
    kafka = LocalBroker(
        home=home,
        port=free_port(),
        controller_port=free_port(),
        cache_dir=Settings().broker_dir,  # share the downloaded jars, not the data
    )
    kafka.start()
    yield kafka
    kafka.stop()


@pytest.fixture(scope="session")
def settings(broker: LocalBroker, home: Path) -> Settings:
    return Settings(
        bootstrap_servers=broker.bootstrap,
        registry_port=free_port(),
        metrics_port=free_port(),
        dashboard_port=free_port(),
        index_port=free_port(),
        home=home,
        extra_departments=("tests.integration.faulty:department",),
    )


def seal_key_dir(settings: Settings) -> Path:
    """This session's seal keys (one per department), made once: workers refuse the demo keyset."""
    directory = settings.home / "seal-keys"
    if not (directory / PUBLIC_KEYS_FILE).exists():
        generate(directory, [d.name for d in discovery.departments(extra=settings.extra_departments)])
    return directory


def worker_env(settings: Settings) -> dict[str, str]:
    return {
        "ONETHING_SEAL_KEY_DIR": str(seal_key_dir(settings)),
        "ONETHING_BOOTSTRAP": settings.bootstrap_servers,
        "ONETHING_REGISTRY_PORT": str(settings.registry_port),
        "ONETHING_METRICS_PORT": str(settings.metrics_port),
        "ONETHING_DASHBOARD_PORT": str(settings.dashboard_port),
        "ONETHING_INDEX_PORT": str(settings.index_port),
        "ONETHING_HOME": str(settings.home),
        "ONETHING_EXTRA_DEPARTMENTS": ",".join(settings.extra_departments),
        "ONETHING_STALL_SECONDS": str(settings.stall_seconds),
        # `onething run` refuses the public demo key; tests run with a key of their own.
        "ONETHING_TOKEN_KEY": "integration-tests-token-key",
    }


@pytest.fixture(scope="session")
def registry(settings: Settings) -> Iterator[RegistryProcess]:
    """The schema registry as its own process, as `onething broker up` runs it."""
    process = RegistryProcess(settings)
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def worker(settings: Settings, registry: RegistryProcess) -> Iterator[WorkerProcess]:
    process = WorkerProcess(log_path=settings.home / "worker.log", env=worker_env(settings))
    process.start()
    process.wait_ready()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def connection(settings: Settings, worker: WorkerProcess) -> Connection:
    # The registry process serves; this process registers (idempotently) and caches ids.
    return connect(settings)


@contextmanager
def worker_instead(
    worker: WorkerProcess, settings: Settings, *, log_name: str, env: dict[str, str]
) -> Iterator[WorkerProcess]:
    """The session worker stopped and another in its place (extra ``env``); it comes back after."""
    worker.stop()
    other = WorkerProcess(log_path=settings.home / log_name, env={**worker_env(settings), **env})
    other.start()
    try:
        other.wait_ready()
        yield other
    finally:
        other.stop()
        worker.start()
        worker.wait_ready()


@contextmanager
def fast_clock_worker(
    worker: WorkerProcess,
    connection: Connection,
    *,
    speed: float,
    log_name: str,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[Settings, Connection]]:
    """The worker on a clock running ``speed`` times real time (and any other ``env``), and a
    connection stamping events on the same clock (the session's codec and registry); the session
    worker comes back after."""
    settings = connection.settings
    fast = replace(settings, clock_speed=speed, clock_origin=time.time())
    env = {
        "ONETHING_CLOCK_SPEED": str(fast.clock_speed),
        "ONETHING_CLOCK_ORIGIN": repr(fast.clock_origin),
        **(env or {}),
    }
    with worker_instead(worker, settings, log_name=log_name, env=env):
        yield fast, Connection(fast, connection.catalog, connection.codec, connection.registry_url)


# A module that sets SPEED gets these: its worker on a clock running SPEED times real time.
@pytest.fixture(scope="module")
def fast_clock(
    request: pytest.FixtureRequest, connection: Connection, worker: WorkerProcess
) -> Iterator[tuple[Settings, Connection]]:
    """For one module, the worker on the module's fast clock; the session worker comes back after."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    speed = request.module.SPEED
    with fast_clock_worker(worker, connection, speed=speed, log_name=f"{name}-worker.log") as fast:
        yield fast


@pytest.fixture(scope="module")
def fast_settings(fast_clock: tuple[Settings, Connection]) -> Settings:
    return fast_clock[0]


@pytest.fixture(scope="module")
def fast_connection(fast_clock: tuple[Settings, Connection]) -> Connection:
    return fast_clock[1]


@pytest.fixture(scope="module")
def intake(fast_connection: Connection) -> Iterator[ServiceDesk]:
    """A service desk stamping applications on the module's fast clock."""
    service_desk = ServiceDesk(fast_connection)
    yield service_desk
    service_desk.close()


@pytest.fixture(scope="session")
def event_log(connection: Connection) -> Iterator[EventLog]:
    log = EventLog(connection)
    yield log
    log.close()


@pytest.fixture(scope="session")
def desk(connection: Connection) -> Iterator[ServiceDesk]:
    service_desk = ServiceDesk(connection)
    yield service_desk
    service_desk.close()
