"""`onething demo --once --json`: every flow and the issue loop end, and the summary says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.integration.conftest import worker_env

pytestmark = pytest.mark.integration


def test_the_demo_ends_with_nothing_open(settings, worker):
    # The demo runs its own worker on a fast clock; the session's worker steps aside meanwhile.
    worker.stop()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "streams.cli",
                "demo",
                "--once",
                "--json",
                "--cases",
                "1",
                "--issues",
                "6",
            ],
            env={**os.environ, **worker_env(settings)},
            capture_output=True,
            text=True,
            timeout=400,
        )
    finally:
        worker.start()
        worker.wait_ready()
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)

    assert summary["cases"]["open"] == 0
    assert summary["cases"]["started"] == len(summary["flows"]) >= 16
    assert summary["cases"]["completed"] + summary["cases"]["rejected"] == summary["cases"]["started"]
    issues = summary["issues"]
    assert issues["open"] == 0 and issues["closed"] >= 1
    assert issues["closure_rate"] == 1.0
    assert 0 <= issues["satisfaction_rate"] <= 1 and 0 <= issues["on_time_rate"] <= 1
    assert summary["events"] > summary["cases"]["started"]
    assert summary["dead_lettered"] == 0
    assert summary["departments"]["market_regulation"]["display_name"] == "市场监管局"
