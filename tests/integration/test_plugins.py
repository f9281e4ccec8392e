"""Plug-ins on the real broker: a package extends 人社局 and adds an event-started flow, shipping its
own contracts; a broken package beside it is refused, naming each mistake, and everything else runs.

The packages are installed for the worker (and `onething simulate`) the way pip leaves them: their
code and a ``.dist-info`` with their entry points on the path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta

import pytest

from streams.contracts import load_catalog
from streams.eventlog import EventLog
from streams.samples import today
from streams.service_desk import ServiceDesk
from streams.startup import connect
from tests.integration.conftest import worker_env, worker_instead
from tests.integration.test_restaurant_flow import outcome, submit
from tests.plugins import BROKEN, RETIREMENT, python_path

pytestmark = pytest.mark.integration

RETIREE, DECEASED = "ct_" + "3" * 32, "ct_" + "4" * 32


@pytest.fixture(scope="module")
def plugged(worker, settings, tmp_path_factory) -> Iterator[dict[str, str]]:
    """The session worker replaced by one with both plug-ins installed; the environment it runs with."""
    site = tmp_path_factory.mktemp("site-packages")
    path = os.pathsep.join([python_path(RETIREMENT, site), python_path(BROKEN, site)])
    env = {"PYTHONPATH": path}
    with worker_instead(worker, settings, log_name="plugged-worker.log", env=env):
        yield {**worker_env(settings), **env}


@pytest.fixture(scope="module")
def plugged_connection(plugged, settings):
    return connect(
        settings,
        catalog=load_catalog(packages={"retirement": RETIREMENT / "onething_retirement" / "schemas"}),
    )


@pytest.fixture(scope="module")
def plugged_desk(plugged_connection) -> Iterator[ServiceDesk]:
    desk = ServiceDesk(plugged_connection)
    yield desk
    desk.close()


@pytest.fixture(scope="module")
def plugged_log(plugged_connection) -> Iterator[EventLog]:
    log = EventLog(plugged_connection)
    yield log
    log.close()


def test_the_extension_handles_its_application_as_human_resources(plugged_desk, plugged_log):
    application = plugged_desk.submit(
        "RetirementApplicationSubmitted",
        {
            "retiree": RETIREE,
            "retirement_date": today() + timedelta(days=10),
            "contribution_years": 30,
            "channel": "ONLINE",
            "materials": ["retirement_approval"],
        },
        subject=RETIREE,
    )
    completed = outcome(plugged_log, application.case_id)
    assert completed.type == "CaseCompleted"
    assert completed["matters"] == ["human_resources.retirement_pension"]
    [granted] = [e for e in plugged_log.events(application.case_id) if e.type == "PensionGranted"]
    assert granted.producer == "human_resources" and granted["monthly_pension_yuan"] == 3600.0


def test_a_death_registration_starts_its_flow_with_no_application(plugged_desk, plugged_log):
    death = plugged_desk.submit(
        "DeathRegistered",
        {"deceased": DECEASED, "death_date": today() - timedelta(days=1), "receiving_pension": True},
        subject=DECEASED,
        producer="public_security",
    )
    completed = outcome(plugged_log, death.case_id)
    assert completed.type == "CaseCompleted"
    assert completed["matters"] == ["human_resources.pension_stop"]
    assert (completed["submissions"], completed["materials"], completed["trips"]) == (0, 0, 0)


def test_the_platforms_own_flows_keep_running(plugged, desk, event_log):
    application = submit(desk, "插件旁的小馆", 80.0)
    assert outcome(event_log, application.case_id).type == "CaseCompleted"


def test_the_broken_plug_in_is_refused_naming_each_mistake(plugged, settings):
    log = (settings.home / "plugged-worker.log").read_text(encoding="utf-8", errors="replace")
    refusals = [line for line in log.splitlines() if line.startswith("onething: refused ")]
    assert len(refusals) == 5, refusals
    assert any(
        "department human_resources is already declared by agents.human_resources" in r for r in refusals
    )
    assert any("when retiree > 3" in r and "string field" in r for r in refusals)
    assert any("No module named 'onething_broken.not_written_yet'" in r for r in refusals)


def test_simulate_runs_the_plug_in_flows(plugged):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "streams.cli",
            "simulate",
            "--flow",
            "pension_after_death",
            "--cases",
            "3",
            "--seed",
            "4",
            "--timeout",
            "90",
        ],
        env={**os.environ, **plugged},
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["flows"]["pension_after_death"]["completed"] == 3
