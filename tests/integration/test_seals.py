"""电子印章 on the real broker: a completed restaurant's licence, read back from the log, carries its
department's seal, which `onething seal verify` accepts offline and refuses once a byte changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.integration.conftest import worker_env
from tests.integration.test_restaurant_flow import outcome, submit

pytestmark = pytest.mark.integration


def onething(settings, *args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        env={**os.environ, **worker_env(settings)},
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def test_a_completed_restaurants_licence_is_sealed_and_verifies_offline(desk, event_log, settings, tmp_path):
    application = submit(desk, "印章小馆", 120.0)
    assert outcome(event_log, application.case_id).type == "CaseCompleted"
    [licence] = [e for e in event_log.events(application.case_id) if e.type == "BusinessLicenseIssued"]
    assert licence["seal"]["department"] == "market_regulation"
    assert not licence["seal"]["key_id"].startswith("demo-")  # the session's own keys

    shown = onething(settings, "seal", "show", application.case_id)
    assert shown.returncode == 0, shown.stderr.decode()[-2000:]
    documents = json.loads(shown.stdout)
    issued = {d["certificate"]["type"] for d in documents}
    assert issued >= {"BusinessLicenseIssued", "FoodBusinessPermitIssued"}

    # Offline: only the published key file, no broker.
    keys = str(settings.home / "seal-keys" / "public-keys.json")
    verified = subprocess.run(
        [sys.executable, "-m", "streams.cli", "seal", "verify", "-", "--keys", keys],
        input=shown.stdout,
        capture_output=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("ONETHING_")},
    )
    assert verified.returncode == 0, verified.stderr.decode()
    assert f"{len(documents)} seal(s) verified" in verified.stdout.decode()

    [licence_document] = [d for d in documents if d["certificate"]["type"] == "BusinessLicenseIssued"]
    path = tmp_path / "licence.json"
    raw = json.dumps(licence_document, ensure_ascii=False).encode()
    at = raw.index(b'"premises_area_m2": 120.0') + len(b'"premises_area_m2": ')
    tampered = raw[:at] + b"9" + raw[at + 1 :]  # 120.0 m² becomes 920.0: one changed byte
    path.write_bytes(tampered)
    refused = subprocess.run(
        [sys.executable, "-m", "streams.cli", "seal", "verify", str(path), "--keys", keys],
        capture_output=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert refused.stderr.decode().count("\n") == 1 and "does not match" in refused.stderr.decode()
