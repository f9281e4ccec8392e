"""`onething run` will not tokenize citizens with the public demo key unless told it is a demo."""

from __future__ import annotations

import pytest

from streams.identifiers import DEMO_TOKEN_KEY
from streams.seals import generate
from tests.unit.commands.running import run

# Both flags together leave nothing to run: the command stops right after the key check, offline.
NOTHING = ("--no-departments", "--no-tracker")


@pytest.mark.parametrize("key", [None, "", DEMO_TOKEN_KEY])
def test_run_refuses_to_start_without_a_key_of_its_own(key, monkeypatch, capsys):
    if key is None:
        monkeypatch.delenv("ONETHING_TOKEN_KEY", raising=False)
    else:
        monkeypatch.setenv("ONETHING_TOKEN_KEY", key)

    code, out, err = run(capsys, "run", *NOTHING)

    assert code == 2
    assert err.count("\n") == 1
    assert "ONETHING_TOKEN_KEY" in err and "--demo" in err
    assert "nothing to run" not in err  # refused before anything else is looked at


def test_run_accepts_a_key_of_its_own(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ONETHING_TOKEN_KEY", "a-secret-of-this-deployment")
    monkeypatch.setenv("ONETHING_SEAL_KEY_DIR", str(generate(tmp_path, ["market_regulation"]).parent))
    code, _, err = run(capsys, "run", *NOTHING)
    assert code == 2 and "nothing to run" in err and "ONETHING_TOKEN_KEY" not in err


def test_run_refuses_the_demo_seal_keys(monkeypatch, capsys):
    # Anyone can seal with the public demo keyset: a deployment must bring its own keys.
    monkeypatch.setenv("ONETHING_TOKEN_KEY", "a-secret-of-this-deployment")
    monkeypatch.delenv("ONETHING_SEAL_KEY_DIR", raising=False)
    code, _, err = run(capsys, "run", *NOTHING)
    assert code == 2 and err.count("\n") == 1
    assert "ONETHING_SEAL_KEY_DIR" in err and "--demo" in err


def test_run_accepts_the_demo_key_when_told_it_is_a_demo(monkeypatch, capsys):
    monkeypatch.delenv("ONETHING_TOKEN_KEY", raising=False)
    code, _, err = run(capsys, "run", "--demo", *NOTHING)
    assert code == 2 and "nothing to run" in err and "ONETHING_TOKEN_KEY" not in err
