"""docs/add-a-department.md, done as written: every command of its shell blocks, in order.

The commands are read from the guide itself, so the guide cannot drift from what works. The
package is installed into a throwaway environment (tests/plugin_env.py), never into the project's
virtualenv. Two lines are the test's to play: `onething broker up` (the session's broker and
registry are already up) and `onething run`, which the guide leaves running in its own terminal:
here it replaces the session's worker until the guide is done.
"""

from __future__ import annotations

import json
import re
import shlex
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from streams.worker_process import WorkerProcess
from tests.integration.conftest import worker_env
from tests.plugin_env import ROOT, PluginEnvironment

pytestmark = pytest.mark.integration

GUIDE = ROOT / "docs" / "add-a-department.md"


def guide_commands() -> list[str]:
    """Every command line of the guide's ```sh blocks, in order (comments dropped)."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_the_guide_has_the_steps_this_test_relies_on():
    commands = guide_commands()
    assert commands[0].startswith("onething new-agent pension")
    assert "onething run --demo" in commands and "onething broker up" in commands
    assert commands.index("onething run --demo") < commands.index(
        "onething simulate --flow pension --cases 3"
    )


# What a reader should see after each command (the exit code is checked for every one).
EXPECTED: dict[str, Callable[[str], bool]] = {
    "onething departments list | grep pension": lambda out: "养老保险中心 pension" in out,
    "onething graph --check": lambda out: "every matter reachable" in out,
    "onething graph --flow pension": lambda out: "审批 pension.approval · 养老保险中心" in out,
    "(cd onething-pension && pytest -q)": lambda out: re.search(r"\d+ passed", out) is not None,
    "onething cases list --flow pension": lambda out: "pension" in out,
}


@contextmanager
def guide_worker(
    worker: WorkerProcess, environment: PluginEnvironment, settings, args: list[str]
) -> Iterator[WorkerProcess]:
    """`onething run` from the plug-in's environment in place of the session's worker."""
    worker.stop()
    mine = WorkerProcess(
        log_path=settings.home / "guide-worker.log",
        env=environment.env,
        args=tuple(args),
        python=str(environment.python),
    )
    mine.start()
    try:
        mine.wait_ready(timeout=180)
        yield mine
    finally:
        mine.stop()
        worker.start()
        worker.wait_ready()


def test_the_guide_from_scaffold_to_the_live_flow_map(tmp_path: Path, settings, worker):
    env = {k: v for k, v in worker_env(settings).items() if k != "ONETHING_EXTRA_DEPARTMENTS"}
    environment = PluginEnvironment(tmp_path / "env", env=env)
    work = tmp_path / "work"
    work.mkdir()
    outputs: dict[str, str] = {}
    with ExitStack() as running:
        for command in guide_commands():
            if command == "onething broker up":
                continue  # the session's broker and registry are up
            if command.startswith("onething run"):
                running.enter_context(guide_worker(worker, environment, settings, shlex.split(command)[2:]))
                continue
            done = environment.sh(command, cwd=work, timeout=600)
            assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            outputs[command] = done.stdout
            if check := EXPECTED.get(command):
                assert check(done.stdout), f"{command} printed:\n{done.stdout[-3000:]}"
        # The worker is still up: its dashboard draws the department with the cases that reached it.
        assert cases_in_flow_map(settings.dashboard_port, "pension.approval") == 3

    started = json.loads(outputs["onething simulate --flow pension --cases 3"])
    ids = started["case_ids"]["pension"]
    assert len(ids) == 3 and started["cases"]["open"] == 0
    assert all(case_id in outputs["onething cases list --flow pension"] for case_id in ids)


def cases_in_flow_map(port: int, matter: str, *, timeout: float = 30) -> int:
    """How many cases the dashboard's flow map shows reaching ``matter``, once it has seen them all."""
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/flows", timeout=10) as response:
            maps = json.load(response)
        [flow] = [m for m in maps if m["name"] == "pension"]
        assert any(n.get("department_name") == "养老保险中心" for n in flow["nodes"])
        count = sum(e["count"] for e in flow["edges"] if e["target"] == matter)
        if count >= 3:
            break
        time.sleep(1)  # the dashboard folds the log again every few seconds
    return count
