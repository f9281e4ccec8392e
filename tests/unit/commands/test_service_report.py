"""The report's service sections and `onething coverage` / `onething discover` as a user sees them."""

from __future__ import annotations

import json
import socket
from datetime import datetime

import pytest

from streams.calendar import CHINA
from streams.cli import main
from streams.commands import discover as discover_command
from streams.commands import service_report
from streams.commands.measure import measure
from streams.commands.report import report_data
from streams.demand import Candidate
from streams.events import Event
from tests.unit.commands.declarations import shop_flow

NOVEMBER = datetime(2026, 11, 3, 10, tzinfo=CHINA)


def event(event_type: str, case_id: str, **payload) -> Event:
    return Event(
        event_type, payload, {"case_id": case_id, "occurred_at": NOVEMBER, "correlation_id": case_id}
    )


def test_each_flow_carries_its_channel_mix_rate_by_month_and_shares():
    flows = [shop_flow()]
    helper = {"helper": "ct_x", "role": "VOLUNTEER", "consent_reference": "SQ-1"}
    events = [
        event("Applied", "C-1", channel="MOBILE", materials=[]),
        event("Applied", "C-2", channel="ONLINE", materials=[]),
        event("Applied", "C-3", channel="NEARBY", materials=[], assisted_by=helper),
        event("Applied", "C-4", channel="COUNTER", materials=[], cross_region={"receiving_city": "上海市"}),
        event("IssueRaised", "I-1", channel="HOTLINE_12345"),
        event("BundleRequested", "BUNDLE-1", bundle="outlet", members=[], channel="MOBILE"),
        event("BundleCompleted", "BUNDLE-1", bundle="outlet", members=[], all_completed=True),
    ]
    data = report_data(measure(events, flows), flows)
    coverage = {"flows": {"open_shop": {"share": 0.5}}}
    service_report.extend(data, events, flows, coverage=coverage)
    [shop] = data["flows"]
    assert shop["online_rate"] == 0.5  # 掌上办 and 网上办 of four applications
    assert shop["channel_mix"]["NEARBY"] == 1 and shop["channel_mix"]["HOTLINE"] == 0
    assert shop["online_by_month"]["2026-11"]["meets_target"] is False
    assert (shop["assisted_share"], shop["cross_region_share"], shop["coverage_15min"]) == (0.25, 0.25, 0.5)
    assert data["channels"]["issue_channel_mix"]["HOTLINE"] == 1
    assert data["bundles"] == [
        {
            "name": "outlet",
            "display_name": "outlet",
            "members": [],
            "requested": 1,
            "completed": 1,
            "completed_with_refusals": 0,
            "open": 0,
        }
    ]
    text = "\n".join(service_report.render(data))
    assert "一网通办率 by month (target ≥ 85%): 2026-11 50.0% ✗" in text
    monthly = text.splitlines()[text.splitlines().index("  一网通办率  2026-11") + 2]
    assert monthly.split() == [shop["display_name"], "50.0%"]  # each flow's rate per month
    assert (
        "enterprise issues by channel: 掌上办 0 · 网上办 0 · 自助终端 0 · 窗口 0 · 就近办 0 · 热线办 1"
        in text
    )


def test_coverage_prints_a_table_and_json_naming_its_assumptions(capsys):
    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    assert "15 minutes on foot at 5 km/h, straight line × 1.3 (reach 962 m)" in out
    assert "not official" in out and "社保卡居民服务" in out
    assert main(["coverage", "--json", "--speed", "4"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["walk"]["speed_kmh"] == 4.0 and 0 < data["flows"]["newborn"]["share"] <= 1


def test_coverage_of_a_missing_file_is_one_line(capsys, tmp_path):
    assert main(["coverage", "--data", str(tmp_path / "none.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("onething: ") and err.count("\n") == 1


def test_discover_renders_candidates_with_display_names():
    data = discover_command.candidates_data(
        [Candidate(("newborn", "social_security_card"), count=4, subjects=3)],
        {"newborn": "新生儿出生", "social_security_card": "社保卡居民服务"},
        window=30,
        min_count=3,
    )
    lines = discover_command.render(data)
    assert lines[0].startswith("需求发现: 1 candidate")
    assert "新生儿出生、社保卡居民服务" in lines[-1] and lines[-1].split()[-2:] == ["4", "3"]


def test_discover_without_a_broker_is_one_line(capsys, monkeypatch):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("ONETHING_BOOTSTRAP", f"127.0.0.1:{port}")
    assert main(["discover"]) == 1
    assert capsys.readouterr() == ("", f"onething: no Kafka broker answers at 127.0.0.1:{port}\n")


@pytest.mark.parametrize(
    "argv", [["discover", "--window", "0"], ["discover", "--min-count", "x"], ["coverage", "--speed", "-5"]]
)
def test_a_bad_option_is_refused_in_one_line(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("onething: ") and err.count("\n") == 1


def test_flows_list_shows_the_bundle_and_what_one_request_fans_out_to(capsys):
    assert main(["flows", "list"]) == 0
    out = capsys.readouterr().out
    assert "一类事 开一家连锁餐饮门店 open_restaurant_outlet · enterprise" in out
    assert (
        "  one request → 开办餐饮店 open_restaurant + 水电气网联合报装 utility_hookup + 员工录用 hiring"
        in out
    )
    assert main(["flows", "list", "--json"]) == 0
    [outlet] = [item for item in json.loads(capsys.readouterr().out) if item.get("kind") == "bundle"]
    assert [m["flow"] for m in outlet["members"]] == ["open_restaurant", "utility_hookup", "hiring"]
    assert outlet["problems"] == []


def test_graph_check_fails_on_a_bundle_of_an_undeclared_flow(capsys, monkeypatch):
    from streams import discovery
    from streams.bundles import Bundle

    odd = Bundle(name="odd", display_name="怪", members=("newborn", "no_such_flow"), applications=dict)
    monkeypatch.setattr(discovery, "bundles", lambda: [odd])
    assert main(["graph", "--check"]) == 1
    assert capsys.readouterr().err == "bundle odd: member 'no_such_flow' is no declared flow\n"
