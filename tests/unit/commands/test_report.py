"""`onething report`: published before → after next to the platform's measured figures."""

from __future__ import annotations

import json
import socket

import pytest

from streams.cli import main
from streams.commands.describe import number
from streams.commands.measure import measure
from streams.commands.report import render, report_data
from streams.events import Event
from streams.flows import Figures, Published
from streams.terminal import width
from tests.unit.commands.declarations import shop_flow


def event(event_type: str, case_id: str, **payload) -> Event:
    return Event(event_type, payload, {"case_id": case_id})


def shop_report() -> dict:
    flows = [
        shop_flow(),
        shop_flow(name="open_bakery", display_name="开面包店", application="B", published=None),
    ]
    events = [
        event("Applied", "C-1", channel="ONLINE"),
        event("Applied", "C-2", channel="COUNTER"),
        event("Applied", "C-3", channel="ONLINE"),
        event(
            "CaseCompleted",
            "C-1",
            flow="open_shop",
            matters=[],
            elapsed_working_days=1.5,
            trips=0,
            materials=2,
            steps=2,
            on_time=True,
        ),
        event("CaseRejected", "C-2", flow="open_shop", matter="registry.licence", reasons=["x"]),
    ]
    return report_data(measure(events, flows), flows)


def test_the_table_puts_measured_figures_next_to_the_published_ones():
    lines = render(shop_report())
    assert lines[0] == (
        "一件事 report: 2 flows, 3 cases (1 completed, 1 rejected, 1 open); 一网通办率 66.7% (target ≥ 85%) ✗"
    )
    shop = lines.index("开店 open_shop · published by 某市")
    assert (
        lines[shop + 1] == "  3 cases · 1 completed · 1 rejected · 1 open · 一网通办率 66.7% · on time 100.0%"
    )
    table = lines[shop + 2 : shop + 8]
    assert table[0].split() == ["figure", "before", "after", "measured"]
    assert table[2].split() == ["申请材料", "9", "2", "2"]
    assert table[3].split() == ["跑动次数", "4", "1", "0"]
    assert table[4].split() == ["办理环节", "16", "3", "2"]
    assert table[5].split() == ["办理时限(工作日)", "32", "5", "1.5"]
    # Numbers are right-aligned under their headings, counting CJK as two columns.
    assert len({width(row) for row in table}) == 1


def test_a_flow_without_figures_or_cases_shows_dashes():
    lines = render(shop_report())
    bakery = lines.index("开面包店 open_bakery · no published figures")
    assert lines[bakery + 1] == "  0 cases · 0 completed · 0 rejected · 0 open · 一网通办率 —"
    assert lines[bakery + 4].split() == ["申请材料", "—", "—", "—"]


def test_the_json_carries_counts_rates_and_both_sets_of_figures():
    data = json.loads(json.dumps(shop_report()))
    assert data["cases"] == {"started": 3, "completed": 1, "rejected": 1, "open": 1}
    assert data["online_rate"] == pytest.approx(2 / 3) and data["online_target"] == 0.85
    shop = data["flows"][0]
    assert shop["name"] == "open_shop" and shop["display_name"] == "开店"
    assert (shop["applications"], shop["online"]) == (3, 2)
    assert shop["published"]["before"]["working_days"] == 32
    assert shop["measured"]["working_days"] == 1.5
    assert data["flows"][1]["published"] is None


def test_published_figures_may_be_partial():
    flow = shop_flow(
        published=Published(source="某省", before=Figures(working_days=9), after=Figures(working_days=3))
    )
    lines = render(report_data(measure([], [flow]), [flow]))
    assert [line.split() for line in lines if "申请材料" in line or "办理时限" in line] == [
        ["申请材料", "—", "—", "—"],
        ["办理时限(工作日)", "9", "3", "—"],
    ]


def test_no_broker_is_one_line_not_a_traceback(capsys, monkeypatch):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("ONETHING_BOOTSTRAP", f"127.0.0.1:{port}")
    assert main(["report"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"onething: no Kafka broker answers at 127.0.0.1:{port}\n"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "—"), (48, "48"), (13.0, "13"), (4.25, "4.25"), (0.0208, "0.0208"), (123.4, "123")],
)
def test_figures_keep_small_values_visible(value, shown):
    assert number(value) == shown
