"""Installing a well-formed plug-in does not make this repository's own tests fail: the tests that
count or document declarations look at the repository's own (docs/flows, listings, every flow)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.plugins import RETIREMENT, python_path

ROOT = Path(__file__).resolve().parents[3]
# The tests that read every discovered declaration; the rest never look past their own.
DECLARATION_TESTS = [
    "tests/unit/commands",
    "tests/unit/flows",
    "tests/unit/departments/test_contract.py",
    "tests/unit/test_acls.py",
    "tests/unit/test_cli.py",
]


def test_the_declaration_tests_pass_with_the_retirement_plug_in_installed(tmp_path):
    env = {**os.environ, "PYTHONPATH": python_path(RETIREMENT, tmp_path / "site")}
    env.pop("ONETHING_EXTRA_DEPARTMENTS", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *DECLARATION_TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    # It did see the plug-in: the contract suite ran the extension's matters too.
    listing = subprocess.run(
        [sys.executable, "-m", "streams.cli", "flows", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "pension_after_death" in listing.stdout
