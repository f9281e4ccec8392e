"""`onething report` on the real broker: a fresh reader catches up with the log and counts cases."""

from __future__ import annotations

import json

import pytest

from streams.cli import main
from streams.demo import EVERY_MATERIAL, restaurant_application
from tests.integration.conftest import worker_env

pytestmark = pytest.mark.integration

TIMEOUT = 90
OUTCOMES = ("CaseCompleted", "CaseRejected")


def report(capsys, monkeypatch, settings) -> dict:
    for name, value in worker_env(settings).items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    assert main(["report", "--json", "--timeout", "60"]) == 0
    data = json.loads(capsys.readouterr().out)
    return next(f for f in data["flows"] if f["name"] == "open_restaurant")


def submit(desk, name, *, channel, materials=EVERY_MATERIAL):
    app = restaurant_application(name, 120.0, 4, None, list(materials)) | {"channel": channel}
    return desk.submit("RestaurantApplicationSubmitted", app, subject=app["legal_representative"])


def test_the_report_counts_the_cases_the_platform_finished(desk, event_log, settings, capsys, monkeypatch):
    before = report(capsys, monkeypatch, settings)
    cases = [
        submit(desk, "阿娘面馆", channel="ONLINE"),
        submit(desk, "老街馄饨", channel="ONLINE"),
        submit(desk, "鼓楼小笼包", channel="COUNTER", materials=EVERY_MATERIAL[:2]),  # rejected
    ]
    assert event_log.wait_until(
        lambda: all(any(e.type in OUTCOMES for e in event_log.events(c.case_id)) for c in cases), TIMEOUT
    )

    after = report(capsys, monkeypatch, settings)

    def delta(*path: str) -> int:
        old, new = before, after
        for key in path:
            old, new = old[key], new[key]
        return new - old

    assert delta("cases", "started") == 3
    assert delta("cases", "completed") == 2
    assert delta("cases", "rejected") == 1
    assert (delta("applications"), delta("online")) == (3, 2)
    assert after["published"]["source"] == "四川"
    assert after["measured"]["steps"] is not None  # figures read from the completions
    # 秒办: the licence is decided by data alone; the food permit's site check and the staff's health
    # examinations need people, so no restaurant is approved entirely at once.
    assert after["instant_rate"] == 0.0 and 0 < after["instant_matter_rate"] < 1


def test_the_table_is_printed_for_people(settings, capsys, monkeypatch):
    for name, value in worker_env(settings).items():
        monkeypatch.setenv(name, value)
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("一件事 report: ")
    assert "开办餐饮店 open_restaurant · published by 四川" in out
    restaurant = out[out.index("开办餐饮店 open_restaurant") :]
    days = next(line.split() for line in restaurant.splitlines() if "办理时限" in line)
    assert days[:3] == ["办理时限(工作日)", "48", "13"]
