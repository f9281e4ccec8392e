"""Replay and audit on the real broker: a completed case and a reopened, closed enterprise issue
read back as consistent causal chains, with and without the worker's case index; an event written
under an old schema revision still replays; projections rebuilt from offset zero equal the live
ones; an evidence pack exported from the log verifies.

The worker runs on a fast clock (as in test_issue_loop) so the issue goes round its loop in seconds.
"""

from __future__ import annotations

import io
import json
import time

import fastavro
import pytest
from kafka import KafkaProducer

from streams.cli import main
from streams.demo import EVERY_MATERIAL, restaurant_application
from streams.envelope import new_envelope
from streams.identifiers import make_uscc
from streams.issues import model as m
from streams.registry.client import RegistryClient
from streams.replay.reader import LogReader
from streams.replay.rebuild import rebuild
from streams.service_desk import new_case_id
from streams.wire import frame
from tests.integration.conftest import worker_env

pytestmark = pytest.mark.integration

SPEED = 40_000.0
TIMEOUT = 90


def ended(event_log, case_id, types):
    ok = event_log.wait_until(lambda: any(e.type in types for e in event_log.events(case_id)), TIMEOUT)
    assert ok, f"{case_id} did not end: {[e.type for e in event_log.events(case_id)]}"
    return event_log.events(case_id)


@pytest.fixture(scope="module")
def completed_case(intake, event_log):
    app = restaurant_application("回放餐馆", 350.0, 8, "回放", list(EVERY_MATERIAL))
    case_id = intake.submit(
        "RestaurantApplicationSubmitted", app, subject=app["legal_representative"]
    ).case_id
    events = ended(event_log, case_id, {"CaseCompleted", "CaseRejected"})
    assert "CaseCompleted" in {e.type for e in events}
    return case_id


@pytest.fixture(scope="module")
def reopened_issue(intake, event_log):
    body = {
        "channel": "HOTLINE_12345",
        "uscc": make_uscc(f"replay-{time.time()}"),
        "enterprise_name": "宁波回放测试有限公司",
        "category": "utilities",
        "description": "新厂区用电扩容两个月未接通",
        "tier": "COUNTY",
        "city": "ningbo",
        "difficulty": None,
        "tags": [m.TAG_REPEATED],  # the enterprise is dissatisfied once: the issue is reopened
    }
    issue_id = intake.submit(m.RAISED, body, subject=body["uscc"], case_id=new_case_id("QY")).case_id
    events = ended(event_log, issue_id, {m.CLOSED})
    assert m.REOPENED in {e.type for e in events}
    return issue_id


@pytest.fixture
def cli_env(fast_settings, monkeypatch):
    for name, value in worker_env(fast_settings).items():
        monkeypatch.setenv(name, value)
    return fast_settings


def replayed(capsys, *args: str) -> dict:
    capsys.readouterr()
    assert main(["replay", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def assert_consistent(chain: dict, root_type: str) -> None:
    events = chain["events"]
    ids = {e["event_id"] for e in events}
    assert len(ids) == len(events), "an event appears twice"
    assert events[0]["type"] == root_type and events[0]["causation_id"] is None
    placed: set[str] = set()
    for event in events:
        assert event["causation_id"] is None or event["causation_id"] in placed, event
        placed.add(event["event_id"])
    assert [e for e in events if e["causation_id"] is None] == events[:1]
    assert chain["consistent"] and not chain["causes_outside_chain"]


def test_a_completed_case_replays_as_one_chain_from_its_application(completed_case, cli_env, capsys):
    chain = replayed(capsys, "--case", completed_case)
    assert_consistent(chain, "RestaurantApplicationSubmitted")
    assert chain["outcome"] == "CaseCompleted"
    assert {"market_regulation", "fire_rescue"} <= set(chain["held_seconds"])
    assert all(e["topic"] and e["offset"] >= 0 and e["schema_id"] > 0 for e in chain["events"])

    assert main(["replay", "--case", completed_case]) == 0
    text = capsys.readouterr().out
    assert text.startswith(
        f"{completed_case}: {len(chain['events'])} events, causes before effects · CaseCompleted"
    )
    assert "held by:" in text and "消防救援支队" in text


def test_a_reopened_issue_replays_from_its_report_to_its_closure(reopened_issue, cli_env, capsys):
    chain = replayed(capsys, "--issue", reopened_issue)
    assert_consistent(chain, m.RAISED)
    types = [e["type"] for e in chain["events"]]
    assert types.index(m.REOPENED) < types.index(m.CLOSED)
    reopened = next(e for e in chain["events"] if e["type"] == m.REOPENED)
    assert reopened["cause_type"] == m.RATED


def test_the_index_finds_the_case_and_the_log_agrees(completed_case, reopened_issue, fast_connection):
    """The worker's index names every position; scanning the case's partitions finds the same."""
    for case_id in (completed_case, reopened_issue):
        reader = LogReader(fast_connection)
        try:
            indexed = reader.case(case_id)
            assert reader.used_index
            scanned = reader.scan_case(case_id)
        finally:
            reader.close()
        assert {r.event.event_id for r in indexed} == {r.event.event_id for r in scanned}


def test_without_the_index_replay_reads_the_same_chain(completed_case, cli_env, capsys, monkeypatch):
    with_index = replayed(capsys, "--case", completed_case)
    monkeypatch.setenv("ONETHING_INDEX_PORT", "0")
    without = replayed(capsys, "--case", completed_case)
    assert [e["event_id"] for e in without["events"]] == [e["event_id"] for e in with_index["events"]]


def test_reports_are_written_to_files(completed_case, reopened_issue, cli_env, capsys, tmp_path):
    page, lines = tmp_path / "case.html", tmp_path / "case.jsonl"
    assert main(["replay", "--issue", reopened_issue, "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert reopened_issue in html and m.REOPENED in html and "<script" not in html and "src=" not in html
    assert main(["replay", "--case", completed_case, "--jsonl", str(lines)]) == 0
    records = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert records[0]["type"] == "RestaurantApplicationSubmitted" and records[-1]["case_id"] == completed_case


def test_the_subject_finds_its_cases(reopened_issue, event_log, cli_env, capsys):
    subject = event_log.events(reopened_issue)[0].subject
    chains = replayed(capsys, "--subject", subject)
    assert reopened_issue in [c["case_id"] for c in chains]


def test_unknown_case_is_one_line(cli_env, capsys):
    assert main(["replay", "--case", "C-NO-SUCH-CASE"]) == 2
    assert capsys.readouterr().err == "onething: nothing in the event log for case C-NO-SUCH-CASE\n"


def old_revision_case(fast_connection) -> tuple[str, int]:
    """A CaseCompleted written as an old producer wrote it: revision 1 of its schema."""
    contract = fast_connection.catalog["CaseCompleted"]
    old = contract.revisions[0]
    client = RegistryClient(fast_connection.registry_url)
    old_id = client.register(contract.subject, json.dumps(old))  # already there: its id
    assert old_id != fast_connection.codec.schema_id(contract.full_name)
    case_id = new_case_id("C")
    envelope = new_envelope(
        event_type=contract.full_name,
        case_id=case_id,
        department="tracker",
        agent_version="0.0.9",
        subject="91330200MA2OLD0001",
    )
    payload = {"flow": "restaurant", "matters": ["market_regulation.business_license"], "started_at": 0}
    body = io.BytesIO()
    fastavro.schemaless_writer(body, fastavro.parse_schema(old), {"envelope": envelope, "payload": payload})
    producer = KafkaProducer(bootstrap_servers=fast_connection.settings.bootstrap_servers, acks="all")
    producer.send(contract.topic, key=case_id.encode(), value=frame(old_id, body.getvalue())).get(30)
    producer.close()
    return case_id, old_id


def test_an_event_of_an_old_schema_revision_still_replays(fast_connection, cli_env, capsys, tmp_path):
    case_id, old_id = old_revision_case(fast_connection)
    chain = replayed(capsys, "--case", case_id)
    [event] = chain["events"]
    assert event["schema_id"] == old_id and event["agent_version"] == "0.0.9"
    # Fields added by revision 2 read as their declared defaults.
    assert event["payload"]["steps"] == 2 and event["payload"]["on_time"] is True
    pack = tmp_path / "old.json"
    assert main(["audit", "export", "--case", case_id, "-o", str(pack)]) == 0
    assert main(["audit", "verify", str(pack)]) == 0


def test_an_evidence_pack_from_the_log_verifies(reopened_issue, cli_env, capsys, tmp_path):
    pack = tmp_path / "issue.jsonl"
    assert main(["audit", "export", "--issue", reopened_issue, "-o", str(pack)]) == 0
    assert main(["audit", "verify", str(pack)]) == 0
    lines = pack.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines[1:-1]]
    assert entries[0]["type"] == m.RAISED and all(e["producer"]["agent_version"] for e in entries)
    lines[2], lines[3] = lines[3], lines[2]  # events #1 and #2 (line 1 is the header)
    pack.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["audit", "verify", str(pack)]) == 1
    assert f"event #2 {entries[2]['type']} {entries[2]['event_id']} out of order" in capsys.readouterr().err


def test_rebuilt_projections_equal_the_live_ones(
    completed_case, reopened_issue, fast_connection, cli_env, capsys
):
    """Once the worker has caught up, folding the whole log again gives the worker's tables."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        reader = LogReader(fast_connection)
        try:
            counts, differences = rebuild(reader, app_id="onething")
        finally:
            reader.close()
        if not differences or time.monotonic() > deadline:
            break
        time.sleep(2)  # the worker may still be folding the last events in
    assert not differences, "\n".join(str(d) for d in differences[:20])
    assert counts["cases"] >= 1 and counts["issues"] >= 1
    assert main(["replay", "--rebuild"]) == 0
    assert "identical to the live state" in capsys.readouterr().out
