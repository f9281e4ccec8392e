"""The pure pieces of replay: index entries, renderings, projection comparison."""

from __future__ import annotations

import json
from dataclasses import replace

from aiokafka.partitioner import DefaultPartitioner

from streams.demo import display_names
from streams.replay import render
from streams.replay.chain import build_chain
from streams.replay.index import add_position, cases_of
from streams.replay.reader import key_partition
from streams.replay.rebuild import compare, in_log_order
from tests.unit.replay.cases import restaurant_records


def test_the_index_entry_gathers_each_position_once():
    records = restaurant_records()
    entry = None
    for record in [*records, records[0]]:  # the first one indexed twice
        entry = add_position(entry, record.event, record.partition, record.offset)
    assert entry["positions"] == [[r.topic, r.partition, r.offset] for r in records]
    assert entry["first_at"] <= entry["last_at"] and entry["subject"] == records[-1].event.subject


def test_a_copy_of_an_event_at_another_position_is_indexed_there_and_replayed_once():
    records = restaurant_records()
    copy = replace(records[1], offset=records[1].offset + 100)  # published again after a crash
    entry = None
    for record in [*records, copy]:
        entry = add_position(entry, record.event, record.partition, record.offset)
    assert [copy.topic, copy.partition, copy.offset] in entry["positions"]
    chain = build_chain("C-REPLAY", [*records, copy])
    assert [link.event.event_id for link in chain.links].count(records[1].event.event_id) == 1


def test_a_subject_finds_every_case_it_appears_in_oldest_first():
    records = restaurant_records()
    entry = None
    for record in records:
        entry = add_position(entry, record.event, record.partition, record.offset)
    token, uscc = records[0].event.subject, records[-1].event.subject
    assert entry["subjects"] == [token, uscc]
    later = {**entry, "first_at": entry["first_at"] + 1, "subjects": [uscc]}
    entries = [("C-LATER", later), ("C-REPLAY", entry), ("C-OTHER", {**entry, "subjects": ["someone"]})]
    assert cases_of(entries, uscc) == ["C-REPLAY", "C-LATER"]
    assert cases_of(entries, token) == ["C-REPLAY"]


def test_the_partition_is_the_one_the_workers_producer_picks():
    producer_choice = DefaultPartitioner()
    for key in [f"C-{i:04X}".encode() for i in range(200)] + [b"QY-3F2A9C0D1B7E"]:
        for partitions in (1, 3, 6):
            every = list(range(partitions))
            assert key_partition(key, partitions) == producer_choice(key, every, every)


def test_text_names_departments_causes_and_holdings():
    chain = build_chain("C-REPLAY", restaurant_records())
    lines = render.text(chain, display_names())
    assert lines[0].startswith(f"C-REPLAY: {len(chain.links)} events, causes before effects · CaseCompleted")
    assert any("市场监管局" in line and "← RestaurantApplicationSubmitted" in line for line in lines)
    assert "  held by:" in lines


def test_json_and_html_carry_every_event():
    chain = build_chain("C-REPLAY", restaurant_records())
    document = render.chain_record(chain, display_names())
    json.dumps(document)  # plain JSON all the way down
    assert [e["event_id"] for e in document["events"]] == [e.event_id for e in chain.events]
    page = render.html_report([chain], display_names(), title="C-REPLAY <test>")
    assert "C-REPLAY &lt;test&gt;" in page and "<script" not in page
    assert all(e.type in page for e in chain.events)
    assert len(render.jsonl([chain], {})) == len(chain.links)


def test_compare_names_each_differing_field():
    live = {"C-1": {"status": "open", "done": ["a"]}, "C-2": {"status": "completed"}}
    rebuilt = {"C-1": {"status": "completed", "done": ("a",)}, "C-3": {"status": "open"}}
    differences = [str(d) for d in compare(live, rebuilt, "cases")]
    assert differences == [
        'cases C-1 status: live "open", rebuilt "completed"',
        'cases C-2: live {"status": "completed"}, rebuilt null',
        'cases C-3: live null, rebuilt {"status": "open"}',
    ]


def test_what_only_the_arrival_order_decides_is_not_a_difference():
    live = {"C-1": {"done": ["a", "b"], "last": {"event_id": "x"}, "status": "completed"}}
    rebuilt = {"C-1": {"done": ["b", "a"], "last": {"event_id": "y"}, "status": "completed"}}
    assert compare(live, rebuilt, "cases") == []
    rebuilt["C-1"]["done"] = ["b"]
    assert [d.field for d in compare(live, rebuilt, "cases")] == ["done"]


def test_log_order_keeps_the_first_copy_of_an_event():
    records = list(restaurant_records())
    copy = replace(records[1], offset=500, timestamp=records[-1].timestamp + 1)
    ordered = in_log_order([*records, copy])
    assert len(ordered) == len(records) and copy not in ordered


def test_replay_says_in_one_line_what_is_wrong(capsys):
    from streams.cli import main

    for argv, reason in (
        (["replay"], "say what to replay"),
        (["replay", "--flow", "no_such_flow"], "no flow 'no_such_flow'"),
        (["replay", "--case", "C-1", "--since", "yesterday"], "not an ISO time"),
        (["replay", "--case", "C-1", "--issue", "QY-1"], "one of them"),
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert reason in err and len(err.strip().splitlines()) == 1, err


def test_a_case_of_a_flow_not_installed_here_is_left_out_on_both_sides():
    from streams import discovery
    from streams.flows import FlowMap
    from streams.replay.rebuild import comparable_cases

    flow_map = FlowMap(discovery.flows(), discovery.departments())
    installed = next(iter(flow_map.flows))
    live = {"C-1": {"flow": installed, "status": "open"}, "P-1": {"flow": "pension", "status": "open"}}
    rebuilt = {
        "C-1": {"flow": installed, "status": "open"},
        "P-1": {"flow": None, "status": "open"},  # only its rejection was understood here
        "P-2": {"flow": None, "status": "open"},  # the same, after the worker purged it
        "C-2": {"flow": installed, "status": "open"},  # the worker lost an open case: a difference
    }
    kept_live, kept_rebuilt = comparable_cases(live, rebuilt, flow_map)
    assert set(kept_live) == {"C-1"}
    assert set(kept_rebuilt) == {"C-1", "C-2"}
