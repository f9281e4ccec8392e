"""After `onething simulate`, its case ids are on screen and `onething cases list` finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.integration.conftest import worker_env


def onething(settings, *argv: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *argv],
        env={**os.environ, **worker_env(settings)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_simulated_cases_are_listed_with_their_outcome(settings, worker):
    simulated = onething(
        settings, "simulate", "--flow", "open_restaurant", "--cases", "3", "--seed", "8", "--timeout", "120"
    )
    assert simulated.returncode == 0, simulated.stderr[-2000:]
    ids = json.loads(simulated.stdout)["case_ids"]["open_restaurant"]
    assert len(ids) == 3
    assert f"  open_restaurant: {' '.join(ids)}" in simulated.stderr.splitlines()

    listed = onething(settings, "cases", "list", "--flow", "open_restaurant", "--limit", "0", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["case_id"]: row for row in json.loads(listed.stdout)}
    for case_id in ids:
        assert rows[case_id]["flow"] == "open_restaurant"
        assert rows[case_id]["state"] in ("completed", "rejected")
        assert rows[case_id]["subject"]

    table = onething(settings, "cases", "list", "--state", "completed", "--limit", "0")
    completed = [case_id for case_id in ids if rows[case_id]["state"] == "completed"]
    assert completed  # seed 8: most restaurant applications are complete and eligible
    assert all(case_id in table.stdout for case_id in completed)
