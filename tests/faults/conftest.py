"""The fault suite's own broker, registry and worker (`make test-faults`).

The fixtures are the integration suite's; only the departments differ: the fault suite plugs in
departments with the bugs real plug-ins have.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.broker import LocalBroker
from streams.config import Settings
from tests.integration import conftest as shared

# The integration suite's fixtures, registered here by name.
home, broker, registry, worker = shared.home, shared.broker, shared.registry, shared.worker
connection, event_log, desk = shared.connection, shared.event_log, shared.desk

FAULTY_DEPARTMENTS = (
    "tests.integration.faulty:department",
    "tests.faults.broken:department",
    "tests.faults.stuck:department",
)


@pytest.fixture(scope="session")
def settings(broker: LocalBroker, home: Path) -> Settings:
    return Settings(
        bootstrap_servers=broker.bootstrap,
        registry_port=shared.free_port(),
        metrics_port=shared.free_port(),
        dashboard_port=shared.free_port(),
        index_port=shared.free_port(),
        home=home,
        extra_departments=FAULTY_DEPARTMENTS,
        # Faults make stalls likelier (faust after rebalances); the watch restarts a stalled worker.
        stall_seconds=30,
    )
